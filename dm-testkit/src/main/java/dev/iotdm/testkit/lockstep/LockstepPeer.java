package dev.iotdm.testkit.lockstep;

import dev.iotdm.protocol.codec.WireText;
import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.testkit.broker.DeviceBroker;
import dev.iotdm.testkit.broker.DeviceConnectionListener;
import dev.iotdm.testkit.broker.DevicePublish;
import dev.iotdm.testkit.broker.DevicePublishListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A scripted platform that speaks exact JSON text, malformed included, bypassing our codec, and
 * checks the device's exact replies: the lockstep peer of the transport contract. It sits on a
 * broker as its publish and connection listener and reaches devices through
 * {@link DeviceBroker#sendToDevice}.
 *
 * <p>Expected JSON is compared by meaning (key order and spacing ignored); the string
 * {@value #ANY} stands for any value, so a device-generated reqId can be matched and then read
 * back from the returned publish.
 *
 * <p>Thread-safety: the listener methods may be called from any thread; the scripting methods
 * are meant for one test thread.
 */
public final class LockstepPeer implements DevicePublishListener, DeviceConnectionListener {

    /** Placeholder matching any JSON value in an expected payload. */
    public static final String ANY = "<any>";

    private final LinkedBlockingQueue<DevicePublish> received = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<String> connections = new LinkedBlockingQueue<>();
    private final List<DevicePublish> seen = new ArrayList<>();
    private volatile DeviceBroker broker;

    /**
     * Attaches the broker the peer sends through; register the peer on that broker as its publish
     * and connection listener too.
     *
     * @param target the broker; not {@code null}; replaces one attached before
     * @return this peer
     */
    public LockstepPeer attach(DeviceBroker target) {
        this.broker = Objects.requireNonNull(target, "broker");
        return this;
    }

    @Override
    public void onPublish(DevicePublish publish) {
        received.add(publish);
    }

    @Override
    public void onConnected(String clientId) {
        connections.add("+" + clientId);
    }

    @Override
    public void onDisconnected(String clientId) {
        connections.add("-" + clientId);
    }

    /**
     * Sends exact text to a device on a topic at QoS 1, waiting at most {@code timeout} for the
     * broker to take it (the device must be subscribed by then).
     *
     * @param clientId the device's MQTT client id
     * @param topic the topic, e.g. {@code iotdm-1/mgmt/initiate/device/reboot}
     * @param text the payload exactly as sent, malformed JSON allowed; encoded as UTF-8
     * @param timeout how long the broker may take (plus one second for the hand-over)
     * @throws NullPointerException if no broker is attached
     * @throws AssertionError if the broker does not take the message in time or fails it
     */
    public void send(String clientId, String topic, String text, Duration timeout) {
        DeviceBroker b = Objects.requireNonNull(broker, "attach a broker first");
        try {
            b.sendToDevice(clientId, topic, text.getBytes(StandardCharsets.UTF_8), 1, timeout)
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while sending to " + clientId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("could not send to " + clientId + " on " + topic + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits for the device's next publish, failing with everything seen so far.
     *
     * @param timeout how long to wait
     * @return the oldest publish not taken yet
     * @throws AssertionError if none arrives within {@code timeout}
     */
    public DevicePublish take(Duration timeout) {
        try {
            DevicePublish p = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (p == null) {
                throw new AssertionError("no publish from the device within " + timeout + "; seen before: " + seen);
            }
            seen.add(p);
            return p;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a publish", e);
        }
    }

    /**
     * Waits for the device's next publish and checks its topic and JSON meaning against
     * {@code expectedJson} ({@value #ANY} matches anything). Returns the publish.
     *
     * @param topic the exact topic expected
     * @param expectedJson the expected payload as JSON text, compared by meaning
     * @param timeout how long to wait for the publish
     * @return the publish, e.g. to read a reqId with {@link #member}
     * @throws AssertionError if none arrives in time, or its topic, JSON or meaning differs
     * @throws IllegalArgumentException if {@code expectedJson} itself is not JSON
     */
    public DevicePublish expect(String topic, String expectedJson, Duration timeout) {
        DevicePublish p = take(timeout);
        if (!p.topic().equals(topic)) {
            throw new AssertionError("expected a publish on " + topic + " but got " + describe(p));
        }
        JsonValue expected = JsonValue.parse(expectedJson);
        JsonValue actual;
        try {
            actual = JsonValue.parse(p.payload());
        } catch (IllegalArgumentException e) {
            throw new AssertionError("the device sent malformed JSON: " + describe(p), e);
        }
        if (!matches(expected, actual)) {
            throw new AssertionError("on " + topic + " expected " + expected.toJson() + " but got " + actual.toJson());
        }
        return p;
    }

    /**
     * Checks that the device publishes nothing more within {@code within}: the "and nothing else"
     * that ends a lockstep script (a second answer, a stray notify). Takes what arrived, so a
     * failure does not leak into the next step.
     *
     * @param within how long to watch; the call always takes this long when nothing comes
     * @throws AssertionError naming every publish that arrived, in order
     */
    public void expectNothingMore(Duration within) {
        DevicePublish first;
        try {
            first = received.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while checking that the device sent nothing more", e);
        }
        if (first == null) {
            return;
        }
        List<DevicePublish> extra = new ArrayList<>();
        extra.add(first);
        received.drainTo(extra);
        seen.addAll(extra);
        throw new AssertionError("expected nothing more from the device within " + within + " but got "
                + extra.size() + ": " + extra.stream().map(LockstepPeer::describe).toList());
    }

    /**
     * Sends a request and checks the reply: the lockstep step. Returns the reply.
     *
     * @param clientId the device's MQTT client id
     * @param topic the request topic
     * @param request the request text, exactly as sent
     * @param replyTopic the topic the reply must come on
     * @param expectedReply the expected reply as JSON text, compared by meaning
     * @param timeout the bound for the send and, again, for the reply
     * @return the reply
     * @throws AssertionError as {@link #send} and {@link #expect} do
     */
    public DevicePublish exchange(String clientId, String topic, String request, String replyTopic, String expectedReply,
            Duration timeout) {
        send(clientId, topic, request, timeout);
        return expect(replyTopic, expectedReply, timeout);
    }

    /**
     * Waits until a device connected ({@code +id}) or disconnected ({@code -id}). Other
     * connection events seen meanwhile are consumed.
     *
     * @param marker {@code +} or {@code -} followed by the MQTT client id
     * @param timeout how long to wait
     * @throws AssertionError naming the other events seen, if the marker does not come in time
     */
    public void awaitConnection(String marker, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> other = new ArrayList<>();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String m = left <= 0 ? null : connections.poll(left, TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new AssertionError("no " + marker + " within " + timeout + "; saw " + other);
                }
                if (m.equals(marker)) {
                    return;
                }
                other.add(m);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * The string value of a top-level member of a publish's JSON payload, e.g. its reqId.
     *
     * @param p a publish whose payload is a JSON object
     * @param name the member's name
     * @return a string member's value, or any other member as JSON text
     * @throws AssertionError if the member is absent
     * @throws IllegalArgumentException if the payload is not JSON
     * @throws ClassCastException if the payload is JSON but not an object
     */
    public static String member(DevicePublish p, String name) {
        JsonValue v = ((JsonObject) JsonValue.parse(p.payload())).get(name)
                .orElseThrow(() -> new AssertionError("no " + name + " in " + describe(p)));
        return v instanceof JsonString s ? s.value() : v.toJson();
    }

    static boolean matches(JsonValue expected, JsonValue actual) {
        if (expected instanceof JsonString s && s.value().equals(ANY)) {
            return true;
        }
        if (expected instanceof JsonObject e && actual instanceof JsonObject a) {
            if (!e.members().keySet().equals(a.members().keySet())) {
                return false;
            }
            for (Map.Entry<String, JsonValue> m : e.members().entrySet()) {
                if (!matches(m.getValue(), a.members().get(m.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (expected instanceof JsonArray e && actual instanceof JsonArray a) {
            if (e.elements().size() != a.elements().size()) {
                return false;
            }
            for (int i = 0; i < e.elements().size(); i++) {
                if (!matches(e.elements().get(i), a.elements().get(i))) {
                    return false;
                }
            }
            return true;
        }
        return expected.equals(actual);
    }

    /** The publish as one safe line: device text goes through the one wire-text escaping. */
    private static String describe(DevicePublish p) {
        return WireText.escape(p.topic()) + " " + WireText.escape(new String(p.payload(), StandardCharsets.UTF_8));
    }
}
