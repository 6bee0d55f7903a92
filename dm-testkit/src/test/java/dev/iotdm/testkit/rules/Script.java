package dev.iotdm.testkit.rules;

import dev.iotdm.protocol.topic.Direction;
import dev.iotdm.testkit.transcript.Transcript;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A scripted conversation of one device client with the platform: each step is appended to a
 * {@link Transcript} whose listener is a {@link RuleChecker}, 10 ms after the previous step.
 * Device publishes default to QoS 1 without retain, as the rules want.
 */
final class Script {

    static final String CLIENT = "d:org1:sensor:dev1";

    private final String clientId;
    private final Transcript transcript = new Transcript();
    private final RuleChecker checker;
    private Instant now = Instant.parse("2026-11-25T10:00:00Z");

    Script() {
        this(CLIENT);
    }

    Script(String clientId) {
        this(clientId, new RuleChecker());
    }

    private Script(String clientId, RuleChecker checker) {
        this.clientId = clientId;
        this.checker = checker;
        transcript.addListener(checker);
    }

    /** A script whose checker is told of each SUBSCRIBE ({@link #subscribe}), as a broker reporting them live would. */
    static Script withLiveSubscriptions() {
        return new Script(CLIENT, RuleChecker.withLiveSubscriptions());
    }

    /** The device's SUBSCRIBE of these filters is granted. */
    Script subscribe(String... filters) {
        if (filters.length == 0) {
            return this; // nothing reported
        }
        checker.onSubscribe(tick(), clientId, java.util.List.of(filters));
        return this;
    }

    /** The run ends: the checker charges what is still unanswered. */
    Script finish() {
        checker.finish(tick());
        return this;
    }

    private Instant tick() {
        now = now.plusMillis(10);
        return now;
    }

    Script after(Duration d) {
        now = now.plus(d);
        return this;
    }

    Script connect() {
        transcript.connected(tick(), clientId, Optional.of(false));
        return this;
    }

    Script disconnect() {
        transcript.disconnected(tick(), clientId);
        return this;
    }

    /** The device publishes JSON text at QoS 1. */
    Script device(String topic, String json) {
        return device(topic, json, 1, false);
    }

    Script device(String topic, String json, int qos, boolean retain) {
        return deviceBytes(topic, json.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    Script deviceBytes(String topic, byte[] payload, int qos, boolean retain) {
        transcript.add(new TranscriptEntry(tick(), Direction.DEVICE_TO_PLATFORM, clientId, topic, payload, qos, retain));
        return this;
    }

    /** The platform publishes JSON text at QoS 1. */
    Script platform(String topic, String json) {
        transcript.add(new TranscriptEntry(tick(), Direction.PLATFORM_TO_DEVICE, clientId, topic,
                json.getBytes(StandardCharsets.UTF_8), 1, false));
        return this;
    }

    /** The device answers a platform request. */
    Script answer(String reqId, int rc) {
        return device("iotdevice-1/response", "{\"rc\":" + rc + ",\"reqId\":\"" + reqId + "\"}");
    }

    /** The platform answers a device request. */
    Script platformAnswer(String reqId, int rc) {
        return platform("iotdm-1/response", "{\"rc\":" + rc + ",\"reqId\":\"" + reqId + "\"}");
    }

    /** A canonical manage with lifetime 3600 and every kind of support, answered 200. */
    Script managed(String reqId) {
        return device("iotdevice-1/mgmt/manage", manage(reqId)).platformAnswer(reqId, 200);
    }

    static String manage(String reqId) {
        return "{\"reqId\":\"" + reqId + "\",\"d\":{\"lifetime\":3600,"
                + "\"supports\":{\"deviceActions\":true,\"firmwareActions\":true,\"acme-v1\":true},"
                + "\"deviceInfo\":{\"serialNumber\":\"SN-1\",\"fwVersion\":\"1.0\"},\"metadata\":{}}}";
    }

    /** Connects and manages: the usual start of every script. */
    Script started() {
        return connect().managed("m-start");
    }

    /** The platform observes mgmt.firmware and the device answers 200 with the given state. */
    Script firmwareObserved(String reqId, int state) {
        return platform("iotdm-1/observe", "{\"reqId\":\"" + reqId + "\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\"}]}}")
                .device("iotdevice-1/response", "{\"rc\":200,\"reqId\":\"" + reqId + "\",\"d\":{\"fields\":[{\"field\":"
                        + "\"mgmt.firmware\",\"value\":{\"state\":" + state + ",\"updateStatus\":0}}]}}");
    }

    Script firmwareNotify(String reqId, String valueJson) {
        return device("iotdevice-1/notify", "{\"reqId\":\"" + reqId + "\",\"d\":{\"fields\":[{\"field\":"
                + "\"mgmt.firmware\",\"value\":" + valueJson + "}]}}");
    }

    Transcript transcript() {
        return transcript;
    }

    RuleChecker checker() {
        return checker;
    }

    CheckReport report() {
        return checker.report();
    }
}
