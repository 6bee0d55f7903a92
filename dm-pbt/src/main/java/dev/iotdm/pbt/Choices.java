package dev.iotdm.pbt;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The source of every random decision a {@link Gen} makes, and the record of those decisions.
 *
 * <p>Each decision is a bounded non-negative {@code long}, a <em>choice</em>. A fresh source
 * draws choices from a seeded random generator and records them; a replaying source reads a
 * recorded (and possibly edited) sequence back, clamping each choice to the bound asked for and
 * answering 0 once the sequence runs out. Because every generator is a deterministic function of
 * its choices, shrinking a failing case means editing its choice sequence (shorter, then
 * smaller) and replaying the generator: no generator needs shrink code of its own, and the
 * shrunk value always satisfies the generator's invariants.
 *
 * <p>Generators should be written so that smaller choices mean simpler values, 0 being the
 * simplest (the built-in ones do: lists end early, numbers move toward zero, {@code oneOf}
 * prefers its first alternative).
 *
 * <p>Thread-safety: not thread-safe; one source serves one test case on one thread.
 */
public final class Choices {

    /** The most choices one test case may make; beyond it the case is discarded as too big. */
    static final int MAX_CHOICES = 50_000;

    private final SplittableRandom random; // null when replaying
    private final long[] prefix;
    private long[] recorded = new long[64];
    private int size;
    private int[] spans = new int[32]; // pairs [start, end) of choices that form one list element etc.
    private int spanInts;

    private Choices(SplittableRandom random, long[] prefix) {
        this.random = random;
        this.prefix = prefix;
    }

    /**
     * A source that draws fresh choices from {@code random} and records them.
     *
     * @param random the generator to draw from; not null, and used by this source only from now on
     * @return a new recording source
     */
    public static Choices random(SplittableRandom random) {
        return new Choices(Objects.requireNonNull(random, "random"), new long[0]);
    }

    /**
     * A source that replays {@code choices}, then answers 0.
     *
     * @param choices the sequence to replay, typically an edited {@link #recorded()}; copied, so
     *     later changes to the array do not affect the source
     * @return a new replaying source
     */
    public static Choices replay(long[] choices) {
        return new Choices(null, choices.clone());
    }

    /**
     * A choice in {@code [0, max]}, uniformly distributed when drawn fresh.
     *
     * @param max the largest choice allowed, inclusive; a replayed choice above it is clamped to it
     * @return the choice, recorded
     * @throws IllegalArgumentException if {@code max} is negative
     */
    public long draw(long max) {
        requireMax(max);
        return record(random == null ? replayed(max) : uniform(max));
    }

    /**
     * A choice in {@code [0, max]} that, when drawn fresh, favours 0, small values and {@code max}
     * itself: the values where bugs live. Integer generators use it for magnitudes.
     *
     * @param max the largest choice allowed, inclusive; a replayed choice above it is clamped to it
     * @return the choice, recorded
     * @throws IllegalArgumentException if {@code max} is negative
     */
    public long drawSkewed(long max) {
        requireMax(max);
        if (random == null) {
            return record(replayed(max));
        }
        int mode = random.nextInt(32);
        long v;
        if (mode < 2) {
            v = max;
        } else if (mode < 4) {
            v = 0;
        } else if (mode < 18) {
            // log-uniform: first a bit width, then a value of that width
            int width = random.nextInt(65 - Long.numberOfLeadingZeros(max));
            long cap = width >= 63 ? max : Math.min(max, (1L << width) - 1);
            v = uniform(cap);
        } else {
            v = uniform(max);
        }
        return record(v);
    }

    /**
     * A choice of 1 (true) with probability {@code probabilityOfTrue} when drawn fresh, else 0
     * (false). Shrinking turns true into false.
     *
     * @param probabilityOfTrue the chance of true for a fresh draw, in {@code [0, 1]}
     * @return the choice as a boolean, recorded as 1 or 0
     * @throws IllegalArgumentException if {@code probabilityOfTrue} is outside {@code [0, 1]} or NaN
     */
    public boolean drawBoolean(double probabilityOfTrue) {
        if (!(probabilityOfTrue >= 0.0 && probabilityOfTrue <= 1.0)) {
            throw new IllegalArgumentException("probabilityOfTrue: must be in [0, 1], was " + probabilityOfTrue);
        }
        long v = random == null ? replayed(1) : (random.nextDouble() < probabilityOfTrue ? 1 : 0);
        return record(v) == 1;
    }

    /**
     * An index into {@code weights}, drawn in proportion to the weights when fresh. Shrinking
     * moves toward index 0.
     *
     * @param weights one positive relative weight per index
     * @return an index in {@code [0, weights.length)}, recorded
     * @throws IllegalArgumentException if there are no weights or one is not positive
     */
    public int drawWeighted(int... weights) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("weights: at least one is needed");
        }
        long total = 0;
        for (int w : weights) {
            if (w <= 0) {
                throw new IllegalArgumentException("weights: every weight must be positive, got " + Arrays.toString(weights));
            }
            total += w;
        }
        if (random == null) {
            return (int) record(replayed(weights.length - 1));
        }
        long r = random.nextLong(total);
        int i = 0;
        while (r >= weights[i]) {
            r -= weights[i];
            i++;
        }
        return (int) record(i);
    }

    /**
     * How many choices have been made so far.
     *
     * @return the number of choices recorded, at most 50,000 (a case needing more is discarded)
     */
    public int count() {
        return size;
    }

    /**
     * The choices made so far, in order.
     *
     * @return a copy of the recorded choices, which {@link #replay(long[])} turns back into the same value
     */
    public long[] recorded() {
        return Arrays.copyOf(recorded, size);
    }

    /**
     * Marks the start of a span: a run of choices that produce one meaningful part of a value
     * (a list element with its "one more?" flag, the chosen alternative of {@code oneOf}). The
     * shrinker tries deleting and zeroing whole spans, whatever their length.
     *
     * @return the position to hand to {@link #endSpan(int)}
     */
    public int startSpan() {
        return size;
    }

    /**
     * Marks the end of the span started at {@code start}. A span of fewer than two choices is not
     * kept: the shrinker edits single choices anyway.
     *
     * @param start the position {@link #startSpan()} returned
     */
    public void endSpan(int start) {
        if (size - start < 2) {
            return; // a single choice is shrunk anyway
        }
        if (spanInts == spans.length) {
            spans = Arrays.copyOf(spans, spanInts * 2);
        }
        spans[spanInts++] = start;
        spans[spanInts++] = size;
    }

    /** The spans marked so far, flattened as start, end, start, end... */
    int[] spans() {
        return Arrays.copyOf(spans, spanInts);
    }

    private long replayed(long max) {
        return size < prefix.length ? Math.min(prefix[size], max) : 0;
    }

    private long uniform(long max) {
        return max == Long.MAX_VALUE ? random.nextLong() & Long.MAX_VALUE : random.nextLong(max + 1);
    }

    private long record(long v) {
        if (size == MAX_CHOICES) {
            throw new Discard("the test case needed more than " + MAX_CHOICES + " choices");
        }
        if (size == recorded.length) {
            recorded = Arrays.copyOf(recorded, size * 2);
        }
        recorded[size++] = v;
        return v;
    }

    private static void requireMax(long max) {
        if (max < 0) {
            throw new IllegalArgumentException("max: must not be negative, was " + max);
        }
    }

    /**
     * Thrown to discard a test case: a filter found no acceptable value, an assumption did not
     * hold, or the case grew too big. The runner counts it and moves on; it is never a failure.
     */
    static final class Discard extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Discard(String reason) {
            super(reason, null, false, false);
        }
    }
}
