package dev.iotdm.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.iotdm.protocol.internal.Jackson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable JSON value: the free-form parts of the protocol (metadata, custom-action
 * parameters, response {@code d}, event payloads) without a data-binding library.
 *
 * <p>Values round-trip losslessly: numbers keep their exact text (big and fractional values
 * included), object members keep their order, strings keep every code point. Object equality
 * ignores member order, as JSON does.
 *
 * <p>Thread-safety: values are immutable and safe to share.
 */
public sealed interface JsonValue permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBoolean, JsonNull {

    /**
     * Writes this value to a generator. Used by the codec; callers normally want {@link #toJson()}.
     *
     * @throws IOException from the generator
     */
    void writeTo(JsonGenerator generator) throws IOException;

    /** This value as compact JSON text. */
    default String toJson() {
        return new String(toJsonBytes(), StandardCharsets.UTF_8);
    }

    /** This value as compact UTF-8 JSON. */
    default byte[] toJsonBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = Jackson.FACTORY.createGenerator(out)) {
            writeTo(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen writing to memory
        }
        return out.toByteArray();
    }

    /**
     * Parses JSON text.
     *
     * @throws IllegalArgumentException if the text is not exactly one well-formed JSON value
     *     within the limits of the shared parser (nesting, lengths, no duplicate keys)
     */
    static JsonValue parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses UTF-8 JSON.
     *
     * @throws IllegalArgumentException if the bytes are not exactly one well-formed JSON value
     */
    static JsonValue parse(byte[] utf8) {
        int invalid = Jackson.firstInvalidUtf8(utf8);
        if (invalid >= 0) {
            throw new IllegalArgumentException("malformed JSON: not UTF-8 at byte " + invalid);
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
    static JsonValue read(JsonParser p) throws IOException {
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
                return JsonObject.wrap(members);
            }
            case START_ARRAY: {
                List<JsonValue> elements = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(read(p));
                }
                return JsonArray.wrap(elements);
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
            throw new com.fasterxml.jackson.core.JsonParseException(p, "string with an unpaired surrogate escape");
        }
    }
}
