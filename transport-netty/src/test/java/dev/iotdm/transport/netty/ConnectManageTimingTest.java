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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What one device's connect + manage costs on each transport, warm, against the embedded broker:
 * the median of several rounds, printed for the note, and bounded for Netty.
 */
class ConnectManageTimingTest {

    private static final int ROUNDS = 7;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void connect_and_manage_on_netty_take_milliseconds() throws Exception {
        InMemoryDeviceRegistry registry = new InMemoryDeviceRegistry();
        AnsweringPlatform platform = new AnsweringPlatform();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (EmbeddedBroker broker = EmbeddedBroker.builder(registry).publishListener(platform).build()) {
            broker.start();
            platform.attach(broker);
            long netty3 = median(registry, broker, "netty", MqttVersion.MQTT_3_1_1, pool, timer);
            long netty5 = median(registry, broker, "netty", MqttVersion.MQTT_5, pool, timer);
            long paho5 = median(registry, broker, "paho", MqttVersion.MQTT_5, pool, timer);
            System.out.printf("[timing] connect+manage median of %d warm rounds: netty 3.1.1 %.1f ms, netty 5 %.1f ms,"
                    + " paho 5 %.1f ms%n", ROUNDS, netty3 / 1e6, netty5 / 1e6, paho5 / 1e6);
            assertThat(Duration.ofNanos(netty3)).isLessThan(Duration.ofSeconds(1));
            assertThat(Duration.ofNanos(netty5)).isLessThan(Duration.ofSeconds(1));
        } finally {
            pool.shutdownNow();
            timer.shutdownNow();
        }
    }

    private static long median(InMemoryDeviceRegistry registry, EmbeddedBroker broker, String transport,
            MqttVersion version, ExecutorService pool, ScheduledExecutorService timer) throws Exception {
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
}
