package dev.iotdm.transport.netty;

import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.tck.TransportContract;
import java.util.List;

/** The whole transport contract over Netty on MQTT 5 and the embedded broker. */
class NettyMqtt5TransportContractTest extends TransportContract {

    @Override
    protected MqttTransport newTransport() {
        return new NettyTransportProvider().create();
    }

    @Override
    protected MqttVersion mqttVersion() {
        return MqttVersion.MQTT_5;
    }

    @Override
    protected List<String> transportThreadPrefixes() {
        return List.of(dev.iotdm.transport.netty.internal.EventLoops.THREAD_PREFIX);
    }

    @Override
    protected int closeConnectCycles() {
        return 50;
    }
}
