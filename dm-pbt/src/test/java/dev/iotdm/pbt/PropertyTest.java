package dev.iotdm.pbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Self-tests of the runner and the shrinker: failures shrink to the known minimal case. */
class PropertyTest {

    private static final Pattern SEED = Pattern.compile("seed (-?\\d+)");

    /** Runs a property expected to fail and returns its report. */
    private static AssertionError failureOf(Runnable property) {
        AssertionError e = catchThrowableOfType(AssertionError.class, property::run);
        assertThat(e).as("the property should have failed").isNotNull();
        return e;
    }

    private static String minimalValueIn(AssertionError e) {
        Matcher m = Pattern.compile("minimal failing value: (.*)").matcher(e.getMessage());
        assertThat(m.find()).as("report has a minimal value: %s", e.getMessage()).isTrue();
        return m.group(1);
    }

    @Test
    void a_list_whose_sum_is_too_big_shrinks_to_the_single_smallest_element() {
        AssertionError e = failureOf(() -> Property.forAll(Gen.listOf(Gen.integers(-10_000, 10_000), 0, 50))
                .check(list -> assertThat(list.stream().mapToInt(Integer::intValue).sum()).isLessThan(1000)));

        assertThat(minimalValueIn(e)).isEqualTo("[1000]");
    }

    @Test
    void an_integer_property_shrinks_to_the_boundary_value() {
        AssertionError above = failureOf(() -> Property.forAll(Gen.integers(-100_000, 100_000))
                .check(x -> assertThat(x).isLessThan(4321)));
        AssertionError below = failureOf(() -> Property.forAll(Gen.integers(-100_000, 100_000))
                .check(x -> assertThat(x).isGreaterThan(-777)));
        AssertionError wide = failureOf(() -> Property.forAll(Gen.longs(Long.MIN_VALUE, Long.MAX_VALUE))
                .check(x -> assertThat(x).isLessThan(1L << 40)));

        assertThat(minimalValueIn(above)).isEqualTo("4321");
        assertThat(minimalValueIn(below)).isEqualTo("-777");
        assertThat(minimalValueIn(wide)).isEqualTo(Long.toString(1L << 40));
    }

    @Test
    void a_range_away_from_zero_shrinks_toward_its_nearest_bound() {
        AssertionError positive = failureOf(() -> Property.forAll(Gen.integers(500, 900))
                .check(x -> assertThat(x % 7).isNotEqualTo(3)));
        AssertionError negative = failureOf(() -> Property.forAll(Gen.integers(-900, -500))
                .check(x -> assertThat(x % 7).isNotEqualTo(-3)));

        assertThat(minimalValueIn(positive)).isEqualTo("500"); // 500 % 7 == 3
        assertThat(minimalValueIn(negative)).isEqualTo("-500");
    }

    @Test
    void a_length_first_generator_shrinks_its_length_with_its_elements() {
        Gen<List<Integer>> lengthFirst = Gen.integers(0, 20)
                .flatMap(n -> Gen.listOf(Gen.integers(0, 100), n, n));

        AssertionError e = failureOf(() -> Property.forAll(lengthFirst)
                .check(list -> assertThat(list).allMatch(x -> x <= 50)));

        assertThat(minimalValueIn(e)).isEqualTo("[51]");
    }

    @Test
    void a_string_property_shrinks_to_the_simplest_offending_character() {
        AssertionError e = failureOf(() -> Property.forAll(Gen.unicodeStrings(0, 30))
                .check(s -> assertThat(s.chars()).allMatch(ch -> ch < 0x80)));

        assertThat(minimalValueIn(e)).isEqualTo("\"\\u0080\"");
    }

    @Test
    void two_generators_shrink_independently() {
        AssertionError e = failureOf(() -> Property.forAll(Gen.integers(0, 1000), Gen.asciiIdentifiers(1, 10))
                .check((n, id) -> assertThat(n < 10 || id.length() < 3).isTrue()));

        assertThat(minimalValueIn(e)).isEqualTo("(10, \"aaa\")");
    }

    @Test
    void the_report_names_seed_replay_steps_both_values_and_the_minimal_cause() {
        AssertionError e = failureOf(() -> Property.forAll(Gen.listOf(Gen.integers(0, 1000), 0, 20))
                .seed(12345)
                .check(list -> assertThat(list).as("list").hasSizeLessThan(3)));

        assertThat(e.getMessage())
                .contains("seed 12345")
                .contains("-Dpbt.seed=12345")
                .containsPattern("shrunk in \\d+ steps")
                .contains("minimal failing value: [0, 0, 0]")
                .containsPattern("original failing value: \\[.+]");
        assertThat(e.getCause()).isInstanceOf(AssertionError.class).hasMessageContaining("[0, 0, 0]");
    }

    @Test
    void the_seed_in_the_report_replays_the_same_failure() {
        Gen<List<Integer>> lists = Gen.listOf(Gen.integers(-1000, 1000), 0, 30);
        Property.Check<List<Integer>> check = list -> assertThat(list).allMatch(x -> x < 300);
        AssertionError first = failureOf(() -> Property.forAll(lists).check(check)); // random seed

        Matcher m = SEED.matcher(first.getMessage());
        assertThat(m.find()).isTrue();
        long seed = Long.parseLong(m.group(1));
        AssertionError replayed = failureOf(() -> Property.forAll(lists).seed(seed).check(check));

        assertThat(replayed.getMessage()).isEqualTo(first.getMessage());
        assertThat(minimalValueIn(replayed)).isEqualTo("[300]");
    }

    @Test
    void a_passing_property_runs_the_requested_number_of_tries() {
        AtomicInteger runs = new AtomicInteger();
        int expected = Property.resolveTries(37, System.getProperty(Property.TRIES_PROPERTY));

        Property.forAll(Gen.integers(0, 10)).tries(37).check(x -> runs.incrementAndGet());

        assertThat(runs).hasValue(expected);
    }

    @Test
    void seed_comes_from_code_then_the_system_property_then_chance() {
        assertThat(Property.resolveSeed(7L, "42")).isEqualTo(7L);
        assertThat(Property.resolveSeed(null, " 42 ")).isEqualTo(42L);
        assertThat(Property.resolveSeed(null, "")).isNotEqualTo(Property.resolveSeed(null, ""));
        assertThatThrownBy(() -> Property.resolveSeed(null, "forty-two"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pbt.seed");
    }

    @Test
    void tries_come_from_the_system_property_then_code() {
        assertThat(Property.resolveTries(300, null)).isEqualTo(300);
        assertThat(Property.resolveTries(300, "")).isEqualTo(300);
        assertThat(Property.resolveTries(300, "5000")).isEqualTo(5000);
        assertThatThrownBy(() -> Property.resolveTries(300, "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pbt.tries");
    }

    @Test
    void a_generator_that_throws_is_reported_as_a_failure() {
        Gen<Integer> broken = Gen.integers(0, 100).map(x -> {
            if (x > 10) {
                throw new IllegalStateException("boom " + x);
            }
            return x;
        });

        AssertionError e = failureOf(() -> Property.forAll(broken).check(x -> { }));

        assertThat(e.getMessage()).contains("<the generator threw>");
        assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("boom 11");
    }

    @Test
    void shrinking_keeps_to_the_original_kind_of_failure() {
        // 3..99 fail with IllegalStateException, 100 and above with AssertionError: starting from
        // an AssertionError at 150, shrinking must not slip to the smaller, different failure.
        Gen<Integer> gen = Gen.integers(0, 1000);
        Property.Check<Integer> check = x -> {
            if (x >= 3 && x < 100) {
                throw new IllegalStateException("other bug");
            }
            assertThat(x).isLessThan(3);
        };
        Shrinker.Runner runner = choices -> {
            Choices c = Choices.replay(choices);
            Integer x = gen.generate(c);
            try {
                check.accept(x);
                return new Shrinker.Outcome.Pass();
            } catch (Throwable t) {
                return new Shrinker.Outcome.Fail(x, t, c.recorded(), c.spans());
            }
        };
        Shrinker.Outcome.Fail original = (Shrinker.Outcome.Fail) runner.run(new long[] {150});

        Shrinker.Outcome.Fail minimal = new Shrinker(runner, original, 1000).shrink();

        assertThat(minimal.value()).isEqualTo(100);
        assertThat(minimal.failure()).isInstanceOf(AssertionError.class);
    }

    @Test
    void a_filter_that_rejects_everything_gives_up_with_the_seed() {
        AssertionError e = failureOf(() -> Property.forAll(Gen.integers(0, 10).filter(x -> x > 10)).check(x -> { }));

        assertThat(e.getMessage()).contains("gave up").contains("-Dpbt.seed=");
    }

    @Test
    void assume_discards_cases_without_failing() {
        AtomicInteger checked = new AtomicInteger();

        Property.forAll(Gen.integers(0, 9)).check(x -> {
            Property.assume(x % 2 == 0);
            checked.incrementAndGet();
            assertThat(x % 2).isZero();
        });

        assertThat(checked.get()).isPositive();
    }

    @Test
    void shrinking_stops_at_its_limit_and_says_so() {
        AssertionError e = failureOf(() -> Property.forAll(Gen.listOf(Gen.integers(0, 1000), 0, 50))
                .seed(5)
                .shrinkLimit(0)
                .check(list -> assertThat(list).hasSizeLessThan(2)));

        assertThat(e.getMessage()).contains("shrunk in 0 steps").contains("stopped at the shrink limit");
    }
}
