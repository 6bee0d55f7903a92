package dev.iotdm.pbt;

import java.util.SplittableRandom;

/**
 * The one seed convention of iotdm's randomized tests: {@code -Dpbt.seed=N} replays a run,
 * {@code -Dpbt.tries=N} changes how many cases it runs. {@link Property} uses it; so must every
 * hand-written seeded loop, so that any failure prints a seed and {@code -Dpbt.seed} replays it.
 *
 * <pre>{@code
 * long seed = Seeds.runSeed();
 * SplittableRandom random = new SplittableRandom(seed);
 * for (int i = 0; i < Seeds.tries(50); i++) {
 *     ... assertThat(...).as(Seeds.replayHint(seed)) ...
 * }
 * }</pre>
 *
 * <p>The parent pom forwards both system properties to surefire. Stateless and thread-safe.
 */
public final class Seeds {

    /** System property holding the seed to replay. */
    public static final String SEED_PROPERTY = "pbt.seed";

    /** System property overriding the number of tries. */
    public static final String TRIES_PROPERTY = "pbt.tries";

    private Seeds() {
    }

    /**
     * The seed of this run: {@code pbt.seed} when set and not blank, else a fresh random one.
     *
     * @return the seed; print it with {@link #replayHint(long)} on failure
     * @throws IllegalArgumentException if {@code pbt.seed} is set, not blank and not a long
     */
    public static long runSeed() {
        return resolve(System.getProperty(SEED_PROPERTY));
    }

    /**
     * The number of cases of this run: {@code pbt.tries} when set and not blank, else {@code inCode}.
     *
     * @param inCode the test's own number of cases
     * @return the number of cases to run
     * @throws IllegalArgumentException if {@code pbt.tries} is set, not blank and not a positive int
     */
    public static int tries(int inCode) {
        return resolveTries(inCode, System.getProperty(TRIES_PROPERTY));
    }

    /**
     * The line every failure prints: how to replay the run with {@code seed}.
     *
     * @param seed the run's seed
     * @return for example {@code "seed 42, replay with: -Dpbt.seed=42"}
     */
    public static String replayHint(long seed) {
        return "seed " + seed + ", replay with: -D" + SEED_PROPERTY + "=" + seed;
    }

    /**
     * The seed a property value names, else a fresh random one.
     *
     * @throws IllegalArgumentException if {@code property} is not blank and not a long
     */
    static long resolve(String property) {
        if (property != null && !property.isBlank()) {
            try {
                return Long.parseLong(property.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(SEED_PROPERTY + ": not a long: '" + property + "'", e);
            }
        }
        return new SplittableRandom().nextLong();
    }

    /**
     * The tries a property value names, else {@code inCode}.
     *
     * @throws IllegalArgumentException if {@code property} is not blank and not a positive int
     */
    static int resolveTries(int inCode, String property) {
        return positiveInt(TRIES_PROPERTY, property, inCode);
    }

    /**
     * A count from system property {@code name} when set and not blank, else {@code inCode}: the
     * same convention for other budgets such as {@code conformance.scenarios}.
     *
     * @param name the system property's name, for example {@code "conformance.scenarios"}
     * @param inCode the count when the property is absent or blank
     * @return the count, at least 1 when it comes from the property
     * @throws IllegalArgumentException if the property is not blank and not a positive int
     */
    public static int positiveInt(String name, int inCode) {
        return positiveInt(name, System.getProperty(name), inCode);
    }

    private static int positiveInt(String name, String value, int inCode) {
        if (value == null || value.isBlank()) {
            return inCode;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": not a positive int: '" + value + "'");
    }
}
