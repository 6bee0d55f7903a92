package dev.iotdm.protocol.json;

import dev.iotdm.protocol.internal.Jackson;
import dev.iotdm.protocol.json.internal.JsonIo;
import java.nio.charset.StandardCharsets;
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
     * This value as compact JSON text.
     *
     * @return the JSON with no whitespace between tokens
     * @throws IllegalArgumentException if the value nests deeper than 64 levels
     */
    default String toJson() {
        return new String(toJsonBytes(), StandardCharsets.UTF_8);
    }

    /**
     * This value as compact UTF-8 JSON.
     *
     * @return the JSON as UTF-8 bytes, a new array
     * @throws IllegalArgumentException if the value nests deeper than 64 levels, which no parser
     *     here would accept back
     */
    default byte[] toJsonBytes() {
        return JsonIo.toJsonBytes(this);
    }

    /**
     * Parses JSON text.
     *
     * @param json the text, not null
     * @return the value
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
     * @param utf8 the UTF-8 bytes, not null
     * @return the value
     * @throws IllegalArgumentException if the bytes are not strict UTF-8 or not exactly one
     *     well-formed JSON value within the limits of the shared parser
     */
    static JsonValue parse(byte[] utf8) {
        return JsonIo.parse(Objects.requireNonNull(utf8, "utf8"));
    }
}
