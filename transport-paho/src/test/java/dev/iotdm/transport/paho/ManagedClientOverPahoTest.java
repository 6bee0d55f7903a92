package dev.iotdm.transport.paho;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link ManagedClient} over {@link PahoTransport} chosen by name, where Paho itself decides the
 * outcome before any socket opens. The DM flows over Paho are {@link PahoDmFlowContractTest}'s.
 */
class ManagedClientOverPahoTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void a_managed_client_left_on_mqtt_3_1_1_fails_connect_at_once_with_the_transports_reason() {
        DeviceOptions options = DeviceOptions.builder()
                .org("org1").typeId("sensor").deviceId("paho-311").token("tok")
                .host("127.0.0.1").port(1883).withoutTls()
                .build(); // the default MQTT version, 3.1.1

        try (ManagedClient client = ManagedClient.builder(options).transport("paho").build()) {
            assertThatThrownBy(() -> ManagedClient.await(client.connect(), WAIT))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("MQTT 5 only");
        }
    }
}
