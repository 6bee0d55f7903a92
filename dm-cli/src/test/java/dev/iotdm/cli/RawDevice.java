package dev.iotdm.cli;

import static dev.iotdm.cli.CliAssertions.assertThat;

import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.testkit.raw.Connack;
import dev.iotdm.testkit.raw.ConnectOptions;
import dev.iotdm.testkit.raw.MqttPublish;
import dev.iotdm.testkit.raw.RawMqttClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A device written by hand on a raw MQTT 3.1.1 socket: the test steps it message by message (take
 * the platform's request, check it, answer it), so every byte the platform sends is seen. The old
 * SDKs' own behaviour is {@link OldSdkDevice}.
 */
final class RawDevice implements AutoCloseable {

    static final Duration WAIT = PlatformRun.WAIT;

    private final RawMqttClient mqtt;
    private final String clientId;

    private RawDevice(RawMqttClient mqtt, String clientId) {
        this.mqtt = mqtt;
        this.clientId = clientId;
    }

    /** Connects with these options; the CONNACK must accept. */
    static RawDevice connect(int port, String clientId, String token, boolean cleanSession) {
        RawMqttClient mqtt = RawMqttClient.open("127.0.0.1", port, WAIT);
        Connack connack = mqtt.connect(ConnectOptions.device(clientId, token).withCleanSession(cleanSession), WAIT);
        assertThat(connack.accepted()).as("CONNACK of %s: %s", clientId, connack).isTrue();
        return new RawDevice(mqtt, clientId);
    }

    /** Tries to connect and returns the CONNACK, accepted or not. */
    static Connack tryConnect(int port, String clientId, String token) {
        try (RawMqttClient mqtt = RawMqttClient.open("127.0.0.1", port, WAIT)) {
            return mqtt.connect(ConnectOptions.device(clientId, token), WAIT);
        }
    }

    /** Subscribes to the DM request topics and commands (§1.10), then manages with {@code supports}. */
    RawDevice manage(String supportsJson) {
        assertThat(mqtt.subscribe(List.of(new RawMqttClient.Subscription("iotdm-1/#", 1),
                new RawMqttClient.Subscription("iot-2/cmd/+/fmt/+", 1)), WAIT)).containsExactly(1, 1);
        publish("iotdevice-1/mgmt/manage", "{\"reqId\":\"manage-1\",\"d\":{\"lifetime\":0,\"supports\":"
                + supportsJson + ",\"deviceInfo\":{\"fwVersion\":\"1.0\"}}}");
        MqttPublish answer = next();
        assertThat(answer.topic()).isEqualTo("iotdm-1/response");
        assertThat(answer.payloadText()).contains("\"rc\":200");
        return this;
    }

    /** The raw client, for what this class does not wrap. */
    RawMqttClient mqtt() {
        return mqtt;
    }

    /** The next message from the platform. */
    MqttPublish next() {
        return mqtt.takePublish(WAIT);
    }

    /** The next message from the platform, which must be on {@code topic}; returns its JSON object. */
    JsonObject expect(String topic) {
        MqttPublish p = next();
        assertThat(p.topic()).as("the platform's next message to %s: %s", clientId, p.payloadText())
                .isEqualTo(topic);
        return (JsonObject) JsonValue.parse(p.payload());
    }

    /** Answers the request {@code request} with {@code rc}. */
    void answer(JsonObject request, int rc) {
        String reqId = ((JsonString) request.get("reqId").orElseThrow()).value();
        publish("iotdevice-1/response", "{\"rc\":" + rc + ",\"reqId\":\"" + reqId + "\"}");
    }

    /** Answers an observe of mgmt.firmware with 200 and the current value, as §4.3 asks (R12.5). */
    void answerFirmwareObserve(JsonObject request) {
        String reqId = ((JsonString) request.get("reqId").orElseThrow()).value();
        publish("iotdevice-1/response", "{\"rc\":200,\"reqId\":\"" + reqId + "\",\"d\":{\"fields\":[{\"field\":"
                + "\"mgmt.firmware\",\"value\":{\"state\":0,\"updateStatus\":0}}]}}");
    }

    /** Publishes at QoS 1. */
    void publish(String topic, String payload) {
        mqtt.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, WAIT);
    }

    @Override
    public void close() {
        mqtt.close();
    }
}
