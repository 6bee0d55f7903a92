package dev.iotdm.testkit.platform;

import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.testkit.platform.PlatformAction.DisconnectDevice;
import dev.iotdm.testkit.platform.PlatformAction.Observed;
import dev.iotdm.testkit.platform.PlatformAction.OperationCompleted;
import dev.iotdm.testkit.platform.PlatformAction.SendToDevice;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives a {@link PlatformEngine} with a virtual clock and scripted device messages (JSON text), and
 * sorts its actions: sends per device in a queue, observer events, disconnects and completions.
 * Not thread-safe; one per test.
 */
final class EngineHarness {

    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    static final String MANAGE = "iotdevice-1/mgmt/manage";
    static final String RESPONSE = "iotdevice-1/response";
    static final String NOTIFY = "iotdevice-1/notify";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    final PlatformEngine engine;
    Instant now = T0;
    private final Map<String, Deque<SendToDevice>> sends = new HashMap<>();
    final List<PlatformEvent> events = new ArrayList<>();
    final List<DisconnectDevice> disconnects = new ArrayList<>();
    final Map<OperationToken, OperationOutcome> outcomes = new HashMap<>();

    EngineHarness() {
        this(PlatformConfig.defaults());
    }

    EngineHarness(PlatformConfig config) {
        this.engine = new PlatformEngine(config);
    }

    String register(String deviceId) {
        return engine.register("org1", "sensor", deviceId, "token-" + deviceId);
    }

    /** Registers, connects and manages a device (lifetime 0, all supports), consuming the answer. */
    String managed(String deviceId) {
        String clientId = register(deviceId);
        engine.deviceConnected(now, clientId);
        publish(clientId, MANAGE, """
                {"reqId":"m-%s","d":{"supports":{"deviceActions":true,"firmwareActions":true,"acme-v1":true}}}"""
                .formatted(deviceId));
        assertThat(rc(takeResponse(clientId))).isEqualTo(200);
        advance(engine.config().requestGap());
        return clientId;
    }

    void publish(String clientId, String topic, String json) {
        publish(clientId, topic, json.getBytes(StandardCharsets.UTF_8), 1);
    }

    void publish(String clientId, String topic, byte[] payload, int qos) {
        engine.devicePublished(now, clientId, topic, payload, qos, false);
        collect();
    }

    /** The device answers a platform request with {@code rc} (and optional extra members). */
    void answer(String clientId, String reqId, int rc, String extra) {
        publish(clientId, RESPONSE, "{\"rc\":" + rc + ",\"reqId\":\"" + reqId + "\"" + extra + "}");
    }

    void advance(Duration d) {
        now = now.plus(d);
        engine.tick(now);
        collect();
    }

    void collect() {
        for (PlatformAction a : engine.pollActions()) {
            if (a instanceof SendToDevice s) {
                sends.computeIfAbsent(s.clientId(), k -> new ArrayDeque<>()).add(s);
            } else if (a instanceof Observed o) {
                events.add(o.event());
            } else if (a instanceof DisconnectDevice d) {
                disconnects.add(d);
            } else if (a instanceof OperationCompleted c) {
                assertThat(outcomes).as("completed once").doesNotContainKey(c.token());
                outcomes.put(c.token(), c.outcome());
            }
        }
    }

    /** Records the token's actions (the operation may complete at once). */
    OperationToken started(OperationToken token) {
        collect();
        return token;
    }

    boolean nothingSentTo(String clientId) {
        return sends.getOrDefault(clientId, new ArrayDeque<>()).isEmpty();
    }

    SendToDevice take(String clientId) {
        Deque<SendToDevice> queue = sends.getOrDefault(clientId, new ArrayDeque<>());
        assertThat(queue).as("messages sent to " + clientId).isNotEmpty();
        return queue.removeFirst();
    }

    /** Takes the next message to the device, which must be on {@code topic}, as JSON. */
    JsonObject take(String clientId, String topic) {
        SendToDevice s = take(clientId);
        assertThat(s.topic()).as(s.toString()).isEqualTo(topic);
        assertThat(s.qos()).isEqualTo(1);
        return (JsonObject) JsonValue.parse(s.payload());
    }

    JsonObject takeResponse(String clientId) {
        return take(clientId, "iotdm-1/response");
    }

    OperationOutcome outcome(OperationToken token) {
        assertThat(outcomes).as("outcome of " + token).containsKey(token);
        return outcomes.get(token);
    }

    <T extends PlatformEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<String> notes() {
        return events(PlatformEvent.Note.class).stream().map(PlatformEvent.Note::text).toList();
    }

    static int rc(JsonObject message) {
        return (int) ((JsonNumber) message.get("rc").orElseThrow()).longValueExact().orElseThrow();
    }

    static String reqId(JsonObject message) {
        return ((JsonString) message.get("reqId").orElseThrow()).value();
    }

    static String text(JsonObject message, String member) {
        return ((JsonString) message.get(member).orElseThrow()).value();
    }
}
