package dev.iotdm.transport.netty;

import dev.iotdm.transport.MqttVersion;

/** The whole transport contract over Netty on MQTT 5 and the embedded broker. */
class NettyMqtt5TransportContractTest extends NettyTransportContractTest {

    @Override
    protected MqttVersion mqttVersion() {
        return MqttVersion.MQTT_5;
    }
}
