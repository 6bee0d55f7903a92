package dev.iotdm.protocol.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Owns shrinking: turns a failing choice sequence into a smaller one that fails the same way.
 *
 * <p>Sequences are ordered shortlex (shorter first, then smaller choice by choice); a candidate
 * is kept only if replaying it fails with the same exception classes (the failure and its
 * causes) and the choices the replay actually consumed are smaller than the best so far. Passes,
 * repeated while any makes progress and the budget lasts:
 * <ol>
 *   <li>delete spans, the choices of one list element with its "one more?" flag or of one
 *       alternative (see {@link Choices#startSpan()}), last first;
 *   <li>delete chunks of 8 down to 1 adjacent choices;
 *   <li>zero spans, then chunks of 8, 4 and 2 choices;
 *   <li>per choice: try 0, then binary-search the smallest value that still fails;
 *   <li>lower a choice by one and delete the chunk after it (a length or count together with
 *       the element it no longer asks for).
 * </ol>
 */
final class Shrinker {

    /** Replays a choice sequence. */
    @FunctionalInterface
    interface Runner {
        Outcome run(long[] choices);
    }

    private final Runner runner;
    private final List<Class<?>> identity;
    private final int maxAttempts;
    private final long deadline;
    private final Set<Long> seen = new HashSet<>(); // fingerprints of sequences already replayed
    private Outcome.Fail best;
    private int steps;
    private int attempts;

    Shrinker(Runner runner, Outcome.Fail failure, int maxAttempts, long timeoutNanos) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.best = failure;
        this.identity = identity(failure.failure());
        this.maxAttempts = maxAttempts;
        this.deadline = System.nanoTime() + timeoutNanos;
    }

    /** Shrinks until no pass makes progress or the budget is spent; returns the smallest failure. */
    Outcome.Fail shrink() {
        long[] before;
        do {
            before = best.choices();
            deleteSpans();
            deleteChunks();
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

    /** Whether shrinking stopped because it ran out of attempts or time. */
    boolean spent() {
        return attempts >= maxAttempts || System.nanoTime() - deadline > 0;
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
