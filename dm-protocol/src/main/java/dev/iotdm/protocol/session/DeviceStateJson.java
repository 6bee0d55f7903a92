package dev.iotdm.protocol.session;

import dev.iotdm.protocol.firmware.FirmwarePhase;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonBoolean;
import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Supports;
import dev.iotdm.protocol.message.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The JSON form of a {@link DeviceState}, as a state store keeps it (dm-client's file store writes
 * these bytes). Pure: no I/O here, so a custom store can reuse the same format.
 *
 * <p>Thread-safety: stateless.
 */
public final class DeviceStateJson {

    /**
     * The format this code writes. Version 2 adds {@code observed} and {@code acknowledged};
     * version 1 (without them) is still read, as a state with nothing observed.
     */
    public static final int FORMAT_VERSION = 2;

    /** The oldest format this code reads. */
    public static final int OLDEST_READABLE_VERSION = 1;

    private DeviceStateJson() {
    }

    /**
     * The state as UTF-8 JSON bytes.
     *
     * @param state the state, not null
     * @return a new array holding {@link #toJson} as compact UTF-8 JSON
     */
    public static byte[] encode(DeviceState state) {
        return toJson(state).toJsonBytes();
    }

    /**
     * The state read back from {@link #encode} bytes.
     *
     * @param json the bytes {@link #encode} wrote (or an older format version), not null
     * @return the state
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static DeviceState decode(byte[] json) {
        try {
            return fromJson((JsonObject) JsonValue.parse(json));
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("unexpected JSON type: " + e.getMessage(), e);
        }
    }

    /**
     * The state as a JSON object.
     *
     * @param s the state, not null
     * @return the object in the current format version, with a {@code version} member
     */
    public static JsonObject toJson(DeviceState s) {
        JsonObject.Builder fw = JsonObject.builder();
        FirmwareInfo f = s.firmware();
        f.version().ifPresent(v -> fw.put("version", v));
        f.name().ifPresent(v -> fw.put("name", v));
        f.uri().ifPresent(v -> fw.put("uri", v));
        f.verifier().ifPresent(v -> fw.put("verifier", v));
        f.state().ifPresent(v -> fw.put("state", v.code()));
        f.updateStatus().ifPresent(v -> fw.put("updateStatus", v.code()));
        f.updatedDateTime().ifPresent(v -> fw.put("updatedDateTime", v.text()));
        JsonObject.Builder root = JsonObject.builder().put("version", FORMAT_VERSION).put("firmware", fw.build())
                .put("phase", s.phase().name());
        s.manage().ifPresent(m -> {
            List<JsonValue> bundles = new ArrayList<>();
            m.supports().bundleIds().forEach(b -> bundles.add(new JsonString(b)));
            root.put("manage", JsonObject.builder().put("lifetime", m.lifetimeSeconds())
                    .put("deviceActions", m.supports().deviceActions())
                    .put("firmwareActions", m.supports().firmwareActions())
                    .put("bundleIds", new JsonArray(bundles)).build());
        });
        List<JsonValue> answers = new ArrayList<>();
        s.answered().forEach(a -> answers.add(answerToJson(a)));
        root.put("answered", new JsonArray(answers));
        List<JsonValue> observed = new ArrayList<>();
        s.observed().forEach(name -> observed.add(new JsonString(name)));
        root.put("observed", new JsonArray(observed));
        root.put("acknowledged", new JsonObject(s.acknowledged()));
        return root.build();
    }

    /**
     * One answered request as {@code {"reqId": ..., "response": ...}} (a journal record's body).
     *
     * @param a the answer, not null
     * @return the JSON object
     */
    public static JsonObject answerToJson(DeviceState.Answer a) {
        return JsonObject.builder().put("reqId", a.reqId()).put("response", a.response()).build();
    }

    /**
     * One answered request read back from {@link #answerToJson}.
     *
     * @param v the value {@link #answerToJson} wrote, not null
     * @return the answer
     * @throws IllegalArgumentException naming the key that is missing or malformed
     */
    public static DeviceState.Answer answerFromJson(JsonValue v) {
        try {
            JsonObject a = (JsonObject) v;
            return new DeviceState.Answer(str(a, "reqId").orElseThrow(() -> missing("answered.reqId")),
                    str(a, "response").orElseThrow(() -> missing("answered.response")));
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("answered: unexpected JSON type: " + e.getMessage(), e);
        }
    }

    /**
     * The state read back from {@link #toJson}. A state the device cannot trust is refused rather
     * than guessed at: an unknown format version or a value out of range throws, naming the key.
     *
     * @param root the object {@link #toJson} wrote (or an older format version), not null
     * @return the state
     * @throws IllegalArgumentException naming the key that is missing, malformed or out of range
     */
    public static DeviceState fromJson(JsonObject root) {
        long format = num(root, "version").orElseThrow(() -> missing("version"));
        if (format < OLDEST_READABLE_VERSION || format > FORMAT_VERSION) {
            throw new IllegalArgumentException("version: the state file has format " + format
                    + ", which this version of iotdm does not read (it reads " + OLDEST_READABLE_VERSION + " to "
                    + FORMAT_VERSION + ")");
        }
        JsonObject fw = obj(root, "firmware");
        FirmwareInfo firmware = new FirmwareInfo(str(fw, "version"), str(fw, "name"), str(fw, "uri"),
                str(fw, "verifier"),
                num(fw, "state").map(c -> FirmwareState.fromCode(c).orElseThrow(() -> outOfRange("firmware.state", c))),
                num(fw, "updateStatus").map(c -> UpdateStatus.fromCode(c)
                        .orElseThrow(() -> outOfRange("firmware.updateStatus", c))),
                str(fw, "updatedDateTime").map(Timestamp::new));
        String phaseName = str(root, "phase").orElseThrow(() -> missing("phase"));
        FirmwarePhase phase = java.util.Arrays.stream(FirmwarePhase.values()).filter(p -> p.name().equals(phaseName))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("phase: '" + phaseName
                        + "' is not a firmware phase " + java.util.Arrays.toString(FirmwarePhase.values())));
        Optional<ManageParams> manage = root.get("manage").map(v -> {
            JsonObject m = (JsonObject) v;
            List<String> bundles = new ArrayList<>();
            ((JsonArray) m.get("bundleIds").orElse(JsonArray.EMPTY)).elements()
                    .forEach(b -> bundles.add(((JsonString) b).value()));
            return new ManageParams(num(m, "lifetime").orElse(0L),
                    new Supports(bool(m, "deviceActions"), bool(m, "firmwareActions"), bundles));
        });
        List<DeviceState.Answer> answered = new ArrayList<>();
        ((JsonArray) root.get("answered").orElse(JsonArray.EMPTY)).elements()
                .forEach(v -> answered.add(answerFromJson(v)));
        // Version 1 has neither: nothing observed, nothing acknowledged.
        List<String> observed = new ArrayList<>();
        ((JsonArray) root.get("observed").orElse(JsonArray.EMPTY)).elements()
                .forEach(v -> observed.add(((JsonString) v).value()));
        JsonObject acknowledged = (JsonObject) root.get("acknowledged").orElse(JsonObject.EMPTY);
        for (String field : acknowledged.members().keySet()) {
            if (!observed.contains(field)) {
                throw new IllegalArgumentException("acknowledged." + field + ": the field is not observed");
            }
        }
        return new DeviceState(firmware, phase, manage, answered, observed, acknowledged.members());
    }

    private static IllegalArgumentException outOfRange(String key, long code) {
        return new IllegalArgumentException(key + ": " + code + " is out of range");
    }

    private static IllegalArgumentException missing(String key) {
        return new IllegalArgumentException("missing " + key);
    }

    private static JsonObject obj(JsonObject o, String key) {
        return (JsonObject) o.get(key).orElseThrow(() -> missing(key));
    }

    private static Optional<String> str(JsonObject o, String key) {
        return o.get(key).map(v -> ((JsonString) v).value());
    }

    private static Optional<Long> num(JsonObject o, String key) {
        return o.get(key).map(v -> ((JsonNumber) v).longValueExact().orElseThrow(() -> missing(key)));
    }

    private static boolean bool(JsonObject o, String key) {
        return o.get(key).map(v -> ((JsonBoolean) v).value()).orElse(false);
    }
}
