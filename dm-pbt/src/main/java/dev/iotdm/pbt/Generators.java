package dev.iotdm.pbt;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Owns the choice encodings behind the built-in generators of {@link Gen}: how an integer, a
 * code point or a double is spelled as choices so that smaller choices mean simpler values.
 */
final class Generators {

    static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /** Printable ASCII, most readable first so that shrinking lands on 'a'. */
    private static final String PRINTABLE_ASCII =
            LETTERS + "0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /** Characters JSON encoders and decoders get wrong. */
    private static final int[] SPECIAL_CODE_POINTS = {
        '"', '\\', '/', '\b', '\f', '\n', '\r', '\t', 0x00, 0x01, 0x1F, 0x7F, 0x80, 0x9F, 0xA0, 0xFF,
        0x2028, 0x2029, 0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF, 0x1F600, 0x10000, 0x10FFFF,
    };

    private static final int SURROGATES = Character.MAX_SURROGATE - Character.MIN_SURROGATE + 1;

    static final Gen<Integer> CODE_POINTS = Gen.frequency(
            Gen.weighted(10, codePointsOf(PRINTABLE_ASCII)),
            Gen.weighted(3, c -> SPECIAL_CODE_POINTS[(int) c.draw(SPECIAL_CODE_POINTS.length - 1)]),
            Gen.weighted(3, c -> {
                // any BMP character above ASCII, skipping the surrogate block
                int cp = (int) longIn(c, 0x80, 0xFFFF - SURROGATES);
                return cp < Character.MIN_SURROGATE ? cp : cp + SURROGATES;
            }),
            Gen.weighted(2, c -> (int) longIn(c, Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT)));

    private static final double[] SPECIAL_DOUBLES = {
        0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1e-7, 1e21, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
        Double.MAX_VALUE, -Double.MAX_VALUE, 9007199254740993.0, Math.PI,
    };

    static final Gen<Double> DOUBLES = Gen.frequency(
            Gen.weighted(3, c -> (double) longIn(c, -1000, 1000)),
            Gen.weighted(3, c -> BigDecimal.valueOf(longIn(c, -1_000_000, 1_000_000), (int) longIn(c, 0, 8))
                    .doubleValue()),
            Gen.weighted(2, c -> SPECIAL_DOUBLES[(int) c.draw(SPECIAL_DOUBLES.length - 1)]),
            Gen.weighted(2, c -> {
                // any finite bit pattern: exponent 0x7FF (infinities, NaN) is left out
                long exponent = c.drawSkewed(0x7FE);
                long mantissa = c.drawSkewed((1L << 52) - 1);
                long sign = c.draw(1);
                return Double.longBitsToDouble(sign << 63 | exponent << 52 | mantissa);
            }));

    private Generators() {
    }

    /** An unmodifiable copy of an array, nulls allowed (List.copyOf refuses them). */
    static <E> List<E> listOf(E[] array) {
        List<E> out = new ArrayList<>(array.length);
        for (E e : array) {
            out.add(e);
        }
        return Collections.unmodifiableList(out);
    }

    /** Code points of {@code alphabet}, the first one the simplest. */
    static Gen<Integer> codePointsOf(String alphabet) {
        int[] cps = alphabet.codePoints().toArray();
        return c -> cps[(int) c.draw(cps.length - 1)];
    }

    /**
     * A long in {@code [min, max]}. The origin is 0 clamped into the range. When the range
     * extends below the origin, one choice picks the side (0 = the origin and above), the next
     * the distance from the origin; so the distance shrinks monotonically and the side toward
     * the origin and above. Values below the origin are counted from one below it, which keeps
     * every difference within a long even for the full range.
     */
    static long longIn(Choices c, long min, long max) {
        long origin = min > 0 ? min : Math.min(max, 0);
        long above = max - origin;
        boolean hasBelow = origin > min;
        // Fresh draws pick a side in proportion to its size, but each side at least 1 time in 10.
        double belowShare = hasBelow ? (origin - 1.0 - min + 1.0) / ((double) max - min + 1.0) : 0.0;
        boolean below = hasBelow && c.drawBoolean(Math.max(0.1, Math.min(0.9, belowShare)));
        if (below) {
            return origin - 1 - c.drawSkewed(origin - 1 - min);
        }
        return origin + c.drawSkewed(above);
    }

    /** A double in {@code [min, max]}, shrinking toward the bound nearest zero. */
    static double doubleIn(Choices c, double min, double max) {
        double origin = min > 0 ? min : Math.min(max, 0.0);
        int mode = c.drawWeighted(6, 1, 1);
        if (mode == 1) {
            return min;
        }
        if (mode == 2) {
            return max;
        }
        // a fraction of the way from the origin to one of the bounds, in 2^53 steps
        boolean below = origin > min && (origin == max || c.draw(1) == 1);
        double bound = below ? min : max;
        double fraction = c.drawSkewed((1L << 53) - 1) / (double) (1L << 53);
        double v = origin + (bound - origin) * fraction;
        return Math.max(min, Math.min(max, v));
    }
}
