package dev.iotdm.protocol.json;

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

    /**
     * Copies the elements.
     *
     * @param elements the elements, in order; copied, not null, no null element
     */
    public JsonArray {
        elements = List.copyOf(Objects.requireNonNull(elements, "elements"));
    }

    /**
     * An array of the given elements.
     *
     * @param elements the elements, in order; no null element
     * @return the array
     */
    public static JsonArray of(JsonValue... elements) {
        return new JsonArray(List.of(elements));
    }

    @Override
    public String toString() {
        return toJson();
    }
}
