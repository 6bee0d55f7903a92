package dev.iotdm.testkit.platform;

import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.testkit.raw.ConnectOptions;
import dev.iotdm.testkit.raw.MqttPublish;
import dev.iotdm.testkit.raw.RawMqttClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A well-behaved device scripted message by message over a {@link RawMqttClient}: every step is
 * explicit in the test, so the platform is tested against the wire, not against our device engine.
 * Not thread-safe; one test thread drives it.
 */
final class ScriptedDevice implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final RawMqttClient client;
    final String clientId;

    private ScriptedDevice(RawMqttClient client, String clientId) {
        this.client = client;
        this.clientId = clientId;
    }

    /** Connects with token authentication and checks the CONNACK. */
    static ScriptedDevice connect(FakePlatform platform, String clientId, String token) {
        RawMqttClient client = RawMqttClient.open(platform.broker().host(), platform.broker().port(), WAIT);
        try {
            assertThat(client.connect(ConnectOptions.device(clientId, token), WAIT).accepted()).isTrue();
        } catch (RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
        return new ScriptedDevice(client, clientId);
    }

    void subscribe(String filter) {
        assertThat(client.subscribe(filter, 1, WAIT)).isEqualTo(1);
    }

    /** The canonical start (protocol.md §13): subscribe {@code iotdm-1/#}, manage, await 200. */
    void subscribeAndManage(String reqId, String d) {
        subscribe("iotdm-1/#");
        manage(reqId, d);
    }

    void manage(String reqId, String d) {
        publish("iotdevice-1/mgmt/manage", "{\"reqId\":\"" + reqId + "\",\"d\":" + d + "}");
        JsonObject answer = take("iotdm-1/response");
        assertThat(EngineHarness.reqId(answer)).isEqualTo(reqId);
        assertThat(EngineHarness.rc(answer)).isEqualTo(200);
    }

    void publish(String topic, String json) {
        client.publish(topic, json.getBytes(StandardCharsets.UTF_8), 1, WAIT);
    }

    /** Takes the next message, which must be on {@code topic}, as JSON. */
    JsonObject take(String topic) {
        MqttPublish p = client.takePublish(WAIT);
        assertThat(p.topic()).as(p.toString()).isEqualTo(topic);
        return (JsonObject) JsonValue.parse(p.payload());
    }

    MqttPublish takeAny() {
        return client.takePublish(WAIT);
    }

    /** Takes a request on {@code topic} and answers it with {@code rc}; returns the request. */
    JsonObject answer(String topic, int rc) {
        JsonObject request = take(topic);
        respond(EngineHarness.reqId(request), rc, "");
        return request;
    }

    void respond(String reqId, int rc, String extra) {
        publish("iotdevice-1/response", "{\"rc\":" + rc + ",\"reqId\":\"" + reqId + "\"" + extra + "}");
    }

    void notifyFirmware(String value) {
        publish("iotdevice-1/notify", "{\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":" + value + "}]}}");
    }

    void disconnect() {
        client.disconnect();
    }

    @Override
    public void close() {
        client.close();
    }

    static String string(JsonObject o, String member) {
        return ((JsonString) o.get(member).orElseThrow()).value();
    }
}
