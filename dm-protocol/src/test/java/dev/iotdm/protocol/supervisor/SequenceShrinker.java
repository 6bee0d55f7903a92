package dev.iotdm.protocol.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Greedy delta debugging for property tests: shrinks a failing input sequence by deleting chunks
 * (halves, quarters, ... single elements) as long as the property still fails.
 *
 * <p>The predicate must be deterministic: replaying the same sequence must fail the same way.
 * Stateless and thread-safe.
 */
final class SequenceShrinker {

    /** Upper bound on predicate evaluations, so a slow property cannot stall the build. */
    static final int MAX_EVALUATIONS = 20_000;

    private SequenceShrinker() {
    }

    /**
     * A subsequence of {@code failing} for which {@code stillFails} holds and from which no single
     * element can be deleted without the property passing (unless the evaluation budget ran out).
     */
    static <T> List<T> shrink(List<T> failing, Predicate<List<T>> stillFails) {
        List<T> current = List.copyOf(failing);
        int evaluations = 0;
        boolean progress = true;
        while (progress && evaluations < MAX_EVALUATIONS) {
            progress = false;
            for (int chunk = Math.max(1, current.size() / 2); chunk >= 1; chunk /= 2) {
                int start = 0;
                while (start < current.size() && evaluations < MAX_EVALUATIONS) {
                    List<T> candidate = without(current, start, Math.min(current.size(), start + chunk));
                    evaluations++;
                    if (stillFails.test(candidate)) {
                        current = candidate;
                        progress = true;
                    } else {
                        start += chunk;
                    }
                }
            }
        }
        return current;
    }

    private static <T> List<T> without(List<T> list, int from, int to) {
        List<T> out = new ArrayList<>(list.size() - (to - from));
        out.addAll(list.subList(0, from));
        out.addAll(list.subList(to, list.size()));
        return List.copyOf(out);
    }
}
