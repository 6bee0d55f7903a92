package dev.iotdm.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.testkit.raw.ConnectOptions;
import dev.iotdm.testkit.raw.RawMqttClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The quick stop finds HiveMQ's shutdown hook on the HiveMQ version we build with (a failure here
 * means an upgrade moved its internals and every stop is back to about 4 s), and a stop with it
 * still closes every client connection.
 */
class QuickStopTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void the_quick_stop_is_installed_and_a_stop_still_closes_the_device_connections() throws Exception {
        InMemoryDeviceRegistry registry = new InMemoryDeviceRegistry();
        String clientId = registry.register("org1", "type", "dev-1", "token");
        try (EmbeddedBroker broker = EmbeddedBroker.builder(registry).build()) {
            broker.start();
            assertThat(broker.stopsQuickly()).as("QuickStop found HiveMQ's 'Netty Shutdown' hook").isTrue();
            try (RawMqttClient device = RawMqttClient.open("127.0.0.1", broker.port(), WAIT)) {
                assertThat(device.connect(ConnectOptions.device(clientId, "token"), WAIT).accepted()).isTrue();

                broker.stop();

                device.awaitClosed(WAIT);
                assertThat(broker.isRunning()).isFalse();
            }
        }
    }
}
