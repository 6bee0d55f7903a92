package dev.iotdm.protocol.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import dev.iotdm.protocol.internal.Jackson;
import dev.iotdm.protocol.message.Timestamp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads typed values straight from the streaming parser, for one payload: owns the parser and
 * the normalisations found so far. Every method expects the parser on the value's first token
 * and leaves it on the value's last token.
 */
final class Reader {

    /** Handles one member of an object; returns false to have the value skipped. */
    interface Members {
        boolean member(String name) throws Bad, IOException;
    }

    /** Handles one element of an array. */
    interface Elements {
        void element(int index) throws Bad, IOException;
    }

    final JsonParser p;
    /** In order of first occurrence, without repeats; null until the first (most payloads have none). */
    private List<Normalisation> normalisations;

    Reader(JsonParser p) {
        this.p = p;
    }

    void normalised(Normalisation n) {
        if (normalisations == null) {
            normalisations = new ArrayList<>(2);
        }
        if (!normalisations.contains(n)) {
            normalisations.add(n);
        }
    }

    /** Every normalisation {@code other} found, after ours. */
    void normalisedAll(Reader other) {
        for (Normalisation n : other.normalisations()) {
            normalised(n);
        }
    }

    /** The normalisations found so far, immutable. */
    List<Normalisation> normalisations() {
        return normalisations == null ? List.of() : List.copyOf(normalisations);
    }

    static Bad wrongType(String expected, JsonToken got) {
        return new Bad(Problem.WRONG_TYPE, "expected " + expected + ", got " + describe(got));
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a fractional number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    void object(Members members) throws Bad, IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw wrongType("an object", p.currentToken());
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            try {
                if (!members.member(name)) {
                    p.skipChildren();
                }
            } catch (Bad b) {
                throw b.at(name);
            }
        }
    }

    /**
     * Starts reading an object member by member without a callback (the hot paths use this: no
     * lambda, no holder arrays). Use as
     * {@code r.beginObject(); for (String n = r.nextMember(); n != null; n = r.nextMember())},
     * prefixing a {@link Bad} with the member's name and calling {@link #skip()} for the members
     * not read.
     */
    void beginObject() throws Bad {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw wrongType("an object", p.currentToken());
        }
    }

    /** The next member's name with the parser on its value, or null at the object's end. */
    String nextMember() throws IOException {
        if (p.nextToken() != JsonToken.FIELD_NAME) {
            return null;
        }
        String name = p.currentName();
        p.nextToken();
        return name;
    }

    /** Skips the current value (an unknown or ignored member). */
    void skip() throws IOException {
        p.skipChildren();
    }

    void array(Elements elements) throws Bad, IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw wrongType("an array", p.currentToken());
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            try {
                elements.element(i);
            } catch (Bad b) {
                throw b.at(i);
            }
            i++;
        }
    }

    String string() throws Bad, IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw wrongType("a string", p.currentToken());
        }
        String s = p.getText();
        if (!Jackson.isWellFormedUtf16(s)) {
            throw new Bad(Problem.INVALID_STRING, "string with an unpaired surrogate escape");
        }
        return s;
    }

    /** A string, or empty for JSON null, recording {@code ifNull} when null is met. */
    Optional<String> nullableString(Normalisation ifNull) throws Bad, IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            normalised(ifNull);
            return Optional.empty();
        }
        return Optional.of(string());
    }

    long integer(long min, long max) throws Bad, IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw wrongType("an integer", p.currentToken());
        }
        long v;
        try {
            v = p.getLongValue();
        } catch (InputCoercionException e) {
            throw new Bad(Problem.OUT_OF_RANGE, abbreviate(p.getText()) + " is outside [" + min + ", " + max + "]");
        }
        if (v < min || v > max) {
            throw new Bad(Problem.OUT_OF_RANGE, v + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

    /** A finite number within {@code [min, max]}; either bound may be infinite (unbounded). */
    double number(double min, double max) throws Bad, IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw wrongType("a number", t);
        }
        double v = p.getDoubleValue();
        // The text is read only for an error message: on the good path it would cost a String.
        if (!Double.isFinite(v)) {
            throw new Bad(Problem.OUT_OF_RANGE, abbreviate(p.getText()) + " is beyond the range of a double");
        }
        if (v < min || v > max) {
            String range = Double.isInfinite(max) ? "below " + plain(min)
                    : Double.isInfinite(min) ? "above " + plain(max)
                    : "outside [" + plain(min) + ", " + plain(max) + "]";
            throw new Bad(Problem.OUT_OF_RANGE, abbreviate(p.getText()) + " is " + range);
        }
        return v;
    }

    /** A bound as people write it: {@code 90}, not {@code 90.0}. */
    private static String plain(double bound) {
        return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
    }

    /** A boolean; integers 0 and 1 are accepted from old C clients (§12.19). */
    boolean flag() throws Bad, IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            int v = p.getIntValue();
            if (v == 0 || v == 1) {
                normalised(Normalisation.SUPPORTS_AS_INTEGERS);
                return v == 1;
            }
        }
        throw wrongType("a boolean", t);
    }

    Timestamp timestamp() throws Bad, IOException {
        String s = string();
        Timestamp ts = Timestamp.parseText(s)
                .orElseThrow(() -> new Bad(Problem.INVALID_VALUE, "not an ISO 8601 date-time: '" + abbreviate(s) + "'"));
        if (ts.isZoneless()) {
            // Old Python clients send local time without a zone (protocol.md §12.21, §14). The text
            // is kept as sent (its zone is unknown); the normalisation records the deviation.
            normalised(Normalisation.ZONELESS_TIMESTAMP);
        }
        return ts;
    }

    static Bad missing(String member) {
        return new Bad(Problem.MISSING_FIELD, "missing").at(member);
    }

    /**
     * Text from the peer made fit for a one-line detail: control characters escaped, at most 64
     * characters kept.
     */
    static String abbreviate(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 68));
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
            if (b.length() > 64) {
                return b.substring(0, 61) + "...";
            }
        }
        return b.toString();
    }
}
