package dev.iotdm.transport.netty;

import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.tck.TransportContract;
import java.util.List;

/**
 * The whole transport contract over Netty on MQTT 3.1.1 (the platform's version) and the
 * embedded broker, each transport made by the ServiceLoader's shared factory.
 */
class NettyTransportContractTest extends TransportContract {

    @Override
    protected MqttTransport newTransport() {
        return new NettyTransportProvider().create();
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
