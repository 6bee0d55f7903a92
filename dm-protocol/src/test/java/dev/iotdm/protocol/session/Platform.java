package dev.iotdm.protocol.session;

import dev.iotdm.protocol.codec.Encoded;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.Cancel;
import dev.iotdm.protocol.message.Command;
import dev.iotdm.protocol.message.CustomAction;
import dev.iotdm.protocol.message.DeviceUpdate;
import dev.iotdm.protocol.message.FactoryReset;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.FirmwareDownload;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.FirmwareUpdate;
import dev.iotdm.protocol.message.Observe;
import dev.iotdm.protocol.message.Parameter;
import dev.iotdm.protocol.message.PlatformMessage;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Reboot;
import dev.iotdm.protocol.topic.CustomActionTopic;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The platform's side of a {@link SessionHarness}: each {@code send...} builds the request with a
 * fresh reqId ({@code p-1, p-2, ...}), encodes it with the codec, delivers it to the device and
 * returns the reqId to match the answer with. Everything sent is kept, so {@link #redeliver}
 * can play a QoS 1 redelivery of the exact same bytes.
 *
 * <p>Thread-safety: not thread-safe; one test thread.
 */
public final class Platform {

    private record Delivery(String topic, byte[] payload) {
    }

    private final SessionHarness harness;
    private final Map<String, Delivery> byReqId = new HashMap<>();
    private int next;

    Platform(SessionHarness harness) {
        this.harness = harness;
    }

    /** A fresh platform reqId. */
    public String nextReqId() {
        return "p-" + ++next;
    }

    /** Sends reboot (§4.5). */
    public String sendReboot() {
        String id = nextReqId();
        send(new Reboot(id));
        return id;
    }

    /** Sends factory reset (§4.6). */
    public String sendFactoryReset() {
        String id = nextReqId();
        send(new FactoryReset(id));
        return id;
    }

    /** Sends firmware download (§4.7). */
    public String sendFirmwareDownload() {
        String id = nextReqId();
        send(new FirmwareDownload(id));
        return id;
    }

    /** Sends firmware update, i.e. install (§4.8). */
    public String sendFirmwareUpdate() {
        String id = nextReqId();
        send(new FirmwareUpdate(id));
        return id;
    }

    /** Sends observe for these fields (§4.3). */
    public String sendObserve(String... fields) {
        String id = nextReqId();
        send(Observe.of(id, fields));
        return id;
    }

    /** Sends cancel for these fields (§4.4). */
    public String sendCancel(String... fields) {
        String id = nextReqId();
        send(Cancel.of(id, fields));
        return id;
    }

    /** Sends device/update with a reqId (§4.2). */
    public String sendDeviceUpdate(FieldValue... fields) {
        String id = nextReqId();
        send(DeviceUpdate.of(id, fields));
        return id;
    }

    /** Pushes device/update without a reqId: no answer is due (§12.12). */
    public void pushDeviceUpdate(FieldValue... fields) {
        send(new DeviceUpdate(Optional.empty(), List.of(fields)));
    }

    /** Sends the firmware image parameters with device/update, as §6.2 step 1 does. */
    public String sendFirmwareImage(FirmwareInfo image) {
        return sendDeviceUpdate(new FirmwareField(image));
    }

    /** Sends a custom action (§8.3). */
    public String sendCustomAction(String bundleId, String actionId, Parameter... parameters) {
        String id = nextReqId();
        send(new CustomAction(id, new CustomActionTopic(bundleId, actionId), List.of(parameters)));
        return id;
    }

    /** Sends a JSON command (§10.2). */
    public void sendCommand(String commandId, JsonValue payload) {
        send(Command.json(commandId, payload));
    }

    /** Answers a device request on {@code iotdm-1/response}. */
    public void respond(String reqId, Rc rc) {
        send(PlatformResponse.of(reqId, rc));
    }

    /** Encodes and delivers any platform message. */
    public void send(PlatformMessage message) {
        Encoded e = harness.codec().encode(message);
        message.requestId().ifPresent(id -> byReqId.put(id, new Delivery(e.topic(), e.payload())));
        harness.deliver(e.topic(), e.payload());
    }

    /** Delivers raw text on a topic, for malformed or unknown input; a reqId given is remembered for redelivery. */
    public void sendRaw(String topic, String payload, String reqIdForRedelivery) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        if (reqIdForRedelivery != null) {
            byReqId.put(reqIdForRedelivery, new Delivery(topic, bytes));
        }
        harness.deliver(topic, bytes);
    }

    /** Delivers raw text on a topic. */
    public void sendRaw(String topic, String payload) {
        sendRaw(topic, payload, null);
    }

    /** Delivers again exactly what was sent with this reqId, as a QoS 1 redelivery would. */
    public void redeliver(String reqId) {
        Delivery d = byReqId.get(reqId);
        if (d == null) {
            throw new IllegalArgumentException("the platform never sent a request with reqId " + reqId);
        }
        harness.deliver(d.topic(), d.payload().clone());
    }
}
