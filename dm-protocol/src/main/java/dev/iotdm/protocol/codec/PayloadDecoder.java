package dev.iotdm.protocol.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.internal.Jackson;
import dev.iotdm.protocol.json.internal.JsonIo;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.AddErrorCode;
import dev.iotdm.protocol.message.AddLog;
import dev.iotdm.protocol.message.Cancel;
import dev.iotdm.protocol.message.ClearErrorCodes;
import dev.iotdm.protocol.message.ClearLog;
import dev.iotdm.protocol.message.Command;
import dev.iotdm.protocol.message.CustomAction;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.DeviceInfoField;
import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.DeviceUpdate;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.protocol.message.FactoryReset;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.FirmwareDownload;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.FirmwareUpdate;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LocationField;
import dev.iotdm.protocol.message.LogEntry;
import dev.iotdm.protocol.message.LogSeverity;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Message;
import dev.iotdm.protocol.message.MetadataField;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.Observe;
import dev.iotdm.protocol.message.OtherField;
import dev.iotdm.protocol.message.Parameter;
import dev.iotdm.protocol.message.Payload;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Reboot;
import dev.iotdm.protocol.message.Supports;
import dev.iotdm.protocol.message.Timestamp;
import dev.iotdm.protocol.message.Unmanage;
import dev.iotdm.protocol.message.UpdateLocation;
import dev.iotdm.protocol.topic.CommandTopic;
import dev.iotdm.protocol.topic.CustomActionTopic;
import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.EventTopic;
import dev.iotdm.protocol.topic.Identifiers;
import dev.iotdm.protocol.topic.Topic;
import dev.iotdm.protocol.topic.UnknownTopic;
import java.io.CharConversionException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Decodes one payload for one topic: the envelope ({@code reqId}, {@code rc}, {@code message},
 * {@code d}) in any key order, then the topic's {@code d} straight from the token stream into
 * records. Lenient exactly where protocol.md §12 and §14 say so; strict everywhere else.
 */
final class PayloadDecoder {

    private PayloadDecoder() {
    }

    static DecodeResult decode(String topicName, byte[] payload, int maxPayloadBytes) {
        Topic topic = Topic.parse(topicName);
        boolean request = isRequestTopic(topic);
        if (payload.length > maxPayloadBytes) {
            // Not parsed; but a reqId in the first bytes is read, so the request is answered 400
            // naming the limit instead of never (the scan is bounded by REQ_ID_SCAN_BYTES).
            return new DecodeError(topicName, Problem.PAYLOAD_TOO_LARGE,
                    payload.length + " bytes is over the limit of " + maxPayloadBytes + " bytes",
                    scanReqId(java.util.Arrays.copyOf(payload, Math.min(payload.length, REQ_ID_SCAN_BYTES))), request);
        }
        if (topic instanceof EventTopic t) {
            return new Decoded(new Event(t, Payload.of(payload)), List.of());
        }
        if (topic instanceof CommandTopic t) {
            return new Decoded(new Command(t, Payload.of(payload)), List.of());
        }
        if (topic instanceof UnknownTopic) {
            return new DecodeError(topicName, Problem.UNKNOWN_TOPIC, "not a topic of the protocol",
                    scanReqId(payload), request);
        }
        int invalid = Jackson.firstInvalidUtf8(payload);
        if (invalid >= 0) {
            return new DecodeError(topicName, Problem.INVALID_STRING, notUtf8(payload, invalid), scanReqId(payload),
                    request);
        }
        try (JsonParser p = Jackson.FACTORY.createParser(payload)) {
            Reader r = new Reader(p);
            Message m = envelope(topic, r);
            if (p.nextToken() != null) {
                throw new Bad(Problem.MALFORMED_JSON, "trailing content after the JSON object");
            }
            return new Decoded(m, r.normalisations());
        } catch (Bad b) {
            return new DecodeError(topicName, b.problem, b.describe(), scanReqId(payload), request);
        } catch (StreamConstraintsException e) {
            return new DecodeError(topicName, Problem.LIMIT_EXCEEDED, jacksonDetail(e.getOriginalMessage()),
                    scanReqId(payload), request);
        } catch (JsonParseException e) {
            return new DecodeError(topicName, classify(e), jacksonDetail(e.getOriginalMessage()) + where(e),
                    scanReqId(payload), request);
        } catch (CharConversionException e) {
            return new DecodeError(topicName, Problem.INVALID_STRING, e.getMessage(), scanReqId(payload), request);
        } catch (IOException | RuntimeException e) {
            // Defensive: the contract is that nothing escapes decode, whatever the input.
            return new DecodeError(topicName, Problem.MALFORMED_JSON, String.valueOf(e.getMessage()),
                    scanReqId(payload), request);
        }
    }

    /**
     * Whether a message on this topic expects an answer: a request, or a message on an unknown
     * topic of either DM namespace, which is answered 404 (protocol.md §3, §5.1, §12.31).
     */
    static boolean isRequestTopic(Topic topic) {
        if (topic instanceof DmTopic t) {
            return !isResponseTopic(t);
        }
        if (topic instanceof UnknownTopic u) {
            return u.isDmNamespace() || u.isDeviceDmNamespace();
        }
        return topic instanceof CustomActionTopic;
    }

    private static boolean isResponseTopic(Topic topic) {
        return topic == DmTopic.DEVICE_RESPONSE || topic == DmTopic.PLATFORM_RESPONSE;
    }

    /**
     * Jackson's message without its pointers into Jackson's own configuration and source, which
     * say nothing to whoever reads a decode error.
     */
    static String jacksonDetail(String message) {
        String m = String.valueOf(message);
        int marker = m.indexOf(" (start marker at ");
        if (marker >= 0) {
            m = m.substring(0, marker);
        }
        int from = m.indexOf(", from `");
        if (from >= 0) {
            int end = m.indexOf('`', from + 8);
            m = end < 0 ? m.substring(0, from) : m.substring(0, from) + m.substring(end + 1);
        }
        return m;
    }

    /** Names the offending byte; a NUL is the sign of UTF-16 or UTF-32 input. */
    static String notUtf8(byte[] payload, int offset) {
        return payload[offset] == 0 ? "NUL at byte " + offset + ": payloads are UTF-8 JSON"
                : String.format("invalid UTF-8 at byte %d (0x%02x)", offset, payload[offset] & 0xff);
    }

    private static String where(JsonParseException e) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 0 ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private static Problem classify(JsonParseException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.startsWith("Duplicate field")) {
            return Problem.DUPLICATE_KEY;
        }
        if (m.contains("UTF-8") || m.contains("UTF8") || m.contains("surrogate")) {
            return Problem.INVALID_STRING;
        }
        return Problem.MALFORMED_JSON;
    }

    /**
     * The parsers of {@link #scanReqId}: no duplicate-key detection and no limits tighter than the
     * payload itself, so that a repeated key, deep nesting or a long number or name before the
     * reqId (the very problems that sent us to the error path) do not hide it from the answer
     * (protocol.md §5.1: a malformed request is answered 400). Skipping values is iterative and
     * linear in the payload, which the inbound limit bounds.
     */
    private static final JsonFactory SCAN_FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .maxDocumentLength(-1L)
                    .build())
            .build();

    /**
     * Best-effort read of a top-level string {@code reqId}, for error reports: tolerates anything,
     * stops at the first problem. Runs only on the error path.
     */
    /** How much of an oversize payload is scanned for its reqId. */
    static final int REQ_ID_SCAN_BYTES = 4096;

    static Optional<String> scanReqId(byte[] payload) {
        try (JsonParser p = SCAN_FACTORY.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("reqId".equals(name) && t == JsonToken.VALUE_STRING) {
                    String s = p.getText();
                    return Jackson.isWellFormedUtf16(s) ? Optional.of(s) : Optional.empty();
                }
                p.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            // whatever we could not read, we do not know
        }
        return Optional.empty();
    }

    /** The parts of an envelope, filled in key order as they come. */
    private static final class Envelope {
        Optional<String> reqId = Optional.empty();
        Rc rc;
        Optional<String> message = Optional.empty();
        Object d;
    }

    private static Message envelope(Topic topic, Reader r) throws Bad, IOException {
        JsonParser p = r.p;
        if (p.nextToken() == null) {
            throw new Bad(Problem.MALFORMED_JSON, "empty payload");
        }
        Envelope e = new Envelope();
        boolean response = isResponseTopic(topic);
        r.beginObject();
        for (String name = r.nextMember(); name != null; name = r.nextMember()) {
            try {
                switch (name) {
                    case "reqId" -> e.reqId = r.nullableString(Normalisation.NULL_REQ_ID);
                    case "d" -> e.d = d(topic, r);
                    // rc and message belong to responses; on a request they are unknown keys (§2.1, §12.35).
                    case "rc" -> {
                        if (response) {
                            e.rc = rc(r);
                        } else {
                            r.skip();
                        }
                    }
                    case "message" -> {
                        if (response) {
                            e.message = Optional.of(r.string());
                        } else {
                            r.skip();
                        }
                    }
                    default -> r.skip();
                }
            } catch (Bad b) {
                throw b.at(name);
            }
        }
        // Requests only: a response carries the requester's own reqId back, whatever its length.
        if (!response && e.reqId.isPresent() && e.reqId.get().length() > Codec.MAX_REQ_ID_LENGTH) {
            throw new Bad(Problem.LIMIT_EXCEEDED, "reqId is " + e.reqId.get().length()
                    + " characters, over the limit of " + Codec.MAX_REQ_ID_LENGTH);
        }
        return build(topic, e);
    }

    private static Rc rc(Reader r) throws Bad, IOException {
        JsonParser p = r.p;
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            String s = p.getText();
            if (s.length() == 3 && Character.isDigit(s.charAt(0)) && Character.isDigit(s.charAt(1))
                    && Character.isDigit(s.charAt(2)) && s.charAt(0) != '0') {
                r.normalised(Normalisation.RC_AS_STRING);
                return Rc.of(Integer.parseInt(s));
            }
            throw new Bad(Problem.INVALID_VALUE, "not a numeric response code: '" + Reader.abbreviate(s) + "'");
        }
        return Rc.of((int) r.integer(100, 999));
    }

    /** Reads {@code d} for the topic; what it returns depends on the topic (see {@link #build}). */
    private static Object d(Topic topic, Reader r) throws Bad, IOException {
        if (topic instanceof CustomActionTopic) {
            return parameters(r);
        }
        DmTopic t = (DmTopic) topic;
        return switch (t) {
            case MANAGE -> manageData(r);
            case UPDATE_LOCATION -> location(r);
            case ADD_ERROR_CODE -> errorCode(r);
            case ADD_LOG -> logEntry(r);
            case NOTIFY -> fieldValues(r, Normalisation.NOTIFY_SINGLE_FIELD, false);
            case DEVICE_UPDATE -> fieldValues(r, Normalisation.UPDATE_SINGLE_FIELD, true);
            case OBSERVE, CANCEL -> fieldNames(r);
            case DEVICE_RESPONSE, PLATFORM_RESPONSE -> JsonIo.read(r.p);
            case UNMANAGE, CLEAR_ERROR_CODES, CLEAR_LOG, REBOOT, FACTORY_RESET, FIRMWARE_DOWNLOAD, FIRMWARE_UPDATE -> {
                // No data is defined for these (§3.2, §3.5, §3.7, §4.5-§4.8): ignore it like an unknown key.
                r.p.skipChildren();
                yield null;
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static Message build(Topic topic, Envelope e) throws Bad {
        if (topic instanceof CustomActionTopic c) {
            return new CustomAction(requireReqId(e), c, e.d == null ? List.of() : (List<Parameter>) e.d);
        }
        DmTopic t = (DmTopic) topic;
        return switch (t) {
            case MANAGE -> {
                ManageData m = e.d == null ? ManageData.NONE : (ManageData) e.d;
                yield new Manage(requireReqId(e), m.lifetime, m.supports, m.deviceInfo, m.metadata);
            }
            case UNMANAGE -> new Unmanage(requireReqId(e));
            case UPDATE_LOCATION -> new UpdateLocation(requireReqId(e), (Location) requireD(e));
            case ADD_ERROR_CODE -> new AddErrorCode(requireReqId(e), (Integer) requireD(e));
            case CLEAR_ERROR_CODES -> new ClearErrorCodes(requireReqId(e));
            case ADD_LOG -> new AddLog(requireReqId(e), (LogEntry) requireD(e));
            case CLEAR_LOG -> new ClearLog(requireReqId(e));
            case NOTIFY -> new Notify(e.reqId, (List<FieldValue>) requireD(e));
            case DEVICE_UPDATE -> new DeviceUpdate(e.reqId, (List<FieldValue>) requireD(e));
            case OBSERVE -> new Observe(requireReqId(e), (List<String>) requireD(e));
            case CANCEL -> new Cancel(requireReqId(e), (List<String>) requireD(e));
            case REBOOT -> new Reboot(requireReqId(e));
            case FACTORY_RESET -> new FactoryReset(requireReqId(e));
            case FIRMWARE_DOWNLOAD -> new FirmwareDownload(requireReqId(e));
            case FIRMWARE_UPDATE -> new FirmwareUpdate(requireReqId(e));
            case DEVICE_RESPONSE -> new DeviceResponse(requireRc(e), e.reqId, e.message,
                    Optional.ofNullable((JsonValue) e.d));
            case PLATFORM_RESPONSE -> new PlatformResponse(requireRc(e), e.reqId, e.message,
                    Optional.ofNullable((JsonValue) e.d));
        };
    }

    private static String requireReqId(Envelope e) throws Bad {
        return e.reqId.orElseThrow(() -> Reader.missing("reqId"));
    }

    private static Rc requireRc(Envelope e) throws Bad {
        if (e.rc == null) {
            throw Reader.missing("rc");
        }
        return e.rc;
    }

    private static Object requireD(Envelope e) throws Bad {
        if (e.d == null) {
            throw Reader.missing("d");
        }
        return e.d;
    }

    // ---- d of each message ------------------------------------------------------------------

    /** The parts of a manage {@code d} (§3.1). */
    private record ManageData(OptionalLong lifetime, Optional<Supports> supports, Optional<DeviceInfo> deviceInfo,
            Optional<JsonObject> metadata) {
        static final ManageData NONE = new ManageData(OptionalLong.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    private static ManageData manageData(Reader r) throws Bad, IOException {
        long lifetime = -1;
        Supports supports = null;
        DeviceInfo deviceInfo = null;
        JsonObject metadata = null;
        r.beginObject();
        for (String name = r.nextMember(); name != null; name = r.nextMember()) {
            try {
                switch (name) {
                    case "lifetime" -> {
                        long v = r.integer(0, Integer.MAX_VALUE);
                        if (v != 0 && v < Manage.MIN_LIFETIME_SECONDS) {
                            throw new Bad(Problem.OUT_OF_RANGE,
                                    "must be 0 or at least " + Manage.MIN_LIFETIME_SECONDS + " seconds, got " + v);
                        }
                        lifetime = v;
                    }
                    case "supports" -> supports = supports(r);
                    case "deviceInfo" -> deviceInfo = deviceInfo(r);
                    case "metadata" -> metadata = metadata(r);
                    default -> r.skip();
                }
            } catch (Bad b) {
                throw b.at(name);
            }
        }
        return new ManageData(lifetime < 0 ? OptionalLong.empty() : OptionalLong.of(lifetime),
                Optional.ofNullable(supports), Optional.ofNullable(deviceInfo), Optional.ofNullable(metadata));
    }

    private static Supports supports(Reader r) throws Bad, IOException {
        boolean deviceActions = false;
        boolean firmwareActions = false;
        List<String> bundles = List.of();
        r.beginObject();
        for (String name = r.nextMember(); name != null; name = r.nextMember()) {
            try {
                boolean value = r.flag();
                switch (name) {
                    case "deviceActions" -> deviceActions = value;
                    case "firmwareActions" -> firmwareActions = value;
                    default -> {
                        Optional<String> problem = Identifiers.checkBundleId(name);
                        if (problem.isPresent()) {
                            throw new Bad(Problem.INVALID_VALUE, "not a valid bundle id: " + problem.get());
                        }
                        if (value) {
                            if (bundles.isEmpty()) {
                                bundles = new ArrayList<>(2);
                            }
                            bundles.add(name);
                        }
                    }
                }
            } catch (Bad b) {
                throw b.at(name);
            }
        }
        return new Supports(deviceActions, firmwareActions, bundles);
    }

    private static DeviceInfo deviceInfo(Reader r) throws Bad, IOException {
        DeviceInfo.Builder b = DeviceInfo.builder();
        r.beginObject();
        for (String name = r.nextMember(); name != null; name = r.nextMember()) {
            if (!DeviceInfo.KEYS.contains(name)) {
                r.skip();
                continue;
            }
            try {
                b.set(name, r.nullableString(Normalisation.DEVICE_INFO_NULLS).orElse(null));
            } catch (Bad bad) {
                throw bad.at(name);
            }
        }
        return b.build();
    }

    private static JsonObject metadata(Reader r) throws Bad, IOException {
        if (r.p.currentToken() != JsonToken.START_OBJECT) {
            throw Reader.wrongType("an object", r.p.currentToken());
        }
        return (JsonObject) JsonIo.read(r.p);
    }

    private static Location location(Reader r) throws Bad, IOException {
        double latitude = Double.NaN;
        double longitude = Double.NaN;
        OptionalDouble elevation = OptionalDouble.empty();
        OptionalDouble accuracy = OptionalDouble.empty();
        Timestamp measured = null;
        Timestamp updated = null;
        r.beginObject();
        for (String name = r.nextMember(); name != null; name = r.nextMember()) {
            try {
                switch (name) {
                    case "latitude" -> latitude = r.number(-90, 90);
                    case "longitude" -> longitude = r.number(-180, 180);
                    case "elevation" -> elevation = OptionalDouble.of(
                            r.number(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
                    case "accuracy" -> accuracy = OptionalDouble.of(r.number(0, Double.POSITIVE_INFINITY));
                    case "measuredDateTime" -> measured = r.timestamp();
                    case "updatedDateTime" -> updated = r.timestamp();
                    default -> r.skip();
                }
            } catch (Bad b) {
                throw b.at(name);
            }
        }
        if (Double.isNaN(latitude)) {
            throw Reader.missing("latitude");
        }
        if (Double.isNaN(longitude)) {
            throw Reader.missing("longitude");
        }
        return new Location(latitude, longitude, elevation, accuracy, Optional.ofNullable(measured),
                Optional.ofNullable(updated));
    }

    private static Integer errorCode(Reader r) throws Bad, IOException {
        Integer code = null;
        r.beginObject();
        for (String name = r.nextMember(); name != null; name = r.nextMember()) {
            if (!name.equals("errorCode")) {
                r.skip();
                continue;
            }
            try {
                code = (int) r.integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
            } catch (Bad b) {
                throw b.at(name);
            }
        }
        if (code == null) {
            throw Reader.missing("errorCode");
        }
        return code;
    }

    private static LogEntry logEntry(Reader r) throws Bad, IOException {
        String message = null;
        Timestamp timestamp = null;
        String data = null;
        LogSeverity severity = null;
        r.beginObject();
        for (String name = r.nextMember(); name != null; name = r.nextMember()) {
            try {
                switch (name) {
                    case "message" -> message = r.string();
                    case "timestamp" -> timestamp = r.timestamp();
                    case "data" -> data = r.string();
                    case "severity" -> severity = LogSeverity.fromCode(r.integer(0, 2)).orElseThrow();
                    default -> r.skip();
                }
            } catch (Bad b) {
                throw b.at(name);
            }
        }
        // Reported in the order the fields are listed in §3.6.
        if (message == null) {
            throw Reader.missing("message");
        }
        if (timestamp == null) {
            throw Reader.missing("timestamp");
        }
        if (severity == null) {
            throw Reader.missing("severity");
        }
        return new LogEntry(message, timestamp, Optional.ofNullable(data), severity);
    }

    /**
     * Reads {@code mgmt.firmware}. In a device/update the platform sends {@code updatedDateTime: ""}
     * until it has a time (§4.2, §6.1, §6.2): canonical there, a leniency anywhere else.
     */
    private static FirmwareInfo firmware(Reader r, boolean platformWrite) throws Bad, IOException {
        String version = null;
        String name = null;
        String uri = null;
        String verifier = null;
        FirmwareState state = null;
        UpdateStatus updateStatus = null;
        Timestamp updated = null;
        r.beginObject();
        for (String member = r.nextMember(); member != null; member = r.nextMember()) {
            try {
                switch (member) {
                    case "version" -> version = r.string();
                    case "name" -> name = r.string();
                    case "uri" -> uri = r.string();
                    case "verifier" -> verifier = r.string();
                    case "state" -> state = FirmwareState.fromCode(r.integer(0, 2)).orElseThrow();
                    case "updateStatus" -> updateStatus = UpdateStatus.fromCode(r.integer(0, 6)).orElseThrow();
                    case "updatedDateTime" -> {
                        if (r.p.currentToken() == JsonToken.VALUE_STRING && r.p.getTextLength() == 0) {
                            if (!platformWrite) {
                                r.normalised(Normalisation.EMPTY_TIMESTAMP);
                            }
                        } else {
                            updated = r.timestamp();
                        }
                    }
                    default -> r.skip();
                }
            } catch (Bad b) {
                throw b.at(member);
            }
        }
        return new FirmwareInfo(Optional.ofNullable(version), Optional.ofNullable(name), Optional.ofNullable(uri),
                Optional.ofNullable(verifier), Optional.ofNullable(state), Optional.ofNullable(updateStatus),
                Optional.ofNullable(updated));
    }

    /**
     * {@code d} of notify and device/update: {@code {"fields": [{"field", "value"}...]}}, or the
     * old single {@code {"field", "value"}} form recorded as {@code singleForm}.
     * {@code platformWrite} marks a device/update, whose firmware values read differently.
     */
    private static List<FieldValue> fieldValues(Reader r, Normalisation singleForm, boolean platformWrite)
            throws Bad, IOException {
        List<FieldValue> out = new ArrayList<>(2);
        FieldEntry single = new FieldEntry(platformWrite);
        boolean arraySeen = false;
        r.beginObject();
        for (String name = r.nextMember(); name != null; name = r.nextMember()) {
            try {
                switch (name) {
                    case "fields" -> {
                        arraySeen = true;
                        fieldEntries(r, platformWrite, out);
                        if (out.isEmpty()) {
                            throw new Bad(Problem.MISSING_FIELD, "must hold at least one field");
                        }
                    }
                    case "field", "value" -> single.member(r, name);
                    default -> r.skip();
                }
            } catch (Bad b) {
                throw b.at(name);
            }
        }
        if (single.seen()) {
            if (arraySeen) {
                throw new Bad(Problem.INVALID_VALUE, "both a fields array and a single field");
            }
            r.normalised(singleForm);
            out.add(single.finish(r));
        }
        if (out.isEmpty()) {
            throw Reader.missing("fields");
        }
        return out;
    }

    /** The elements of a {@code fields} array of field entries, added to {@code out}. */
    private static void fieldEntries(Reader r, boolean platformWrite, List<FieldValue> out) throws Bad, IOException {
        if (r.p.currentToken() != JsonToken.START_ARRAY) {
            throw Reader.wrongType("an array", r.p.currentToken());
        }
        int i = 0;
        while (r.p.nextToken() != JsonToken.END_ARRAY) {
            try {
                out.add(fieldEntry(r, platformWrite));
            } catch (Bad b) {
                throw b.at(i);
            }
            i++;
        }
    }

    private static FieldValue fieldEntry(Reader r, boolean platformWrite) throws Bad, IOException {
        FieldEntry entry = new FieldEntry(platformWrite);
        r.beginObject();
        for (String name = r.nextMember(); name != null; name = r.nextMember()) {
            if (!name.equals("field") && !name.equals("value")) {
                r.skip();
                continue;
            }
            try {
                entry.member(r, name);
            } catch (Bad b) {
                throw b.at(name);
            }
        }
        return entry.finish(r);
    }

    /**
     * One {@code {"field": name, "value": v}} in either key order. The value's type depends on the
     * name, so when the value comes first it is held as JSON and read again once the name is
     * known; every real client sends the name first, so that path is rare.
     */
    private static final class FieldEntry {
        final boolean platformWrite;
        String field;
        FieldValue typed;
        JsonValue pending;
        boolean valueSeen;

        FieldEntry(boolean platformWrite) {
            this.platformWrite = platformWrite;
        }

        boolean seen() {
            return field != null || valueSeen;
        }

        void member(Reader r, String name) throws Bad, IOException {
            if (name.equals("field")) {
                field = r.string();
                if (field.isEmpty()) {
                    throw new Bad(Problem.INVALID_VALUE, "field name must not be empty");
                }
                return;
            }
            valueSeen = true;
            if (field != null) {
                typed = typedValue(field, r, platformWrite);
            } else {
                pending = JsonIo.read(r.p);
            }
        }

        FieldValue finish(Reader r) throws Bad, IOException {
            if (field == null) {
                throw Reader.missing("field");
            }
            if (!valueSeen) {
                throw Reader.missing("value");
            }
            if (typed != null) {
                return typed;
            }
            try (JsonParser again = Jackson.FACTORY.createParser(pending.toJsonBytes())) {
                again.nextToken();
                Reader sub = new Reader(again);
                FieldValue v = typedValue(field, sub, platformWrite);
                r.normalisedAll(sub);
                return v;
            } catch (Bad b) {
                throw b.at("value");
            }
        }
    }

    private static FieldValue typedValue(String field, Reader r, boolean platformWrite) throws Bad, IOException {
        return switch (field) {
            case FieldValue.FIRMWARE -> new FirmwareField(firmware(r, platformWrite));
            case FieldValue.LOCATION -> new LocationField(location(r));
            case FieldValue.DEVICE_INFO -> new DeviceInfoField(deviceInfo(r));
            case FieldValue.METADATA -> new MetadataField(metadata(r));
            default -> new OtherField(field, JsonIo.read(r.p));
        };
    }

    /** Reads a response's {@code d} for a view: {@code fields} as values, or as names. */
    static <T> T view(dev.iotdm.protocol.json.JsonValue d, boolean values) throws Bad {
        try (JsonParser p = Jackson.FACTORY.createParser(d.toJsonBytes())) {
            p.nextToken();
            Reader r = new Reader(p);
            @SuppressWarnings("unchecked")
            T result = (T) (values ? fieldValues(r, Normalisation.NOTIFY_SINGLE_FIELD, false) : fieldNames(r));
            return result;
        } catch (IOException e) {
            throw new Bad(Problem.MALFORMED_JSON, String.valueOf(e.getMessage()));
        }
    }

    /** {@code d} of observe and cancel: names as {@code {"field": n}} objects or plain strings (§12.4). */
    private static List<String> fieldNames(Reader r) throws Bad, IOException {
        List<String> names = new ArrayList<>();
        boolean[] seen = {false};
        r.object(name -> {
            if (!name.equals("fields")) {
                return false;
            }
            seen[0] = true;
            r.array(i -> {
                String n;
                if (r.p.currentToken() == JsonToken.VALUE_STRING) {
                    r.normalised(Normalisation.FIELD_NAMES_AS_STRINGS);
                    n = r.string();
                } else if (r.p.currentToken() != JsonToken.START_OBJECT) {
                    throw Reader.wrongType("an object or a string", r.p.currentToken());
                } else {
                    String[] holder = {null};
                    r.object(member -> {
                        if (!member.equals("field")) {
                            return false;
                        }
                        holder[0] = r.string();
                        return true;
                    });
                    if (holder[0] == null) {
                        throw Reader.missing("field");
                    }
                    n = holder[0];
                }
                if (n.isEmpty()) {
                    throw new Bad(Problem.INVALID_VALUE, "field name must not be empty");
                }
                names.add(n);
            });
            return true;
        });
        if (!seen[0]) {
            throw Reader.missing("fields");
        }
        return names;
    }

    /** {@code d} of a custom action: {@code {"fields": [{"field": name, "value": v}...]}} (§8.3). */
    private static List<Parameter> parameters(Reader r) throws Bad, IOException {
        List<Parameter> out = new ArrayList<>();
        r.object(name -> {
            if (!name.equals("fields")) {
                return false;
            }
            r.array(i -> {
                Object[] nv = new Object[2];
                r.object(member -> {
                    switch (member) {
                        case "field" -> nv[0] = r.string();
                        case "value" -> nv[1] = JsonIo.read(r.p);
                        default -> {
                            return false;
                        }
                    }
                    return true;
                });
                if (nv[0] == null) {
                    throw Reader.missing("field");
                }
                if (nv[1] == null) {
                    throw Reader.missing("value");
                }
                out.add(new Parameter((String) nv[0], (JsonValue) nv[1]));
            });
            return true;
        });
        return out;
    }
}
