package dev.iotdm.transport.paho;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.transport.MqttVersion;
import org.junit.jupiter.api.Test;

/**
 * {@link ManagedClient} over {@link PahoTransport} chosen by name, where the transport's declared
 * versions decide the outcome before any socket opens. The DM flows over Paho are
 * {@link PahoDmFlowContractTest}'s; the README's snippet without a version (Paho's preferred MQTT 5)
 * runs in architecture-tests' {@code UserApplicationTest}.
 */
class ManagedClientOverPahoTest {

    @Test
    void a_managed_client_asked_for_mqtt_3_1_1_over_paho_is_refused_at_build_naming_mqtt_5() {
        DeviceOptions options = DeviceOptions.builder()
                .org("org1").typeId("sensor").deviceId("paho-311").token("tok")
                .host("127.0.0.1").port(1883).withoutTls()
                .mqttVersion(MqttVersion.MQTT_3_1_1)
                .build();

        assertThatThrownBy(() -> ManagedClient.builder(options).transport("paho").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MQTT_5");
    }
}
