package dev.iotdm.protocol.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A JSON object whose members keep their insertion order. Equality ignores order.
 *
 * @param members the members, in order; copied, never null, no null keys or values
 */
public record JsonObject(Map<String, JsonValue> members) implements JsonValue {

    /** The empty object {@code {}}. */
    public static final JsonObject EMPTY = new JsonObject(Map.of());

    /**
     * Copies the members, keeping their iteration order.
     *
     * @param members the members, not null, no null name or value
     */
    public JsonObject {
        Objects.requireNonNull(members, "members");
        LinkedHashMap<String, JsonValue> copy = new LinkedHashMap<>(members.size() * 2);
        members.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "member name"),
                Objects.requireNonNull(v, () -> "value of member " + k)));
        members = Collections.unmodifiableMap(copy);
    }

    /**
     * Starts an ordered builder.
     *
     * @return a new, empty builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The member called {@code name}, if present.
     *
     * @param name the member name, case-sensitive
     * @return the member's value, empty when there is none (a JSON {@code null} is present as {@link JsonNull})
     */
    public Optional<JsonValue> get(String name) {
        return Optional.ofNullable(members.get(name));
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** Builds a {@link JsonObject} member by member, in order. Not thread-safe. */
    public static final class Builder {
        private final LinkedHashMap<String, JsonValue> members = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds or replaces a member; a replaced member keeps its place.
         *
         * @param name the member name, not null
         * @param value the value, not null
         * @return this builder
         */
        public Builder put(String name, JsonValue value) {
            members.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Adds or replaces a string member.
         *
         * @param name the member name, not null
         * @param value the text, not null
         * @return this builder
         */
        public Builder put(String name, String value) {
            return put(name, new JsonString(value));
        }

        /**
         * Adds or replaces a number member.
         *
         * @param name the member name, not null
         * @param value the number
         * @return this builder
         */
        public Builder put(String name, long value) {
            return put(name, JsonNumber.of(value));
        }

        /**
         * Adds or replaces a boolean member.
         *
         * @param name the member name, not null
         * @param value the boolean
         * @return this builder
         */
        public Builder put(String name, boolean value) {
            return put(name, JsonBoolean.of(value));
        }

        /**
         * The object built so far.
         *
         * @return a new immutable object; the builder can go on
         */
        public JsonObject build() {
            return new JsonObject(members);
        }
    }
}
