package dev.iotdm.bench;

import dev.iotdm.testkit.broker.Mosquitto;
import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * The platform side of P2 on a plain broker: a bare Paho client that answers every device request
 * carrying a {@code reqId} on {@code iotdevice-1/...} with {@code {"rc":200,"reqId":...}} on
 * {@code iotdm-1/response}. It is not a platform (no rules, no state): the same for both sides of
 * the ratio, so only the devices differ.
 *
 * <p>Thread-safety: answers on Paho's callback thread; start and close from one thread.
 */
final class Responder implements AutoCloseable {

    private final MqttAsyncClient client;

    private Responder(MqttAsyncClient client) {
        this.client = client;
    }

    /** Connects to {@code broker} and answers until closed. */
    static Responder start(Mosquitto broker) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient("tcp://" + broker.host() + ":" + broker.port(),
                "a:" + RoundTripRatios.ORG + ":responder", new MemoryPersistence());
        client.setCallback(new PahoCallbacks() {
            @Override
            public void messageArrived(String topic, MqttMessage message) throws MqttException {
                String reqId = RoundTripRatios.field(new String(message.getPayload(), StandardCharsets.UTF_8), "reqId");
                if (reqId != null) {
                    // Never waits: Paho's callback thread also completes this publish.
                    client.publish("iotdm-1/response", ("{\"rc\":200,\"reqId\":\"" + reqId + "\"}")
                            .getBytes(StandardCharsets.UTF_8), 1, false);
                }
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        o.setSocketFactory(new NoDelaySocketFactory());
        client.connect(o).waitForCompletion(RoundTripRatios.TIMEOUT.toMillis());
        client.subscribe("iotdevice-1/#", 1).waitForCompletion(RoundTripRatios.TIMEOUT.toMillis());
        return new Responder(client);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(RoundTripRatios.TIMEOUT.toMillis());
        }
        client.close();
    }
}
