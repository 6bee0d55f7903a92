package dev.iotdm.transport.netty;

import dev.iotdm.transport.MqttVersion;

/** Every DM flow through {@code ManagedClient} over Netty on MQTT 5. */
class NettyMqtt5DmFlowContractTest extends NettyDmFlowContractTest {

    @Override
    protected MqttVersion mqttVersion() {
        return MqttVersion.MQTT_5;
    }
}
