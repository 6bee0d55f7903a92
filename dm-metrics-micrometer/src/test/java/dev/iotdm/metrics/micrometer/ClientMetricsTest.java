package dev.iotdm.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.client.ClientEvent;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.session.SessionEvent;
import dev.iotdm.protocol.testing.VirtualTime;
import dev.iotdm.testkit.fault.Direction;
import dev.iotdm.testkit.fault.Fault;
import dev.iotdm.testkit.fault.FaultProxy;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.transport.paho.PahoTransport;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client over a real loopback socket to the fake platform, its figures in a SimpleMeterRegistry. */
@Timeout(120)
class ClientMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static FakePlatform platform;

    @BeforeAll
    static void start() {
        platform = FakePlatform.start();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void a_manage_and_a_location_update_are_timed_by_type_and_rc_and_the_gauges_read_the_client() throws Exception {
        platform.registerDevice("org1", "sensor", "metrics-1", "tok");
        DeviceOptions options = DeviceOptions.builder().org("org1").typeId("sensor").deviceId("metrics-1")
                .token("tok").host("127.0.0.1").port(platform.broker().port()).withoutTls().build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ClientMetrics metrics = new ClientMetrics(registry, Tags.of("device", "metrics-1"));
        // One callback thread: listeners see each event in the order they were added, so once
        // the second listener has a request's event, the metrics have recorded it.
        ExecutorService callbacks = Executors.newSingleThreadExecutor();
        BlockingQueue<ClientEvent.RequestCompleted> completed = new LinkedBlockingQueue<>();
        try (ManagedClient client = ManagedClient.builder(options).transport(new PahoTransport())
                .callbackExecutor(callbacks)
                .listener(metrics)
                .listener(e -> {
                    if (e instanceof ClientEvent.RequestCompleted r) {
                        completed.add(r);
                    }
                })
                .build()) {
            metrics.bind(client);
            ManagedClient.await(client.connect(), WAIT);
            ManagedClient.await(client.manage(3600, false, false), WAIT);
            ManagedClient.await(client.setLocation(Location.of(30.28, -97.73)), WAIT);
            assertThat(next(completed).type()).isEqualTo("manage");
            assertThat(next(completed).type()).isEqualTo("setLocation");

            Timer manage = registry.get(ClientMetrics.REQUESTS)
                    .tags("device", "metrics-1", "type", "manage", "outcome", "answered", "rc", "200").timer();
            assertThat(manage.count()).isEqualTo(1);
            assertThat(manage.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get(ClientMetrics.REQUESTS).tags("type", "setLocation", "rc", "200").timer().count())
                    .isEqualTo(1);
            assertThat(gauge(registry, ClientMetrics.MANAGED)).isEqualTo(1);
            assertThat(gauge(registry, ClientMetrics.CONNECTED)).isEqualTo(1);
            assertThat(gauge(registry, ClientMetrics.PENDING)).isZero();
            assertThat(gauge(registry, ClientMetrics.QUEUED)).isZero();
            assertThat(gauge(registry, ClientMetrics.FIRMWARE_STATE)).isZero(); // IDLE
            assertThat(registry.get(ClientMetrics.RECONNECTS).counter().count()).isZero();
        } finally {
            callbacks.shutdown();
            assertThat(callbacks.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        metrics.close();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void the_managed_gauge_drops_to_0_when_the_lifetime_lapses_and_returns_to_1_with_the_late_re_manage()
            throws Exception {
        platform.registerDevice("org1", "sensor", "metrics-2", "tok");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ClientMetrics metrics = new ClientMetrics(registry, Tags.of("device", "metrics-2"));
        // The client's clock and timers are virtual, its socket real: the test moves time past the lifetime.
        VirtualTime time = VirtualTime.startingAt2026();
        ExecutorService callbacks = Executors.newSingleThreadExecutor();
        CompletableFuture<Double> gaugeAtManage = new CompletableFuture<>();
        CompletableFuture<Double> gaugeAtLapse = new CompletableFuture<>();
        CompletableFuture<Double> gaugeAtReManage = new CompletableFuture<>();
        try (FaultProxy proxy = FaultProxy.open(platform.broker().host(), platform.broker().port(), 0);
             ManagedClient client = ManagedClient.builder(DeviceOptions.builder().org("org1").typeId("sensor")
                     .deviceId("metrics-2").token("tok").host("127.0.0.1").port(proxy.port()).withoutTls().build())
                     .transport(new PahoTransport()).clock(time).scheduler(time).callbackExecutor(callbacks)
                     .listener(metrics)
                     .listener(e -> { // on the one callback thread after the metrics: the gauge shows the event
                         if (e instanceof ClientEvent.RequestCompleted r && r.type().equals("manage")) {
                             gaugeAtManage.complete(gauge(registry, ClientMetrics.MANAGED));
                         } else if (e instanceof ClientEvent.ManageLapsed) {
                             gaugeAtLapse.complete(gauge(registry, ClientMetrics.MANAGED));
                         } else if (e instanceof ClientEvent.Session s
                                 && s.event() instanceof SessionEvent.AutoManageSucceeded) {
                             gaugeAtReManage.complete(gauge(registry, ClientMetrics.MANAGED));
                         }
                     })
                     .build()) {
            ManagedClient.await(client.connect(), WAIT);
            ManagedClient.await(client.manage(3600, false, false), WAIT);
            assertThat(gaugeAtManage.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1.0);
            proxy.apply(new Fault.Stall(Direction.UPSTREAM)); // the re-manage before expiry never arrives

            time.advance(Duration.ofSeconds(3600 + 1));

            assertThat(advanceUntil(time, gaugeAtLapse)).as("the gauge when the lifetime lapsed").isEqualTo(0.0);
            proxy.clear(); // the next re-manage (the client retries with backoff) reaches the platform
            assertThat(advanceUntil(time, gaugeAtReManage)).as("the gauge after the late re-manage").isEqualTo(1.0);
        } finally {
            callbacks.shutdown();
            assertThat(callbacks.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            metrics.close();
        }
    }

    /**
     * Moves virtual time on in steps until {@code outcome} completes (the client's timers set while
     * time jumped fall due on the next step), waiting at most {@link #WAIT} of real time.
     */
    private static <T> T advanceUntil(VirtualTime time, CompletableFuture<T> outcome) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            time.advance(Duration.ofSeconds(5));
            try {
                return outcome.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillWaiting) {
                // one more step
            }
        }
        throw new AssertionError("still waiting after " + WAIT + " (virtual time " + time.instant() + ")");
    }

    private static ClientEvent.RequestCompleted next(BlockingQueue<ClientEvent.RequestCompleted> completed)
            throws InterruptedException {
        ClientEvent.RequestCompleted r = completed.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(r).as("a request-completed event within %s", WAIT).isNotNull();
        return r;
    }

    private static double gauge(SimpleMeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }
}
