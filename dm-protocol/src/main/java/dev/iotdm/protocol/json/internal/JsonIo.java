package dev.iotdm.protocol.json.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.iotdm.protocol.internal.Jackson;
import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonBoolean;
import dev.iotdm.protocol.json.JsonNull;
import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Owns the translation between the JSON value model and Jackson's streaming parser and
 * generator, so no exported signature of dm-protocol mentions a Jackson type: the value model
 * ({@code dev.iotdm.protocol.json}) and the codec both call in here.
 *
 * <p>Thread-safety: stateless.
 */
public final class JsonIo {

    private JsonIo() {
    }

    /** Writes a value to a generator. */
    public static void write(JsonValue value, JsonGenerator g) throws IOException {
        // Java 17 has no pattern switch (preview only): an instanceof chain over the sealed family.
        if (value instanceof JsonObject o) {
            g.writeStartObject();
            for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
                g.writeFieldName(e.getKey());
                write(e.getValue(), g);
            }
            g.writeEndObject();
        } else if (value instanceof JsonArray a) {
            g.writeStartArray();
            for (JsonValue v : a.elements()) {
                write(v, g);
            }
            g.writeEndArray();
        } else if (value instanceof JsonString s) {
            g.writeString(s.value());
        } else if (value instanceof JsonNumber n) {
            g.writeNumber(n.text());
        } else if (value instanceof JsonBoolean b) {
            g.writeBoolean(b.value());
        } else {
            g.writeNull();
        }
    }

    /**
     * A value as compact UTF-8 JSON.
     *
     * @throws IllegalArgumentException if the value nests deeper than
     *     {@link Jackson#MAX_NESTING_DEPTH}, which no parser here would accept back
     */
    public static byte[] toJsonBytes(JsonValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = Jackson.FACTORY.createGenerator(out)) {
            write(value, g);
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("value nests deeper than " + Jackson.MAX_NESTING_DEPTH
                    + " levels and cannot be written: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen writing to memory
        }
        return out.toByteArray();
    }

    /**
     * Parses exactly one UTF-8 JSON value.
     *
     * @throws IllegalArgumentException if the bytes are not strict UTF-8 or not exactly one
     *     well-formed JSON value within the limits of the shared parser
     */
    public static JsonValue parse(byte[] utf8) {
        int bad = Jackson.firstInvalidUtf8(utf8);
        if (bad >= 0) {
            throw new IllegalArgumentException(utf8[bad] == 0
                    ? "malformed JSON: NUL byte at offset " + bad
                    : "malformed JSON: invalid UTF-8 at byte offset " + bad);
        }
        try (JsonParser p = Jackson.FACTORY.createParser(utf8)) {
            if (p.nextToken() == null) {
                throw new IllegalArgumentException("no JSON value in the input");
            }
            JsonValue v = read(p);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the JSON value");
            }
            return v;
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("JSON exceeds a limit: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            // getMessage() would append a "[Source: REDACTED ...]" blob; line and column suffice.
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage() + where, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the value whose first token the parser is positioned on, leaving the parser on the
     * value's last token.
     *
     * @throws IOException for malformed input, a limit exceeded, or a string with an unpaired
     *     surrogate (not representable in UTF-8)
     */
    public static JsonValue read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw new IOException("unexpected end of input");
        }
        switch (t) {
            case START_OBJECT: {
                Map<String, JsonValue> members = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    requireWellFormed(name, p);
                    p.nextToken();
                    members.put(name, read(p));
                }
                return new JsonObject(members);
            }
            case START_ARRAY: {
                List<JsonValue> elements = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(read(p));
                }
                return new JsonArray(elements);
            }
            case VALUE_STRING: {
                String s = p.getText();
                requireWellFormed(s, p);
                return new JsonString(s);
            }
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new JsonNumber(p.getText());
            case VALUE_TRUE:
                return JsonBoolean.TRUE;
            case VALUE_FALSE:
                return JsonBoolean.FALSE;
            case VALUE_NULL:
                return JsonNull.INSTANCE;
            default:
                throw new IOException("unexpected token " + t);
        }
    }

    private static void requireWellFormed(String s, JsonParser p) throws IOException {
        if (!Jackson.isWellFormedUtf16(s)) {
            throw new JsonParseException(p, "string with an unpaired surrogate escape");
        }
    }
}
