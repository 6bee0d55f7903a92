package dev.iotdm.protocol.json;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A JSON number kept as its exact text, so that big, fractional and exponent forms round-trip
 * unchanged ({@code 10} and {@code 10.0} are different texts and different values here).
 *
 * @param text the number in JSON grammar (RFC 8259 §6)
 */
public record JsonNumber(String text) implements JsonValue {

    /**
     * Validates the text against the JSON number grammar.
     *
     * @param text the number as JSON text, not null, for example {@code "-1.5e3"}
     * @throws IllegalArgumentException if the text is not a JSON number
     */
    public JsonNumber {
        Objects.requireNonNull(text, "text");
        if (!isJsonNumber(text)) {
            throw new IllegalArgumentException("text: not a JSON number: '" + text + "'");
        }
    }

    /**
     * The number {@code value}.
     *
     * @param value the integer
     * @return the number in decimal notation
     */
    public static JsonNumber of(long value) {
        return new JsonNumber(Long.toString(value));
    }

    /**
     * The number {@code value}, written in plain (not exponent) notation.
     *
     * @param value the decimal, not null; its scale is kept ({@code 1.50} stays {@code 1.50})
     * @return the number
     */
    public static JsonNumber of(BigDecimal value) {
        return new JsonNumber(value.toPlainString());
    }

    /**
     * The number {@code value}.
     *
     * @param value a finite double
     * @return the number as {@link Double#toString(double)} writes it (with a lowercase {@code e}),
     *     which reads back as {@code value}
     * @throws IllegalArgumentException for NaN and infinities, which JSON cannot express
     */
    public static JsonNumber of(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value: JSON has no " + value);
        }
        return new JsonNumber(Double.toString(value).replace('E', 'e'));
    }

    /**
     * The exact value.
     *
     * @return the value with its scale as written
     * @throws ArithmeticException when the exponent is beyond what {@link BigDecimal} holds
     *     (e.g. {@code 1e9999999999}, valid JSON nonetheless)
     */
    public BigDecimal bigDecimalValue() {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new ArithmeticException("JSON number " + text + " is beyond the range of BigDecimal");
        }
    }

    /**
     * The value as a double (rounded, possibly infinite for huge texts).
     *
     * @return the nearest double, never NaN
     */
    public double doubleValue() {
        return Double.parseDouble(text);
    }

    /**
     * The value as a long when it is an integer that fits, whatever its notation.
     *
     * @return the value ({@code 1e3} and {@code 1000.0} give 1000), empty for a fraction or beyond
     *     the range of a long
     */
    public OptionalLong longValueExact() {
        if (isPlainInteger(text) && text.length() <= 18) {
            return OptionalLong.of(Long.parseLong(text));
        }
        try {
            return OptionalLong.of(bigDecimalValue().longValueExact());
        } catch (ArithmeticException | NumberFormatException e) {
            // NumberFormatException: an exponent too big for BigDecimal is too big for a long too.
            return OptionalLong.empty();
        }
    }

    @Override
    public String toString() {
        return text;
    }

    private static boolean isPlainInteger(String s) {
        int i = s.startsWith("-") ? 1 : 0;
        if (i >= s.length()) {
            return false;
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The RFC 8259 number grammar, by hand: no regex on a per-message path. */
    static boolean isJsonNumber(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        if (i >= n) {
            return false;
        }
        if (s.charAt(i) == '0') {
            i++;
        } else if (isDigit(s.charAt(i))) {
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
        } else {
            return false;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            int start = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int start = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
