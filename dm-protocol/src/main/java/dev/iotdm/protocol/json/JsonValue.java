package dev.iotdm.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.util.Objects;

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

    /**
     * This value as compact UTF-8 JSON.
     *
     * @throws IllegalArgumentException if the value nests deeper than
     *     {@link Jackson#MAX_NESTING_DEPTH}, which no parser here would accept back
     */
    default byte[] toJsonBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = Jackson.FACTORY.createGenerator(out)) {
            writeTo(g);
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("value nests deeper than " + Jackson.MAX_NESTING_DEPTH
                    + " levels and cannot be written: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen writing to memory
        }
        return out.toByteArray();
    }

    /**
     * Parses JSON text.
     *
     * @throws IllegalArgumentException if the text is not exactly one well-formed JSON value
     *     within the limits of the shared parser (nesting, lengths, no duplicate keys), or holds
     *     an unpaired surrogate character
     */
    static JsonValue parse(String json) {
        Objects.requireNonNull(json, "json");
        // getBytes would silently turn an unpaired surrogate into '?'.
        if (!Jackson.isWellFormedUtf16(json)) {
            throw new IllegalArgumentException("malformed JSON: the text holds an unpaired surrogate character");
        }
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses UTF-8 JSON.
     *
     * @throws IllegalArgumentException if the bytes are not strict UTF-8 or not exactly one
     *     well-formed JSON value within the limits of the shared parser
     */
    static JsonValue parse(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8");
        int bad = Jackson.firstInvalidUtf8Offset(utf8);
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
            throw new JsonParseException(p, "string with an unpaired surrogate escape");
        }
    }
}
