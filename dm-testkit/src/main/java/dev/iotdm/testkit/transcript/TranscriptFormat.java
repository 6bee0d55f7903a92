package dev.iotdm.testkit.transcript;

import dev.iotdm.protocol.json.JsonBoolean;
import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.topic.Direction;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Owns the two renderings of transcript items: the readable one-line text and the JSON-lines
 * form with its parser. Payloads that are valid UTF-8 are kept as exact text (so Python's
 * {@code ", "} spacing of §14 survives a round trip); anything else is base64.
 */
final class TranscriptFormat {

    static final String D_TO_P = "D->P";
    static final String P_TO_D = "P->D";
    static final String UTF8 = "utf8";
    static final String BASE64 = "base64";

    private static final Set<String> MESSAGE_KEYS = Set.of("kind", "time", "direction", "clientId", "topic", "payload",
            "payloadEncoding", "qos", "retain", "dup");
    private static final Set<String> MARKER_KEYS = Set.of("kind", "time", "clientId", "sessionPresent");

    private TranscriptFormat() {
    }

    static String arrow(Direction d) {
        return d == Direction.DEVICE_TO_PLATFORM ? D_TO_P : P_TO_D;
    }

    /** One readable line: time, arrow, client id, topic, QoS, retain, DUP, compact payload. */
    static String text(TranscriptItem item) {
        if (item instanceof TranscriptEntry e) {
            return e.time() + " " + arrow(e.direction()) + " " + e.clientId() + " " + e.topic() + " q" + e.qos()
                    + (e.retain() ? " RETAIN" : "") + (e.duplicate() ? " DUP" : "") + " " + compactPayload(e.payload());
        }
        ConnectionMarker m = (ConnectionMarker) item;
        return m.time() + " " + m.kind() + " " + m.clientId()
                + m.sessionPresent().map(p -> " sessionPresent=" + p).orElse("");
    }

    /** Valid JSON compacted; other UTF-8 text on one line; anything else as base64. */
    static String compactPayload(byte[] payload) {
        Optional<String> text = utf8(payload);
        if (text.isEmpty()) {
            return "base64:" + Base64.getEncoder().encodeToString(payload);
        }
        try {
            return JsonValue.parse(payload).toJson();
        } catch (IllegalArgumentException notJson) {
            return text.get().replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
        }
    }

    /** The bytes as text when they are well-formed UTF-8. */
    static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** One JSON object on one line. */
    static String jsonLine(TranscriptItem item) {
        JsonObject.Builder b = JsonObject.builder();
        if (item instanceof TranscriptEntry e) {
            byte[] payload = e.payload();
            Optional<String> text = utf8(payload);
            b.put("kind", "message").put("time", e.time().toString()).put("direction", arrow(e.direction()))
                    .put("clientId", e.clientId()).put("topic", e.topic())
                    .put("payload", text.orElseGet(() -> Base64.getEncoder().encodeToString(payload)))
                    .put("payloadEncoding", text.isPresent() ? UTF8 : BASE64).put("qos", e.qos())
                    .put("retain", e.retain()).put("dup", e.duplicate());
        } else {
            ConnectionMarker m = (ConnectionMarker) item;
            b.put("kind", m.kind() == ConnectionMarker.Kind.CONNECT ? "connect" : "disconnect")
                    .put("time", m.time().toString()).put("clientId", m.clientId());
            m.sessionPresent().ifPresent(p -> b.put("sessionPresent", p));
        }
        return b.build().toJson();
    }

    /**
     * Parses one JSON line.
     *
     * @throws IllegalArgumentException naming {@code where} and the field
     */
    static TranscriptItem parseLine(String line, String where) {
        JsonValue v;
        try {
            v = JsonValue.parse(line);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        if (!(v instanceof JsonObject o)) {
            throw new IllegalArgumentException(where + ": must be a JSON object");
        }
        String kind = o.get("kind").isPresent() ? string(o, "kind", where) : "message";
        switch (kind) {
            case "message" -> {
                onlyKeys(o, MESSAGE_KEYS, where);
                String encoding = string(o, "payloadEncoding", where);
                String payloadText = string(o, "payload", where);
                byte[] payload;
                if (encoding.equals(UTF8)) {
                    payload = payloadText.getBytes(StandardCharsets.UTF_8);
                } else if (encoding.equals(BASE64)) {
                    try {
                        payload = Base64.getDecoder().decode(payloadText);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(where + ": 'payload' is not base64: " + e.getMessage(), e);
                    }
                } else {
                    throw new IllegalArgumentException(where + ": 'payloadEncoding' must be utf8 or base64, got '"
                            + encoding + "'");
                }
                long qos = integer(o, "qos", where);
                if (qos < 0 || qos > 2) {
                    throw new IllegalArgumentException(where + ": 'qos' must be 0, 1 or 2, got " + qos);
                }
                return new TranscriptEntry(time(o, where), direction(string(o, "direction", where), where),
                        string(o, "clientId", where), string(o, "topic", where), payload, (int) qos,
                        bool(o, "retain", where),
                        // Absent in transcripts written before the field existed: a first delivery.
                        o.get("dup").isPresent() && bool(o, "dup", where));
            }
            case "connect" -> {
                onlyKeys(o, MARKER_KEYS, where);
                Optional<Boolean> present = o.get("sessionPresent").isPresent()
                        ? Optional.of(bool(o, "sessionPresent", where))
                        : Optional.empty();
                return ConnectionMarker.connect(time(o, where), string(o, "clientId", where), present);
            }
            case "disconnect" -> {
                onlyKeys(o, Set.of("kind", "time", "clientId"), where);
                return ConnectionMarker.disconnect(time(o, where), string(o, "clientId", where));
            }
            default -> throw new IllegalArgumentException(where + ": 'kind' must be message, connect or disconnect, got '"
                    + kind + "'");
        }
    }

    private static void onlyKeys(JsonObject o, Set<String> allowed, String where) {
        for (String k : o.members().keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException(where + ": unknown key '" + k + "'");
            }
        }
    }

    private static String string(JsonObject o, String key, String where) {
        if (o.get(key).orElse(null) instanceof JsonString s) {
            return s.value();
        }
        throw new IllegalArgumentException(where + ": '" + key + "' must be a string");
    }

    private static boolean bool(JsonObject o, String key, String where) {
        if (o.get(key).orElse(null) instanceof JsonBoolean b) {
            return b.value();
        }
        throw new IllegalArgumentException(where + ": '" + key + "' must be true or false");
    }

    private static long integer(JsonObject o, String key, String where) {
        if (o.get(key).orElse(null) instanceof JsonNumber n) {
            OptionalLong v = n.longValueExact();
            if (v.isPresent()) {
                return v.getAsLong();
            }
        }
        throw new IllegalArgumentException(where + ": '" + key + "' must be an integer");
    }

    private static Instant time(JsonObject o, String where) {
        String t = string(o, "time", where);
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": 'time' is not an ISO-8601 instant: '" + t + "'", e);
        }
    }

    private static Direction direction(String arrow, String where) {
        return switch (arrow) {
            case D_TO_P -> Direction.DEVICE_TO_PLATFORM;
            case P_TO_D -> Direction.PLATFORM_TO_DEVICE;
            default -> throw new IllegalArgumentException(where + ": 'direction' must be " + D_TO_P + " or " + P_TO_D
                    + ", got '" + arrow + "'");
        };
    }
}
