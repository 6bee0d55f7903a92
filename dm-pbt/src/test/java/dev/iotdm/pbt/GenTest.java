package dev.iotdm.pbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The built-in generators stay within their bounds, reach their edges, and replay exactly. */
class GenTest {

    /** {@code n} values from a fixed seed: these tests check coverage, not luck. */
    private static <T> List<T> sample(Gen<T> gen, int n) {
        SplittableRandom random = new SplittableRandom(20_251_125L);
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(gen.generate(Choices.random(random.split())));
        }
        return out;
    }

    @Test
    void integers_stay_in_range_and_reach_both_bounds_and_zero() {
        List<Integer> xs = sample(Gen.integers(-50, 70), 2000);

        assertThat(xs).allMatch(x -> x >= -50 && x <= 70).contains(-50, 70, 0);
    }

    @Test
    void longs_over_the_full_range_reach_the_extremes() {
        List<Long> xs = sample(Gen.longs(Long.MIN_VALUE, Long.MAX_VALUE), 3000);

        assertThat(xs).contains(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L);
    }

    @Test
    void a_replayed_choice_sequence_gives_the_same_value() {
        Gen<List<String>> gen = Gen.listOf(Gen.unicodeStrings(0, 10), 0, 10);
        Property.forAll(Gen.longs(Long.MIN_VALUE, Long.MAX_VALUE)).check(seed -> {
            Choices fresh = Choices.random(new SplittableRandom(seed));
            List<String> value = gen.generate(fresh);

            assertThat(gen.generate(Choices.replay(fresh.recorded()))).isEqualTo(value);
        });
    }

    @Test
    void unicode_strings_are_well_formed_and_include_astral_and_json_special_characters() {
        List<String> strings = sample(Gen.unicodeStrings(0, 20), 500);
        String all = String.join("", strings);

        assertThat(strings).allMatch(GenTest::wellFormed);
        assertThat(all.codePoints().anyMatch(Character::isSupplementaryCodePoint)).isTrue();
        assertThat(all).contains("\"", "\\", "\u0000", "\u2028");
    }

    @Test
    void identifiers_and_alphabet_strings_use_only_their_characters() {
        assertThat(sample(Gen.asciiIdentifiers(1, 12), 300)).allMatch(s -> s.matches("[A-Za-z][A-Za-z0-9_]{0,11}"));
        assertThat(sample(Gen.strings("xy😀", 2, 4), 300))
                .allMatch(s -> s.codePointCount(0, s.length()) >= 2 && s.codePointCount(0, s.length()) <= 4)
                .allMatch(s -> s.replace("x", "").replace("y", "").replace("😀", "").isEmpty());
    }

    @Test
    void lists_respect_their_size_bounds() {
        assertThat(sample(Gen.listOf(Gen.booleans(), 2, 7), 500))
                .allMatch(l -> l.size() >= 2 && l.size() <= 7)
                .anyMatch(l -> l.size() == 2)
                .anyMatch(l -> l.size() == 7);
    }

    @Test
    void doubles_are_finite_and_include_negative_zero() {
        List<Double> ds = sample(Gen.doubles(), 2000);

        assertThat(ds).allMatch(Double::isFinite);
        assertThat(ds).anyMatch(d -> Double.doubleToRawLongBits(d) == Double.doubleToRawLongBits(-0.0));
        assertThat(sample(Gen.doubles(-2.5, 1e300), 1000)).allMatch(d -> d >= -2.5 && d <= 1e300).contains(-2.5, 1e300);
    }

    @Test
    void big_decimals_respect_digits_and_scale() {
        List<BigDecimal> ds = sample(Gen.bigDecimals(40, 30), 500);

        assertThat(ds).allMatch(d -> d.unscaledValue().abs().toString().length() <= 40)
                .allMatch(d -> Math.abs(d.scale()) <= 30)
                .anyMatch(d -> d.precision() > 25);
    }

    @Test
    void shuffled_lists_are_permutations_in_varying_order() {
        List<Integer> original = List.of(1, 2, 3, 4, 5);
        List<List<Integer>> shuffles = sample(Gen.shuffled(original), 200);

        assertThat(shuffles).allMatch(l -> l.size() == 5 && new HashSet<>(l).equals(new HashSet<>(original)));
        assertThat(new HashSet<>(shuffles).size()).isGreaterThan(20);
    }

    @Test
    void combinators_give_every_alternative() {
        Set<String> fromOneOf = new HashSet<>(sample(Gen.oneOf(Gen.constant("a"), Gen.constant("b")), 100));
        Set<String> fromFrequency = new HashSet<>(sample(Gen.frequency(
                Gen.weighted(9, Gen.constant("a")), Gen.weighted(1, Gen.constant("b"))), 200));
        Set<Optional<Integer>> optionals = new HashSet<>(sample(Gen.optionalOf(Gen.constant(1)), 100));
        List<Integer> nullables = sample(Gen.nullable(Gen.constant(1)), 100);

        assertThat(fromOneOf).containsExactlyInAnyOrder("a", "b");
        assertThat(fromFrequency).containsExactlyInAnyOrder("a", "b");
        assertThat(optionals).containsExactlyInAnyOrder(Optional.empty(), Optional.of(1));
        assertThat(nullables).containsNull().contains(1);
        assertThat(new HashSet<>(sample(Gen.elements("x", "y", "z"), 100))).containsExactlyInAnyOrder("x", "y", "z");
        assertThat(sample(Gen.integers(0, 10).map(x -> x * 2), 100)).allMatch(x -> x % 2 == 0);
        assertThat(sample(Gen.integers(0, 10).filter(x -> x > 5), 100)).allMatch(x -> x > 5);
        assertThat(sample(Gen.integers(1, 3).flatMap(n -> Gen.listOf(Gen.booleans(), n, n)), 100))
                .allMatch(l -> l.size() >= 1 && l.size() <= 3);
        assertThat(sample(Gen.bytes(3, 3), 10)).allMatch(b -> b.length == 3);
    }

    @Test
    void invalid_bounds_are_refused_with_the_argument_named() {
        List<Function<Void, Object>> bad = List.of(
                v -> Gen.integers(5, 4), v -> Gen.longs(1, 0), v -> Gen.listOf(Gen.booleans(), 3, 2),
                v -> Gen.asciiIdentifiers(0, 3), v -> Gen.strings("", 1, 2), v -> Gen.doubles(1, Double.NaN),
                v -> Gen.elements(List.of()), v -> Gen.weighted(0, Gen.constant(1)));

        for (Function<Void, Object> f : bad) {
            assertThatThrownBy(() -> f.apply(null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching("\\w+: .+");
        }
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
