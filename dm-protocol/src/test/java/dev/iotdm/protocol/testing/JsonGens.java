package dev.iotdm.protocol.testing;

import dev.iotdm.pbt.Choices;
import dev.iotdm.pbt.Gen;
import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonBoolean;
import dev.iotdm.protocol.json.JsonNull;
import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Generators of JSON: arbitrary {@link JsonValue}s within a depth and width, their parts
 * (numbers as exact text, hostile strings and keys), objects of a given shape with unknown extra
 * members in any order, and byte-level mutations of valid JSON text for robustness properties.
 *
 * <p>Numbers cover zero and {@code -0}, big integers beyond a long, fractions and exponents in
 * every spelling ({@code 1E+2}, {@code 1e-007}). Strings cover astral characters (surrogate
 * pairs), quotes, backslashes, controls and U+2028. Containers are often empty.
 *
 * <p>Thread-safety: stateless; the generators may be shared.
 */
public final class JsonGens {

    /** Default nesting depth of {@link #values()}: deeper than any DM payload. */
    public static final int DEFAULT_MAX_DEPTH = 4;

    /** Default largest array or object of {@link #values()}. */
    public static final int DEFAULT_MAX_WIDTH = 6;

    private static final String DIGITS = "0123456789";

    /** Bytes that steer mutations into the grammar: structure, literals, escapes, numbers. */
    private static final String JSON_ALPHABET = "{}[]\":,\\/ \t\n\r0123456789-+.eEtrufalsn";

    private JsonGens() {
    }

    /** Any JSON value, up to {@value #DEFAULT_MAX_DEPTH} deep and {@value #DEFAULT_MAX_WIDTH} wide. */
    public static Gen<JsonValue> values() {
        return values(DEFAULT_MAX_DEPTH, DEFAULT_MAX_WIDTH);
    }

    /** Any JSON value, nested up to {@code maxDepth} containers deep, each up to {@code maxWidth} wide. */
    public static Gen<JsonValue> values(int maxDepth, int maxWidth) {
        if (maxDepth < 0 || maxWidth < 0) {
            throw new IllegalArgumentException("values: need maxDepth >= 0 and maxWidth >= 0, got "
                    + maxDepth + ", " + maxWidth);
        }
        if (maxDepth == 0) {
            return scalars();
        }
        Gen<JsonValue> inner = values(maxDepth - 1, maxWidth);
        return Gen.frequency(
                Gen.weighted(3, scalars()),
                Gen.weighted(1, arrays(inner, maxWidth)),
                Gen.weighted(1, objects(inner, maxWidth)));
    }

    /** Arrays or objects (never a scalar), up to the default depth and width. */
    public static Gen<JsonValue> containers() {
        Gen<JsonValue> inner = values(DEFAULT_MAX_DEPTH - 1, DEFAULT_MAX_WIDTH);
        return Gen.oneOf(arrays(inner, DEFAULT_MAX_WIDTH), objects(inner, DEFAULT_MAX_WIDTH));
    }

    /** {@code null}, booleans, numbers and strings; shrink to {@code null}. */
    public static Gen<JsonValue> scalars() {
        return Gen.frequency(
                Gen.weighted(1, Gen.constant(JsonNull.INSTANCE)),
                Gen.weighted(1, Gen.booleans().map(JsonBoolean::of)),
                Gen.weighted(3, numbers()),
                Gen.weighted(3, strings()));
    }

    /** Numbers as exact text; see {@link #numberTexts()}. */
    public static Gen<JsonNumber> numbers() {
        return numberTexts().map(JsonNumber::new);
    }

    /**
     * Texts in the JSON number grammar (RFC 8259 §6): optional minus, zero, a small integer or
     * one of 16 to 40 digits, an optional fraction of up to 20 digits, an optional exponent with
     * {@code e} or {@code E}, an optional sign and up to 4 digits (leading zeros allowed);
     * shrink to {@code "0"}.
     */
    public static Gen<String> numberTexts() {
        Gen<String> bigDigits = Gen.strings(DIGITS, 15, 39);
        Gen<String> fraction = Gen.strings(DIGITS, 1, 20);
        Gen<String> exponentDigits = Gen.strings(DIGITS, 1, 4);
        Gen<String> exponentMark = Gen.elements("e", "E");
        Gen<String> exponentSign = Gen.elements("", "-", "+");
        return c -> {
            StringBuilder sb = new StringBuilder();
            if (c.drawBoolean(0.3)) {
                sb.append('-');
            }
            switch (c.drawWeighted(3, 4, 2)) {
                case 0 -> sb.append('0');
                case 1 -> sb.append(Gen.longs(1, 999_999).generate(c));
                default -> sb.append(1 + c.draw(8)).append(bigDigits.generate(c));
            }
            if (c.drawBoolean(0.3)) {
                sb.append('.').append(fraction.generate(c));
            }
            if (c.drawBoolean(0.25)) {
                sb.append(exponentMark.generate(c)).append(exponentSign.generate(c)).append(exponentDigits.generate(c));
            }
            return sb.toString();
        };
    }

    /** Strings of up to 20 code points of any kind; see {@link Gen#unicodeStrings(int, int)}. */
    public static Gen<JsonString> strings() {
        return Gen.unicodeStrings(0, 20).map(JsonString::new);
    }

    /**
     * Member names: mostly identifiers, also arbitrary Unicode, the empty name, protocol names
     * and names that need escaping.
     */
    public static Gen<String> keys() {
        return Gen.frequency(
                Gen.weighted(5, Gen.asciiIdentifiers(1, 10)),
                Gen.weighted(3, Gen.unicodeStrings(0, 8)),
                Gen.weighted(2, Gen.elements("", "d", "reqId", "rc", "\"", "\\", "\u0000", "\uD83D\uDE00", " ")));
    }

    /** Arrays of up to {@code maxSize} elements from {@code elements}. */
    public static Gen<JsonArray> arrays(Gen<? extends JsonValue> elements, int maxSize) {
        Gen<List<JsonValue>> list = Gen.listOf(c -> elements.generate(c), 0, maxSize);
        return c -> new JsonArray(list.generate(c));
    }

    /**
     * Objects of up to {@code maxMembers} members with names from {@link #keys()} and values
     * from {@code values}; names are unique (a repeated name is dropped) and come in the random
     * order they were generated in.
     */
    public static Gen<JsonObject> objects(Gen<? extends JsonValue> values, int maxMembers) {
        Gen<List<Map.Entry<String, JsonValue>>> members =
                Gen.listOf(c -> Map.entry(keys().generate(c), values.generate(c)), 0, maxMembers);
        return c -> {
            Map<String, JsonValue> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonValue> e : members.generate(c)) {
                map.putIfAbsent(e.getKey(), e.getValue());
            }
            return new JsonObject(map);
        };
    }

    /** The members of {@code object} in a random order (equal objects, different texts). */
    public static Gen<JsonObject> reordered(JsonObject object) {
        List<Map.Entry<String, JsonValue>> entries = new ArrayList<>(object.members().entrySet());
        return Gen.shuffled(entries).map(JsonGens::toObject);
    }

    /** A generator of objects of a given shape; see {@link ObjectGen}. */
    public static ObjectGen object() {
        return new ObjectGen(List.of(), List.of(), 0, false);
    }

    /**
     * The bytes of {@code valid} with 1 to 4 random edits: a byte replaced, inserted or deleted,
     * a range deleted or duplicated, the text truncated. Inserted bytes come from JSON's own
     * alphabet half of the time, so mutants often stay nearly valid; may yield valid JSON.
     */
    public static Gen<byte[]> mutations(byte[] valid) {
        byte[] original = valid.clone();
        Gen<Integer> alphabetByte = Gen.codePointsOf(JSON_ALPHABET);
        Gen<Integer> anyByte = Gen.oneOf(alphabetByte, Gen.integers(0, 255));
        return c -> {
            byte[] b = original;
            int edits = Gen.integers(1, 4).generate(c);
            for (int i = 0; i < edits; i++) {
                int at = (int) c.draw(b.length);
                int kind = (int) c.draw(5);
                switch (kind) {
                    case 0 -> b = splice(b, at, 0, new byte[] {(byte) (int) anyByte.generate(c)});
                    case 1 -> b = at < b.length ? splice(b, at, 1, new byte[] {(byte) (int) anyByte.generate(c)}) : b;
                    case 2 -> b = at < b.length ? splice(b, at, 1, new byte[0]) : b;
                    case 3 -> b = splice(b, at, (int) c.draw(b.length - at), new byte[0]);
                    case 4 -> {
                        int len = (int) c.draw(b.length - at);
                        byte[] slice = Arrays.copyOfRange(b, at, at + len);
                        b = splice(b, at, 0, slice);
                    }
                    default -> b = Arrays.copyOf(b, at);
                }
            }
            return b;
        };
    }

    /** Bytes drawn mostly from JSON's alphabet: noise that gets past the first token. */
    public static Gen<byte[]> jsonishBytes(int minLength, int maxLength) {
        Gen<Integer> one = Gen.frequency(
                Gen.weighted(4, Gen.codePointsOf(JSON_ALPHABET)),
                Gen.weighted(1, Gen.integers(0, 255)));
        Gen<List<Integer>> list = Gen.listOf(one, minLength, maxLength, minLength + Math.min(maxLength - minLength, 16));
        return c -> {
            List<Integer> values = list.generate(c);
            byte[] out = new byte[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) (int) values.get(i);
            }
            return out;
        };
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    private static JsonObject toObject(List<Map.Entry<String, JsonValue>> entries) {
        Map<String, JsonValue> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : entries) {
            map.putIfAbsent(e.getKey(), e.getValue());
        }
        return new JsonObject(map);
    }

    /**
     * Objects of a given shape, for codec tests: required members always present, optional ones
     * sometimes, up to {@code n} unknown members with other names (a reader must ignore them),
     * and, if asked, the members in any order. Immutable; each method returns a new generator.
     *
     * <pre>{@code
     * Gen<JsonObject> requests = JsonGens.object()
     *         .required("reqId", Gen.asciiIdentifiers(1, 36).map(JsonString::new))
     *         .optional("d", JsonGens.values(2, 4))
     *         .unknownMembers(3)
     *         .anyOrder();
     * }</pre>
     */
    public static final class ObjectGen implements Gen<JsonObject> {
        private final List<Member> required;
        private final List<Member> optional;
        private final int maxUnknown;
        private final boolean anyOrder;

        private ObjectGen(List<Member> required, List<Member> optional, int maxUnknown, boolean anyOrder) {
            this.required = required;
            this.optional = optional;
            this.maxUnknown = maxUnknown;
            this.anyOrder = anyOrder;
        }

        /** Adds a member that is always present. */
        public ObjectGen required(String name, Gen<? extends JsonValue> value) {
            return new ObjectGen(plus(required, optional, new Member(name, value)), optional, maxUnknown, anyOrder);
        }

        /** Adds a member that is present half of the time (shrinks to absent). */
        public ObjectGen optional(String name, Gen<? extends JsonValue> value) {
            return new ObjectGen(required, plus(optional, required, new Member(name, value)), maxUnknown, anyOrder);
        }

        /** Adds up to {@code max} members whose names are none of the declared ones. */
        public ObjectGen unknownMembers(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("max: must not be negative, was " + max);
            }
            return new ObjectGen(required, optional, max, anyOrder);
        }

        /** Puts the members in a random order instead of declaration order. */
        public ObjectGen anyOrder() {
            return new ObjectGen(required, optional, maxUnknown, true);
        }

        @Override
        public JsonObject generate(Choices c) {
            List<Map.Entry<String, JsonValue>> entries = new ArrayList<>();
            Set<String> declared = new HashSet<>();
            for (Member m : required) {
                declared.add(m.name());
                entries.add(Map.entry(m.name(), m.value().generate(c)));
            }
            for (Member m : optional) {
                declared.add(m.name());
                if (c.drawBoolean(0.5)) {
                    entries.add(Map.entry(m.name(), m.value().generate(c)));
                }
            }
            if (maxUnknown > 0) {
                Gen<String> names = keys().filter(k -> !declared.contains(k));
                Gen<JsonValue> values = values(2, 3);
                for (Map.Entry<String, JsonValue> e : Gen.listOf(
                        x -> Map.entry(names.generate(x), values.generate(x)), 0, maxUnknown).generate(c)) {
                    entries.add(e);
                }
            }
            return toObject(anyOrder ? Gen.shuffled(entries).generate(c) : entries);
        }

        private static List<Member> plus(List<Member> list, List<Member> others, Member m) {
            for (Member existing : concat(list, others)) {
                if (existing.name().equals(m.name())) {
                    throw new IllegalArgumentException("name: member '" + m.name() + "' declared twice");
                }
            }
            List<Member> out = new ArrayList<>(list);
            out.add(m);
            return List.copyOf(out);
        }

        private static List<Member> concat(List<Member> a, List<Member> b) {
            List<Member> out = new ArrayList<>(a);
            out.addAll(b);
            return out;
        }

        private record Member(String name, Gen<? extends JsonValue> value) {
            Member {
                Objects.requireNonNull(name, "name");
                Objects.requireNonNull(value, "value");
            }
        }
    }
}
