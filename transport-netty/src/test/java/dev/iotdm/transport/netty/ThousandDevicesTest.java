package dev.iotdm.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.client.ManagedClient;
import dev.iotdm.testkit.broker.EmbeddedBroker;
import dev.iotdm.testkit.broker.InMemoryDeviceRegistry;
import dev.iotdm.transport.MqttVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A fleet in one JVM: 1,000 managed devices on one Netty event loop group (two threads) against
 * the embedded broker, each answering a reboot request, with the JVM's thread count measured
 * before, during and after.
 */
class ThousandDevicesTest {

    private static final int DEVICES = 1000;
    private static final Duration WAIT = Duration.ofSeconds(50);

    @Test
    void a_thousand_devices_on_one_event_loop_group_are_managed_and_each_answers_a_reboot() throws Exception {
        InMemoryDeviceRegistry registry = new InMemoryDeviceRegistry();
        AnsweringPlatform platform = new AnsweringPlatform();
        List<String> clientIds = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            clientIds.add(registry.register(AnsweringPlatform.ORG, AnsweringPlatform.TYPE, "fleet-" + i,
                    AnsweringPlatform.TOKEN));
        }
        try (EmbeddedBroker broker = EmbeddedBroker.builder(registry).publishListener(platform).build()) {
            broker.start();
            platform.attach(broker);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger reboots = new AtomicInteger();
            List<ManagedClient> clients = new ArrayList<>();
            List<NettyTransport> transports = new ArrayList<>();
            int threadsBefore = Thread.activeCount();
            long start = System.nanoTime();
            int threadsDuring;
            try (NettyTransportFactory netty = NettyTransportFactory.builder().threads(2).build()) {
                for (int i = 0; i < DEVICES; i++) {
                    NettyTransport t = netty.create();
                    transports.add(t);
                    clients.add(AnsweringPlatform.device("fleet-" + i, broker.host(), broker.port(),
                            MqttVersion.MQTT_3_1_1, t, pool, timer, reboots));
                }
                List<CompletableFuture<?>> connected = new ArrayList<>();
                for (ManagedClient c : clients) {
                    connected.add(c.connect());
                }
                CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(),
                        TimeUnit.SECONDS);
                long connectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                List<CompletableFuture<?>> managed = new ArrayList<>();
                for (ManagedClient c : clients) {
                    managed.add(c.manage(3600, true, false));
                }
                CompletableFuture.allOf(managed.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(),
                        TimeUnit.SECONDS);
                long managedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

                List<CompletableFuture<String>> answers = new ArrayList<>();
                for (int i = 0; i < DEVICES; i++) {
                    platform.initiateReboot(clientIds.get(i), "reboot-" + i);
                    answers.add(platform.response("reboot-" + i));
                }
                CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(),
                        TimeUnit.SECONDS);
                threadsDuring = Thread.activeCount();
                long totalMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.printf("[fleet] %d devices over Netty: connected in %d ms, managed after %d ms, all reboots"
                        + " answered after %d ms; threads before %d, during %d%n", DEVICES, connectedMs, managedMs,
                        totalMs, threadsBefore, threadsDuring);
                for (int i = 0; i < DEVICES; i++) {
                    assertThat(answers.get(i).get()).contains("\"rc\":202").contains("\"reqId\":\"reboot-" + i + "\"");
                }
                assertThat(reboots.get()).isEqualTo(DEVICES);
                assertThat(platform.manages.get()).isEqualTo(DEVICES);
                // Closed in parallel from threads of their own: a close waits for the client's serial
                // executor, so it must not block a thread of the pool that executor runs on.
                ExecutorService closers = Executors.newFixedThreadPool(8);
                try {
                    CompletableFuture.allOf(clients.stream().map(c -> CompletableFuture.runAsync(c::close, closers))
                            .toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                } finally {
                    closers.shutdown();
                }
                transports.forEach(NettyTransport::close);
                assertThat(netty.openTransports()).isZero();
            } finally {
                pool.shutdownNow();
                timer.shutdownNow();
            }
            assertThat(threadsDuring - threadsBefore).as("no thread per device").isLessThan(50);
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(60);
        }
    }
}
