package dev.iotdm.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.client.ClientEvent;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.transport.paho.PahoTransport;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
