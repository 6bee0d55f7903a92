package dev.iotdm.transport.paho;

import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.tck.TransportContract;
import java.util.List;

/** The whole transport contract over Paho (MQTT 5) and the embedded broker. */
class PahoTransportContractTest extends TransportContract {

    @Override
    protected MqttTransport newTransport() {
        return new PahoTransport();
    }

    @Override
    protected MqttVersion mqttVersion() {
        return MqttVersion.MQTT_5;
    }

    @Override
    protected List<String> transportThreadPrefixes() {
        return List.of("iotdm-paho-", "MQTT");
    }

    @Override
    protected int closeConnectCycles() {
        return 200;
    }
}
