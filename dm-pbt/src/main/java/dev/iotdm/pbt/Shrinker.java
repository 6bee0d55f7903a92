package dev.iotdm.pbt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Owns shrinking, the one shrinker of iotdm: turns a failing choice sequence into a smaller one
 * that fails the same way, and (with {@link #shrinkList}) a failing list of steps into a minimal
 * sub-list, by the same deletion passes.
 *
 * <p>The budget counts replays, never wall-clock time, so a shrink gives the same result on a
 * fast laptop and on a loaded CI machine.
 *
 * <p>Sequences are ordered shortlex (shorter first, then smaller choice by choice); a candidate
 * is kept only if replaying it fails with the same exception classes (the failure and its
 * causes) and the choices the replay actually consumed are smaller than the best so far. Passes,
 * repeated while any makes progress and the budget lasts:
 * <ol>
 *   <li>delete halves, quarters, ... of the sequence (delta debugging), then
 *   <li>delete spans, the choices of one list element with its "one more?" flag or of one
 *       alternative (see {@link Choices#startSpan()}), last first;
 *   <li>delete chunks of 8 down to 1 adjacent choices;
 *   <li>zero spans, then chunks of 8, 4 and 2 choices;
 *   <li>per choice: try 0, then binary-search the smallest value that still fails;
 *   <li>lower a choice by one and delete the chunk after it (a length or count together with
 *       the element it no longer asks for).
 * </ol>
 */
public final class Shrinker {

    /** Replays per shrink unless the caller says otherwise. */
    public static final int DEFAULT_MAX_ATTEMPTS = 20_000;

    /** Replays a choice sequence. */
    @FunctionalInterface
    interface Runner {
        Outcome run(long[] choices);
    }

    private final Runner runner;
    private final List<Class<?>> identity;
    private final int maxAttempts;
    private final boolean deleteOnly;
    private final Set<Long> seen = new HashSet<>(); // fingerprints of sequences already replayed
    private Outcome.Fail best;
    private int steps;
    private int attempts;

    Shrinker(Runner runner, Outcome.Fail failure, int maxAttempts) {
        this(runner, failure, maxAttempts, false);
    }

    private Shrinker(Runner runner, Outcome.Fail failure, int maxAttempts, boolean deleteOnly) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.best = failure;
        this.identity = identity(failure.failure());
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts: must not be negative, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.deleteOnly = deleteOnly;
    }

    /**
     * Delta debugging over a list of steps: a sub-list of {@code failing} (order kept) for which
     * {@code stillFails} holds and from which no single element can be deleted without it passing,
     * unless {@code maxAttempts} replays ran out first (then the smallest failing sub-list found).
     *
     * <p>{@code stillFails} must be deterministic; it is never called with {@code failing} itself.
     *
     * @param failing the failing steps, copied (no null elements)
     * @param stillFails whether a sub-list still fails; not null, deterministic
     * @param maxAttempts the most calls of {@code stillFails}, at least 0
     * @param <T> the step type
     * @return the minimal sub-list with the attempts used
     * @throws IllegalArgumentException if {@code maxAttempts} is negative
     */
    public static <T> ListShrink<T> shrinkList(List<T> failing, Predicate<? super List<T>> stillFails, int maxAttempts) {
        List<T> original = List.copyOf(failing);
        Objects.requireNonNull(stillFails, "stillFails");
        // Element i of the list is choice i (its index); the passes only ever delete choices, so
        // every candidate is a sub-list in the original order.
        long[] indices = new long[original.size()];
        Arrays.setAll(indices, i -> i);
        RuntimeException marker = new StillFails();
        Runner runner = choices -> {
            List<T> candidate = pick(original, choices);
            return stillFails.test(candidate)
                    ? new Outcome.Fail(candidate, marker, choices, new int[0])
                    : new Outcome.Pass();
        };
        Shrinker shrinker = new Shrinker(runner, new Outcome.Fail(original, marker, indices, new int[0]), maxAttempts, true);
        long[] minimal = shrinker.shrink().choices();
        return new ListShrink<>(pick(original, minimal), shrinker.attempts(), shrinker.spent());
    }

    private static <T> List<T> pick(List<T> original, long[] indices) {
        List<T> out = new ArrayList<>(indices.length);
        for (long i : indices) {
            out.add(original.get((int) i));
        }
        return List.copyOf(out);
    }

    /** Shrinks until no pass makes progress or the budget is spent; returns the smallest failure. */
    Outcome.Fail shrink() {
        long[] before;
        do {
            before = best.choices();
            deleteHalves();
            deleteSpans();
            deleteChunks();
            if (deleteOnly) {
                continue;
            }
            zeroSpans();
            zeroChunks();
            minimizeEach();
            lowerAndDelete();
        } while (compare(best.choices(), before) < 0 && !spent());
        return best;
    }

    /** How many times a smaller failing sequence was found. */
    int steps() {
        return steps;
    }

    /** How many sequences were replayed. */
    int attempts() {
        return attempts;
    }

    /** Whether shrinking stopped because it ran out of attempts. */
    boolean spent() {
        return attempts >= maxAttempts;
    }

    /** Deletes chunks of half, a quarter, ... down to 16 choices: big cuts first, cheap when they work. */
    private void deleteHalves() {
        for (int k = current().length / 2; k >= 16; k /= 2) {
            int i = 0;
            while (i + k <= current().length && !spent()) {
                if (!consider(without(current(), i, k))) {
                    i += k;
                }
            }
        }
    }

    private void deleteSpans() {
        for (int j = best.spans().length - 2; j >= 0 && !spent(); j -= 2) {
            int[] spans = best.spans();
            if (j + 1 < spans.length && spans[j + 1] <= current().length) {
                consider(without(current(), spans[j], spans[j + 1] - spans[j]));
            }
        }
    }

    private void zeroSpans() {
        for (int j = 0; j + 1 < best.spans().length && !spent(); j += 2) {
            int[] spans = best.spans();
            long[] cur = current();
            if (spans[j + 1] <= cur.length) {
                long[] candidate = cur.clone();
                Arrays.fill(candidate, spans[j], spans[j + 1], 0);
                consider(candidate);
            }
        }
    }

    private void deleteChunks() {
        for (int k = 8; k >= 1; k--) {
            int i = current().length - k;
            while (i >= 0 && !spent()) {
                if (consider(without(current(), i, k))) {
                    i = Math.min(i, current().length - k);
                } else {
                    i--;
                }
            }
        }
    }

    private void zeroChunks() {
        for (int k = 8; k >= 2; k /= 2) {
            for (int i = 0; i + k <= current().length && !spent(); i++) {
                long[] cur = current();
                boolean allZero = true;
                for (int j = i; j < i + k; j++) {
                    allZero &= cur[j] == 0;
                }
                if (!allZero) {
                    long[] candidate = cur.clone();
                    Arrays.fill(candidate, i, i + k, 0);
                    consider(candidate);
                }
            }
        }
    }

    private void minimizeEach() {
        for (int i = 0; i < current().length && !spent(); i++) {
            long hi = current()[i];
            if (hi == 0 || consider(with(current(), i, 0))) {
                continue;
            }
            long lo = 0; // known not to fail (or not to be smaller)
            while (hi - lo > 1 && !spent()) {
                long mid = lo + (hi - lo) / 2;
                if (consider(with(current(), i, mid))) {
                    if (i >= current().length) {
                        break;
                    }
                    hi = Math.min(mid, current()[i]);
                } else {
                    lo = mid;
                }
            }
        }
    }

    private void lowerAndDelete() {
        for (int i = 0; i < current().length && !spent(); i++) {
            for (int k = 1; k <= 8 && i + 1 + k <= current().length && current()[i] > 0; k++) {
                long[] lowered = with(current(), i, current()[i] - 1);
                if (consider(without(lowered, i + 1, k))) {
                    break;
                }
            }
        }
    }

    private boolean consider(long[] candidate) {
        if (spent() || compare(candidate, best.choices()) >= 0 || !seen.add(fingerprint(candidate))) {
            return false;
        }
        attempts++;
        Outcome outcome = runner.run(candidate);
        if (outcome instanceof Outcome.Fail f
                && identity.equals(identity(f.failure()))
                && compare(f.choices(), best.choices()) < 0) {
            best = f;
            steps++;
            return true;
        }
        return false;
    }

    private long[] current() {
        return best.choices();
    }

    /** The failure's class and its causes' classes: what "fails the same way" means. */
    private static List<Class<?>> identity(Throwable t) {
        List<Class<?>> classes = new ArrayList<>();
        for (Throwable x = t; x != null && classes.size() < 4; x = x.getCause()) {
            classes.add(x.getClass());
        }
        return classes;
    }

    private static long[] without(long[] s, int from, int length) {
        long[] out = new long[s.length - length];
        System.arraycopy(s, 0, out, 0, from);
        System.arraycopy(s, from + length, out, from, s.length - from - length);
        return out;
    }

    private static long[] with(long[] s, int index, long value) {
        long[] out = s.clone();
        out[index] = value;
        return out;
    }

    /** Shortlex order: shorter first, then the first differing choice decides. */
    static int compare(long[] a, long[] b) {
        if (a.length != b.length) {
            return Integer.compare(a.length, b.length);
        }
        return Arrays.compare(a, b);
    }

    /**
     * A 64-bit fingerprint of a sequence; a collision only skips one candidate, so a hash is
     * enough and keeps memory small where the sequences themselves could be long.
     */
    private static long fingerprint(long[] s) {
        long h = 0x9E3779B97F4A7C15L ^ s.length;
        for (long v : s) {
            h = (h ^ v) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return h;
    }

    /**
     * The result of {@link #shrinkList}.
     *
     * @param minimal the smallest failing sub-list found
     * @param attempts how many sub-lists were tried
     * @param budgetSpent whether the attempt budget ran out before no deletion helped any more
     * @param <T> the element type
     */
    public record ListShrink<T>(List<T> minimal, int attempts, boolean budgetSpent) {
        /**
         * Copies the list.
         *
         * @param minimal the smallest failing sub-list found, copied (no null elements)
         * @param attempts how many sub-lists were tried
         * @param budgetSpent whether the attempt budget ran out before no deletion helped any more
         */
        public ListShrink {
            minimal = List.copyOf(minimal);
        }
    }

    /** The "failure" a list predicate reports; only its class matters to the shrinker. */
    private static final class StillFails extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StillFails() {
            super("still fails", null, false, false);
        }
    }

    /** What running one test case gave. */
    sealed interface Outcome {
        /** The property held. */
        record Pass() implements Outcome {
        }

        /** The case was discarded (filter, assumption, too big). */
        record Discarded() implements Outcome {
        }

        /**
         * The property failed.
         *
         * @param value the generated value (or a note that generation itself threw)
         * @param failure what was thrown
         * @param choices the choices the case consumed
         * @param spans the spans marked while generating, flattened start, end, start, end...
         */
        record Fail(Object value, Throwable failure, long[] choices, int[] spans) implements Outcome {
        }
    }
}
