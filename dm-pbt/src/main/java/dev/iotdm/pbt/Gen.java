package dev.iotdm.pbt;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A generator of test values: a deterministic function from a {@link Choices} source to a value.
 *
 * <p>Since a generator only ever draws from {@link Choices}, every generator shrinks, including
 * hand-written ones. Compose with the combinators here, or write a lambda that calls other
 * generators in order:
 *
 * <pre>{@code
 * Gen<Range> ranges = c -> {
 *     int low = Gen.integers(0, 100).generate(c);
 *     int length = Gen.integers(0, 10).generate(c);
 *     return new Range(low, low + length);
 * };
 * }</pre>
 *
 * <p>Generators must not keep state between calls nor use any other randomness, or shrinking and
 * replay by seed stop working.
 *
 * <p>Thread-safety: the built-in generators are stateless and safe to share.
 *
 * @param <T> the type of the generated values
 */
@FunctionalInterface
public interface Gen<T> {

    /**
     * Generates one value from the given choices.
     *
     * @param choices the source of every random decision; the same choices give the same value
     * @return the generated value (null only if the generator produces nulls, as {@link #orNull()} does)
     */
    T generate(Choices choices);

    // ---------------------------------------------------------------- combinators

    /**
     * Applies {@code f} to every generated value. Shrinking still works, on the values before {@code f}.
     *
     * @param f the mapping, not null, pure
     * @param <R> the type of the mapped values
     * @return a generator of mapped values
     */
    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        Objects.requireNonNull(f, "f");
        return c -> f.apply(generate(c));
    }

    /**
     * Generates a value, then uses it to pick the generator of the result.
     *
     * @param f picks the next generator from a value; not null, pure
     * @param <R> the type of the final values
     * @return a generator running this one, then the one {@code f} picks
     */
    default <R> Gen<R> flatMap(Function<? super T, ? extends Gen<? extends R>> f) {
        Objects.requireNonNull(f, "f");
        return c -> f.apply(generate(c)).generate(c);
    }

    /**
     * Keeps only values matching {@code accept}, trying up to 100 times per test case; when all
     * fail the test case is discarded (not failed). Prefer generating valid values directly.
     *
     * @param accept the condition a value must meet; not null, pure
     * @return a generator of accepted values only
     */
    default Gen<T> filter(Predicate<? super T> accept) {
        Objects.requireNonNull(accept, "accept");
        return c -> {
            for (int i = 0; i < 100; i++) {
                T v = generate(c);
                if (accept.test(v)) {
                    return v;
                }
            }
            throw new Choices.Discard("filter rejected 100 values in a row");
        };
    }

    /**
     * Lists of this generator's values; see {@link #listOf(Gen, int, int)}.
     *
     * @param minSize the fewest elements, at least 0
     * @param maxSize the most elements, at least {@code minSize}
     * @return a generator of unmodifiable lists
     * @throws IllegalArgumentException if the sizes are out of order or negative
     */
    default Gen<List<T>> list(int minSize, int maxSize) {
        return listOf(this, minSize, maxSize);
    }

    /**
     * Optionals of this generator's values; see {@link #optionalOf(Gen)}.
     *
     * @return a generator of optionals, present three times out of four
     */
    default Gen<Optional<T>> optional() {
        return optionalOf(this);
    }

    /**
     * This generator's values or null; see {@link #nullable(Gen)}.
     *
     * @return a generator giving null one time out of five
     */
    default Gen<T> orNull() {
        return nullable(this);
    }

    /**
     * Always {@code value}; makes no choice.
     *
     * @param value the value to give, possibly null
     * @param <T> the type of the value
     * @return a generator that always gives {@code value}
     */
    static <T> Gen<T> constant(T value) {
        return c -> value;
    }

    /**
     * Integers in {@code [min, max]}, favouring the bounds and values near zero; they shrink
     * toward zero (or toward the bound nearest to it).
     *
     * @param min the smallest value, inclusive
     * @param max the largest value, inclusive
     * @return a generator of integers in {@code [min, max]}
     * @throws IllegalArgumentException if {@code min > max}
     */
    static Gen<Integer> integers(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("integers: min " + min + " > max " + max);
        }
        return c -> (int) Generators.longIn(c, min, max);
    }

    /**
     * Longs in {@code [min, max]}; like {@link #integers(int, int)}.
     *
     * @param min the smallest value, inclusive
     * @param max the largest value, inclusive
     * @return a generator of longs in {@code [min, max]}
     * @throws IllegalArgumentException if {@code min > max}
     */
    static Gen<Long> longs(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("longs: min " + min + " > max " + max);
        }
        return c -> Generators.longIn(c, min, max);
    }

    /**
     * {@code true} or {@code false}, evenly; shrinks to false.
     *
     * @return a generator of booleans
     */
    static Gen<Boolean> booleans() {
        return c -> c.draw(1) == 1;
    }

    /**
     * One of {@code alternatives}, chosen evenly; shrinks toward the first.
     *
     * @param alternatives the generators to choose from, at least one, none null
     * @param <T> the common type of their values
     * @return a generator running one alternative per value
     * @throws IllegalArgumentException if there is no alternative
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, copied into a list
    static <T> Gen<T> oneOf(Gen<? extends T>... alternatives) {
        List<Gen<? extends T>> list = Generators.listOf(alternatives);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("oneOf: at least one alternative is needed");
        }
        return c -> {
            int span = c.startSpan();
            T value = list.get((int) c.draw(list.size() - 1)).generate(c);
            c.endSpan(span);
            return value;
        };
    }

    /**
     * An alternative for {@link #frequency} with its relative weight.
     *
     * @param weight the relative weight, positive
     * @param gen the generator, not null
     * @param <T> the type of its values
     * @return the weighted alternative
     * @throws IllegalArgumentException if {@code weight} is not positive
     */
    static <T> Weighted<T> weighted(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    /**
     * One of {@code alternatives}, chosen by weight; shrinks toward the first.
     *
     * @param alternatives the weighted generators (see {@link #weighted}), at least one
     * @param <T> the common type of their values
     * @return a generator running one alternative per value
     * @throws IllegalArgumentException if there is no alternative
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, copied into a list
    static <T> Gen<T> frequency(Weighted<? extends T>... alternatives) {
        List<Weighted<? extends T>> list = Generators.listOf(alternatives);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("frequency: at least one alternative is needed");
        }
        int[] weights = list.stream().mapToInt(Weighted::weight).toArray();
        return c -> {
            int span = c.startSpan();
            T value = list.get(c.drawWeighted(weights)).gen().generate(c);
            c.endSpan(span);
            return value;
        };
    }

    /**
     * One of {@code values}, chosen evenly; shrinks toward the first.
     *
     * @param values the values to choose from, at least one; nulls allowed
     * @param <T> the type of the values
     * @return a generator of those values
     * @throws IllegalArgumentException if there is no value
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, copied into a list
    static <T> Gen<T> elements(T... values) {
        return elements(Generators.listOf(values));
    }

    /**
     * One of {@code values} (copied; nulls allowed), chosen evenly; shrinks toward the first.
     *
     * @param values the values to choose from, at least one
     * @param <T> the type of the values
     * @return a generator of those values
     * @throws IllegalArgumentException if {@code values} is empty
     */
    static <T> Gen<T> elements(List<? extends T> values) {
        List<T> copy = Collections.unmodifiableList(new ArrayList<>(values));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("elements: at least one value is needed");
        }
        return c -> copy.get((int) c.draw(copy.size() - 1));
    }

    /**
     * Unmodifiable lists of {@code minSize} to {@code maxSize} elements, on average about five
     * more than {@code minSize}; they shrink by dropping elements and by shrinking elements.
     *
     * @param element the generator of each element, not null
     * @param minSize the fewest elements, at least 0
     * @param maxSize the most elements, at least {@code minSize}
     * @param <T> the element type
     * @return a generator of unmodifiable lists
     * @throws IllegalArgumentException if the sizes are out of order or negative
     */
    static <T> Gen<List<T>> listOf(Gen<T> element, int minSize, int maxSize) {
        return listOf(element, minSize, maxSize, minSize + Math.min(maxSize - minSize, 5));
    }

    /**
     * Like {@link #listOf(Gen, int, int)} with about {@code averageSize} elements on average
     * (the size beyond {@code minSize} is geometrically distributed, capped at {@code maxSize}).
     *
     * @param element the generator of each element, not null
     * @param minSize the fewest elements, at least 0
     * @param maxSize the most elements, at least {@code minSize}
     * @param averageSize the mean size, in {@code [minSize, maxSize]}
     * @param <T> the element type
     * @return a generator of unmodifiable lists
     * @throws IllegalArgumentException if the sizes are out of order, negative, or the average is
     *     outside them
     */
    static <T> Gen<List<T>> listOf(Gen<T> element, int minSize, int maxSize, double averageSize) {
        Objects.requireNonNull(element, "element");
        if (minSize < 0 || minSize > maxSize) {
            throw new IllegalArgumentException("listOf: need 0 <= minSize <= maxSize, got " + minSize + ", " + maxSize);
        }
        if (!(averageSize >= minSize && averageSize <= maxSize)) {
            throw new IllegalArgumentException("listOf: averageSize " + averageSize + " not in [" + minSize + ", " + maxSize + "]");
        }
        double extra = averageSize - minSize;
        double more = extra / (extra + 1); // P(one more element) giving that many extra on average
        return c -> {
            List<T> out = new ArrayList<>();
            // Each element after the minimum is preceded by a "one more?" choice, so deleting
            // that choice with the element's own choices removes exactly one element.
            while (true) {
                int span = c.startSpan();
                if (out.size() == maxSize || (out.size() >= minSize && !c.drawBoolean(more))) {
                    break;
                }
                out.add(element.generate(c));
                c.endSpan(span);
            }
            return Collections.unmodifiableList(out);
        };
    }

    /**
     * Present three times out of four; shrinks to empty.
     *
     * @param value the generator of present values, not null
     * @param <T> the type of the values
     * @return a generator of optionals
     */
    static <T> Gen<Optional<T>> optionalOf(Gen<T> value) {
        Objects.requireNonNull(value, "value");
        return c -> {
            int span = c.startSpan();
            Optional<T> result = c.drawBoolean(0.75) ? Optional.of(value.generate(c)) : Optional.empty();
            c.endSpan(span);
            return result;
        };
    }

    /**
     * Null one time out of five; shrinks to null.
     *
     * @param value the generator of the non-null values, not null
     * @param <T> the type of the values
     * @return a generator of values or null
     */
    static <T> Gen<T> nullable(Gen<T> value) {
        Objects.requireNonNull(value, "value");
        return c -> {
            int span = c.startSpan();
            T result = c.drawBoolean(0.8) ? value.generate(c) : null;
            c.endSpan(span);
            return result;
        };
    }

    /**
     * The elements of {@code list} in a random order; shrinks toward the given order.
     *
     * @param list the elements, copied; may be empty
     * @param <T> the element type
     * @return a generator of unmodifiable permutations of {@code list}
     */
    static <T> Gen<List<T>> shuffled(List<? extends T> list) {
        List<T> copy = new ArrayList<>(list);
        return c -> {
            List<T> out = new ArrayList<>(copy);
            for (int i = 0; i < out.size() - 1; i++) {
                Collections.swap(out, i, i + (int) c.draw(out.size() - 1 - i));
            }
            return Collections.unmodifiableList(out);
        };
    }

    // ---------------------------------------------------------------- text

    /**
     * ASCII identifiers: a letter, then letters, digits and underscores, {@code minLength} to
     * {@code maxLength} characters; shrink toward {@code "a"}.
     *
     * @param minLength the fewest characters, at least 1
     * @param maxLength the most characters, at least {@code minLength}
     * @return a generator of identifiers
     * @throws IllegalArgumentException if {@code minLength < 1} or {@code minLength > maxLength}
     */
    static Gen<String> asciiIdentifiers(int minLength, int maxLength) {
        if (minLength < 1 || minLength > maxLength) {
            throw new IllegalArgumentException("asciiIdentifiers: need 1 <= minLength <= maxLength, got "
                    + minLength + ", " + maxLength);
        }
        Gen<Integer> first = Generators.codePointsOf(Generators.LETTERS);
        Gen<Integer> rest = Generators.codePointsOf(Generators.LETTERS + "0123456789_");
        return c -> {
            StringBuilder sb = new StringBuilder().appendCodePoint(first.generate(c));
            for (int cp : listOf(rest, minLength - 1, maxLength - 1).generate(c)) {
                sb.appendCodePoint(cp);
            }
            return sb.toString();
        };
    }

    /**
     * Well-formed Unicode strings of {@code minLength} to {@code maxLength} code points from
     * {@link #codePoints()}: ASCII, JSON specials and controls, the whole BMP and astral planes.
     *
     * @param minLength the fewest code points (not chars), at least 0
     * @param maxLength the most code points, at least {@code minLength}
     * @return a generator of strings with no lone surrogate
     * @throws IllegalArgumentException if the lengths are out of order or negative
     */
    static Gen<String> unicodeStrings(int minLength, int maxLength) {
        return strings(codePoints(), minLength, maxLength);
    }

    /**
     * Strings of {@code minLength} to {@code maxLength} code points taken from {@code alphabet}.
     *
     * @param alphabet the code points allowed, not empty; the first is the one shrinking moves toward
     * @param minLength the fewest code points, at least 0
     * @param maxLength the most code points, at least {@code minLength}
     * @return a generator of strings
     * @throws IllegalArgumentException if the alphabet is empty or the lengths are out of order
     */
    static Gen<String> strings(String alphabet, int minLength, int maxLength) {
        if (alphabet.isEmpty()) {
            throw new IllegalArgumentException("strings: the alphabet is empty");
        }
        return strings(Generators.codePointsOf(alphabet), minLength, maxLength);
    }

    /**
     * Strings of {@code minLength} to {@code maxLength} code points drawn from {@code codePoints}.
     *
     * @param codePoints the generator of each code point, which must give valid code points
     * @param minLength the fewest code points, at least 0
     * @param maxLength the most code points, at least {@code minLength}
     * @return a generator of strings
     * @throws IllegalArgumentException if the lengths are out of order or negative
     */
    static Gen<String> strings(Gen<Integer> codePoints, int minLength, int maxLength) {
        Gen<List<Integer>> list = listOf(codePoints, minLength, maxLength);
        return c -> {
            StringBuilder sb = new StringBuilder();
            for (int cp : list.generate(c)) {
                sb.appendCodePoint(cp);
            }
            return sb.toString();
        };
    }

    /**
     * Code points of {@code alphabet}, chosen evenly; shrink toward its first one.
     *
     * @param alphabet the code points allowed, not empty
     * @return a generator of code points
     * @throws IllegalArgumentException if the alphabet is empty
     */
    static Gen<Integer> codePointsOf(String alphabet) {
        if (alphabet.isEmpty()) {
            throw new IllegalArgumentException("codePointsOf: the alphabet is empty");
        }
        return Generators.codePointsOf(alphabet);
    }

    /**
     * Unicode scalar values (never a lone surrogate): mostly printable ASCII, often the
     * characters JSON must escape ({@code " \ /}, controls, U+2028, U+2029) and other specials
     * (U+FEFF, U+FFFF, U+10FFFF), BMP characters and astral ones such as emoji; shrink to 'a'.
     *
     * @return the shared generator of code points
     */
    static Gen<Integer> codePoints() {
        return Generators.CODE_POINTS;
    }

    // ---------------------------------------------------------------- numbers and bytes

    /**
     * Finite doubles: small integers, short decimals, special values (-0.0, the smallest and
     * largest magnitudes, 0.1) and arbitrary bit patterns; shrink toward 0.0.
     *
     * @return the shared generator of finite doubles (never NaN or infinite)
     */
    static Gen<Double> doubles() {
        return Generators.DOUBLES;
    }

    /**
     * Doubles in {@code [min, max]} (both finite), favouring the bounds; shrink toward the bound
     * nearest zero.
     *
     * @param min the smallest value, inclusive, finite
     * @param max the largest value, inclusive, finite
     * @return a generator of doubles in {@code [min, max]}
     * @throws IllegalArgumentException if a bound is not finite or {@code min > max}
     */
    static Gen<Double> doubles(double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("doubles: need finite min <= max, got " + min + ", " + max);
        }
        return c -> Generators.doubleIn(c, min, max);
    }

    /**
     * Decimals with up to {@code maxDigits} significant digits and a scale within
     * {@code [-maxScale, maxScale]}; shrink toward 0.
     *
     * @param maxDigits the most significant digits, at least 1
     * @param maxScale the largest scale magnitude, at least 0
     * @return a generator of decimals, negative half the time
     * @throws IllegalArgumentException if {@code maxDigits < 1} or {@code maxScale < 0}
     */
    static Gen<BigDecimal> bigDecimals(int maxDigits, int maxScale) {
        if (maxDigits < 1 || maxScale < 0) {
            throw new IllegalArgumentException("bigDecimals: need maxDigits >= 1 and maxScale >= 0, got "
                    + maxDigits + ", " + maxScale);
        }
        Gen<String> digits = strings("0123456789", 1, maxDigits);
        Gen<Integer> scales = integers(-maxScale, maxScale);
        return c -> {
            BigInteger unscaled = new BigInteger(digits.generate(c));
            if (c.drawBoolean(0.5)) {
                unscaled = unscaled.negate();
            }
            return new BigDecimal(unscaled, scales.generate(c));
        };
    }

    /**
     * Byte arrays of {@code minLength} to {@code maxLength} arbitrary bytes; shrink toward zeros.
     *
     * @param minLength the fewest bytes, at least 0
     * @param maxLength the most bytes, at least {@code minLength}
     * @return a generator of new arrays (each value is its own array)
     * @throws IllegalArgumentException if the lengths are out of order or negative
     */
    static Gen<byte[]> bytes(int minLength, int maxLength) {
        Gen<List<Integer>> list = listOf(integers(0, 255), minLength, maxLength);
        return c -> {
            List<Integer> values = list.generate(c);
            byte[] out = new byte[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) (int) values.get(i);
            }
            return out;
        };
    }

    /**
     * An alternative of {@link #frequency}.
     *
     * @param weight relative weight, positive
     * @param gen the generator
     * @param <T> the generated type
     */
    record Weighted<T>(int weight, Gen<? extends T> gen) {
        /**
         * Validates the weight.
         *
         * @param weight relative weight, positive
         * @param gen the generator, not null
         * @throws IllegalArgumentException if {@code weight} is not positive
         */
        public Weighted {
            if (weight <= 0) {
                throw new IllegalArgumentException("weight: must be positive, was " + weight);
            }
            Objects.requireNonNull(gen, "gen");
        }
    }
}
