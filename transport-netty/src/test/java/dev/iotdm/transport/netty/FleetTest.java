package dev.iotdm.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.client.ManagedClient;
import dev.iotdm.testkit.broker.EmbeddedBroker;
import dev.iotdm.testkit.broker.InMemoryDeviceRegistry;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Transports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Netty for fleets, against one embedded broker: 1,000 managed devices on one event loop group
 * (two threads) each answering a reboot, with the JVM's threads counted; and what one device's
 * connect + manage costs on Netty beside Paho.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetTest {

    private static final int DEVICES = 1000;
    private static final int ROUNDS = 7;
    private static final Duration WAIT = Duration.ofSeconds(50);

    private final InMemoryDeviceRegistry registry = new InMemoryDeviceRegistry();
    private final AnsweringPlatform platform = new AnsweringPlatform();
    private EmbeddedBroker broker;
    private ExecutorService pool;
    private ScheduledExecutorService timer;

    @BeforeAll
    void start() {
        broker = EmbeddedBroker.builder(registry).publishListener(platform).build();
        broker.start();
        platform.attach(broker);
        pool = Executors.newFixedThreadPool(4);
        timer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    void stop() {
        pool.shutdownNow();
        timer.shutdownNow();
        broker.close();
    }

    @Test
    void a_thousand_devices_on_one_event_loop_group_are_managed_and_each_answers_a_reboot() throws Exception {
        List<String> clientIds = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            clientIds.add(registry.register(AnsweringPlatform.ORG, AnsweringPlatform.TYPE, "fleet-" + i,
                    AnsweringPlatform.TOKEN));
        }
        AtomicInteger reboots = new AtomicInteger();
        int managesBefore = platform.manages.get();
        List<ManagedClient> clients = new ArrayList<>();
        List<NettyTransport> transports = new ArrayList<>();
        int threadsBefore = Thread.getAllStackTraces().size();
        long start = System.nanoTime();
        int threadsDuring;
        try (NettyTransportFactory netty = NettyTransportFactory.builder().threads(2).build()) {
            for (int i = 0; i < DEVICES; i++) {
                NettyTransport t = netty.create();
                transports.add(t);
                clients.add(AnsweringPlatform.device("fleet-" + i, broker.host(), broker.port(),
                        MqttVersion.MQTT_3_1_1, t, pool, timer, reboots));
            }
            allOf(clients.stream().map(ManagedClient::connect).toList());
            long connectedMs = millisSince(start);
            allOf(clients.stream().map(c -> c.manage(3600, true, false)).toList());
            long managedMs = millisSince(start);

            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                platform.initiateReboot(clientIds.get(i), "reboot-" + i);
                answers.add(platform.response("reboot-" + i));
            }
            allOf(answers);
            threadsDuring = Thread.getAllStackTraces().size();
            System.out.printf("[fleet] %d devices over Netty: connected in %d ms, managed after %d ms, all reboots"
                    + " answered after %d ms; threads before %d, during %d%n", DEVICES, connectedMs, managedMs,
                    millisSince(start), threadsBefore, threadsDuring);
            for (int i = 0; i < DEVICES; i++) {
                assertThat(answers.get(i).get()).contains("\"rc\":202").contains("\"reqId\":\"reboot-" + i + "\"");
            }
            assertThat(reboots.get()).isEqualTo(DEVICES);
            assertThat(platform.manages.get() - managesBefore).isEqualTo(DEVICES);
            // Closed in parallel from threads of their own: a close waits for the client's serial
            // executor, so it must not block a thread of the pool that executor runs on.
            ExecutorService closers = Executors.newFixedThreadPool(8);
            try {
                allOf(clients.stream().map(c -> CompletableFuture.runAsync(c::close, closers)).toList());
            } finally {
                closers.shutdown();
            }
            transports.forEach(NettyTransport::close);
            assertThat(netty.openTransports()).isZero();
        }
        assertThat(threadsDuring - threadsBefore).as("no thread per device").isLessThan(50);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void connect_and_manage_on_netty_take_milliseconds() throws Exception {
        long netty3 = medianConnectAndManage("netty", MqttVersion.MQTT_3_1_1);
        long netty5 = medianConnectAndManage("netty", MqttVersion.MQTT_5);
        long paho5 = medianConnectAndManage("paho", MqttVersion.MQTT_5);
        System.out.printf("[timing] connect+manage median of %d warm rounds: netty 3.1.1 %.1f ms, netty 5 %.1f ms,"
                + " paho 5 %.1f ms%n", ROUNDS, netty3 / 1e6, netty5 / 1e6, paho5 / 1e6);
        assertThat(Duration.ofNanos(netty3)).isLessThan(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(netty5)).isLessThan(Duration.ofSeconds(1));
    }

    private long medianConnectAndManage(String transport, MqttVersion version) throws Exception {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < ROUNDS + 2; i++) {
            String id = transport + "-" + version + "-" + i;
            registry.register(AnsweringPlatform.ORG, AnsweringPlatform.TYPE, id, AnsweringPlatform.TOKEN);
            MqttTransport t = Transports.load(transport);
            try (ManagedClient c = AnsweringPlatform.device(id, broker.host(), broker.port(), version, t, pool, timer,
                    new AtomicInteger())) {
                long start = System.nanoTime();
                ManagedClient.await(c.connect().thenCompose(v -> c.manage(3600, true, false)), WAIT);
                if (i >= 2) { // the first rounds warm the JIT and class loading up
                    nanos.add(System.nanoTime() - start);
                }
            } finally {
                t.close();
            }
        }
        Collections.sort(nanos);
        return nanos.get(nanos.size() / 2);
    }

    private static void allOf(List<? extends CompletableFuture<?>> futures) throws Exception {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
