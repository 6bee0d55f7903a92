package dev.iotdm.transport.paho;

import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.tck.DmFlowContract;

/** Every DM flow through {@code ManagedClient} over Paho (MQTT 5) and the embedded broker. */
class PahoDmFlowContractTest extends DmFlowContract {

    @Override
    protected MqttTransport newTransport() {
        return new PahoTransport();
    }

    @Override
    protected MqttVersion mqttVersion() {
        return MqttVersion.MQTT_5;
    }
}
