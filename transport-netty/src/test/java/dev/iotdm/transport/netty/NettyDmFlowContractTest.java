package dev.iotdm.transport.netty;

import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.tck.DmFlowContract;

/** Every DM flow through {@code ManagedClient} over Netty on MQTT 3.1.1 (the platform's version). */
class NettyDmFlowContractTest extends DmFlowContract {

    @Override
    protected MqttTransport newTransport() {
        return new NettyTransportProvider().create();
    }

    @Override
    protected MqttVersion mqttVersion() {
        return MqttVersion.MQTT_3_1_1;
    }
}
