package dev.iotdm.pbt;

import dev.iotdm.pbt.Shrinker.Outcome;
import dev.iotdm.pbt.Show.Tuple2;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A property: a check that must hold for every value of a generator, run on many generated
 * values and shrunk to a minimal counterexample when it fails.
 *
 * <pre>{@code
 * Property.forAll(Gen.listOf(Gen.integers(0, 100), 0, 20))
 *         .tries(300)
 *         .check(list -> assertThat(sorted(list)).hasSameSizeAs(list));
 * }</pre>
 *
 * <p>Settings, strongest first:
 * <ul>
 *   <li>seed: {@link #seed(long)} in code, else system property {@code pbt.seed} when set and
 *       not blank, else random. One seed fixes the whole run: every try, in order.
 *   <li>tries: system property {@code pbt.tries} when set and not blank, else {@link #tries(int)}
 *       in code, else {@value #DEFAULT_TRIES}.
 * </ul>
 * The parent pom forwards both properties to surefire, so
 * {@code mvn -pl <module> verify -Dtest=SomeProperties -Dpbt.seed=42} replays a reported failure.
 *
 * <p>On failure the check shrinks the failing case (within {@link #shrinkLimit}), then throws
 * an {@link AssertionError} naming the seed, how to replay it, the shrink steps, the minimal and
 * the original failing value, with the minimal case's throwable as cause.
 *
 * <p>Thread-safety: immutable; {@link #check} runs on the calling thread.
 *
 * @param <T> the type of the generated values
 */
public final class Property<T> {

    /** Tries per property when neither code nor {@code pbt.tries} says otherwise. */
    public static final int DEFAULT_TRIES = 200;

    /** System property holding the seed to replay; see {@link Seeds}. */
    public static final String SEED_PROPERTY = Seeds.SEED_PROPERTY;

    /** System property overriding the number of tries; see {@link Seeds}. */
    public static final String TRIES_PROPERTY = Seeds.TRIES_PROPERTY;

    private final Gen<T> gen;
    private final int tries;
    private final Long seed;
    private final int maxShrinkAttempts;

    private Property(Gen<T> gen, int tries, Long seed, int maxShrinkAttempts) {
        this.gen = gen;
        this.tries = tries;
        this.seed = seed;
        this.maxShrinkAttempts = maxShrinkAttempts;
    }

    /**
     * A property over the values of {@code gen}, with the default tries and shrink limit.
     *
     * @param gen the generator of test values, not null
     * @param <T> the type of the values
     * @return the property, not yet run: call {@link #check}
     */
    public static <T> Property<T> forAll(Gen<T> gen) {
        return new Property<>(Objects.requireNonNull(gen, "gen"), DEFAULT_TRIES, null,
                Shrinker.DEFAULT_MAX_ATTEMPTS);
    }

    /**
     * A property over pairs of values, the first from {@code first}, the second from {@code second}.
     *
     * @param first the generator of the first values, not null
     * @param second the generator of the second values, not null
     * @param <A> the type of the first values
     * @param <B> the type of the second values
     * @return the property, not yet run: call {@link Two#check}
     */
    public static <A, B> Two<A, B> forAll(Gen<A> first, Gen<B> second) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        return new Two<>(forAll(c -> new Tuple2<>(first.generate(c), second.generate(c))));
    }

    /**
     * Discards the current test case unless {@code condition} holds; call it from a check to skip
     * values the property does not apply to. Discarded cases are not counted as tries.
     *
     * @param condition whether the current value is one the property applies to; when false this
     *     method throws an internal exception that {@link #check} catches, so it must not be caught
     *     by the check itself
     */
    public static void assume(boolean condition) {
        if (!condition) {
            throw new Choices.Discard("assumption not met");
        }
    }

    /**
     * This property with {@code tries} tries (unless {@code pbt.tries} is set).
     *
     * @param tries how many values must pass, at least 1
     * @return a new property; this one is unchanged
     * @throws IllegalArgumentException if {@code tries} is less than 1
     */
    public Property<T> tries(int tries) {
        if (tries < 1) {
            throw new IllegalArgumentException("tries: must be positive, was " + tries);
        }
        return new Property<>(gen, tries, seed, maxShrinkAttempts);
    }

    /**
     * This property with a fixed seed, which wins over {@code pbt.seed}.
     *
     * @param seed the seed of the whole run, as printed by a failure
     * @return a new property; this one is unchanged
     */
    public Property<T> seed(long seed) {
        return new Property<>(gen, tries, seed, maxShrinkAttempts);
    }

    /**
     * This property with shrinking bounded by {@code maxAttempts} replays (default {@value
     * Shrinker#DEFAULT_MAX_ATTEMPTS}). The budget counts replays, not time, so a shrunk result
     * repeats on any machine.
     *
     * @param maxAttempts the most replays while shrinking, at least 0 (0 reports the original value)
     * @return a new property; this one is unchanged
     * @throws IllegalArgumentException if {@code maxAttempts} is negative
     */
    public Property<T> shrinkLimit(int maxAttempts) {
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts: must not be negative, was " + maxAttempts);
        }
        return new Property<>(gen, tries, seed, maxAttempts);
    }

    /**
     * Runs {@code check} on generated values until it has passed the number of tries.
     *
     * @param check the assertions about one value, not null; it runs on the calling thread
     * @throws AssertionError describing the minimal failing value if the check fails for any
     *     value, or if too many cases are discarded
     */
    public void check(Check<? super T> check) {
        Objects.requireNonNull(check, "check");
        long runSeed = resolveSeed(seed, System.getProperty(SEED_PROPERTY));
        int runTries = resolveTries(tries, System.getProperty(TRIES_PROPERTY));
        SplittableRandom master = new SplittableRandom(runSeed);
        int maxDiscarded = Math.max(100, runTries * 10);
        int passed = 0;
        int discarded = 0;
        while (passed < runTries) {
            Outcome outcome = execute(Choices.random(master.split()), check);
            if (outcome instanceof Outcome.Pass) {
                passed++;
            } else if (outcome instanceof Outcome.Discarded) {
                if (++discarded > maxDiscarded) {
                    throw new AssertionError("Property gave up: " + discarded + " cases discarded (filters or"
                            + " assumptions too strict, or cases too big) after " + passed + " passed; "
                            + Seeds.replayHint(runSeed));
                }
            } else {
                throw failure((Outcome.Fail) outcome, passed + 1, runSeed, check);
            }
        }
    }

    private AssertionError failure(Outcome.Fail original, int tryNumber, long runSeed, Check<? super T> check) {
        String originalText = Show.show(original.value());
        Shrinker shrinker = new Shrinker(choices -> execute(Choices.replay(choices), check), original,
                maxShrinkAttempts);
        Outcome.Fail minimal = shrinker.shrink();
        String message = "Property failed on try " + tryNumber + "\n"
                + "  " + Seeds.replayHint(runSeed) + "\n"
                + "  shrunk in " + shrinker.steps() + " steps (" + shrinker.attempts() + " replays"
                + (shrinker.spent() ? ", stopped at the shrink limit" : "") + ") from "
                + original.choices().length + " to " + minimal.choices().length + " choices\n"
                + "  minimal failing value: " + Show.show(minimal.value()) + "\n"
                + "  original failing value: " + originalText + "\n"
                + "  minimal failure: " + minimal.failure();
        return new AssertionError(message, minimal.failure());
    }

    private Outcome execute(Choices choices, Check<? super T> check) {
        T value;
        try {
            value = gen.generate(choices);
        } catch (Choices.Discard d) {
            return new Outcome.Discarded();
        } catch (Throwable t) {
            rethrowIfFatal(t);
            return new Outcome.Fail("<the generator threw>", t, choices.recorded(), choices.spans());
        }
        try {
            check.accept(value);
            return new Outcome.Pass();
        } catch (Choices.Discard d) {
            return new Outcome.Discarded();
        } catch (Throwable t) {
            rethrowIfFatal(t);
            return new Outcome.Fail(value, t, choices.recorded(), choices.spans());
        }
    }

    private static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
            throw (VirtualMachineError) t;
        }
    }

    /** The seed of a run: the one in code, else a non-blank {@code pbt.seed}, else random. */
    static long resolveSeed(Long inCode, String property) {
        return inCode != null ? inCode : Seeds.resolve(property);
    }

    /** The tries of a run: a non-blank {@code pbt.tries}, else the number in code. */
    static int resolveTries(int inCode, String property) {
        return Seeds.resolveTries(inCode, property);
    }

    /**
     * The body of a property: assertions about one value. May throw anything; any throwable
     * counts as a failure except a discard from {@link #assume}.
     *
     * @param <T> the type of the value
     */
    @FunctionalInterface
    public interface Check<T> {
        /**
         * Checks one value.
         *
         * @param value the generated value
         * @throws Throwable any failure: an {@link AssertionError} or any other throwable fails the
         *     property for this value
         */
        void accept(T value) throws Throwable;
    }

    /**
     * The body of a property over two values.
     *
     * @param <A> the type of the first value
     * @param <B> the type of the second value
     */
    @FunctionalInterface
    public interface Check2<A, B> {
        /**
         * Checks one pair of values.
         *
         * @param first the value from the first generator
         * @param second the value from the second generator
         * @throws Throwable any failure: an {@link AssertionError} or any other throwable fails the
         *     property for this pair
         */
        void accept(A first, B second) throws Throwable;
    }

    /**
     * A property over pairs of values; see {@link Property#forAll(Gen, Gen)}. Immutable.
     *
     * @param <A> the type of the first value
     * @param <B> the type of the second value
     */
    public static final class Two<A, B> {
        private final Property<Tuple2<A, B>> pairs;

        private Two(Property<Tuple2<A, B>> pairs) {
            this.pairs = pairs;
        }

        /**
         * See {@link Property#tries(int)}.
         *
         * @param tries how many pairs must pass, at least 1
         * @return a new property; this one is unchanged
         * @throws IllegalArgumentException if {@code tries} is less than 1
         */
        public Two<A, B> tries(int tries) {
            return new Two<>(pairs.tries(tries));
        }

        /**
         * See {@link Property#seed(long)}.
         *
         * @param seed the seed of the whole run, as printed by a failure
         * @return a new property; this one is unchanged
         */
        public Two<A, B> seed(long seed) {
            return new Two<>(pairs.seed(seed));
        }

        /**
         * See {@link Property#shrinkLimit(int)}.
         *
         * @param maxAttempts the most replays while shrinking, at least 0
         * @return a new property; this one is unchanged
         * @throws IllegalArgumentException if {@code maxAttempts} is negative
         */
        public Two<A, B> shrinkLimit(int maxAttempts) {
            return new Two<>(pairs.shrinkLimit(maxAttempts));
        }

        /**
         * See {@link Property#check(Check)}.
         *
         * @param check the assertions about one pair, not null
         * @throws AssertionError describing the minimal failing pair if the check fails for any
         *     pair, or if too many cases are discarded
         */
        public void check(Check2<? super A, ? super B> check) {
            Objects.requireNonNull(check, "check");
            pairs.check(t -> check.accept(t.first(), t.second()));
        }
    }
}
