package dev.iotdm.transport.netty;

import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.netty.internal.EventLoops;
import dev.iotdm.transport.tck.SpiContract;
import java.util.List;

/**
 * The transport SPI's contract over Netty on both versions it speaks (MQTT 3.1.1 preferred), each
 * transport made by the ServiceLoader's shared factory.
 */
class NettySpiContractTest extends SpiContract {

    @Override
    protected MqttTransport newTransport() {
        return new NettyTransportProvider().create();
    }

    @Override
    protected List<MqttVersion> mqttVersions() {
        return List.of(MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5);
    }

    @Override
    protected List<String> transportThreadPrefixes() {
        return List.of(EventLoops.THREAD_PREFIX);
    }

    @Override
    protected int closeConnectCycles() {
        return 50;
    }
}
