package dev.iotdm.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * A JSON array.
 *
 * @param elements the elements, in order; copied, never null, no null elements
 */
public record JsonArray(List<JsonValue> elements) implements JsonValue {

    /** The empty array {@code []}. */
    public static final JsonArray EMPTY = new JsonArray(List.of());

    /** Copies the elements. */
    public JsonArray {
        elements = List.copyOf(Objects.requireNonNull(elements, "elements"));
    }

    static JsonArray wrap(List<JsonValue> owned) {
        return new JsonArray(owned);
    }

    /** An array of the given elements. */
    public static JsonArray of(JsonValue... elements) {
        return new JsonArray(List.of(elements));
    }

    @Override
    public void writeTo(JsonGenerator g) throws IOException {
        g.writeStartArray();
        for (JsonValue v : elements) {
            v.writeTo(g);
        }
        g.writeEndArray();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
