package dev.iotdm.testkit.scenario;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a row's scenarios covered: how many ran, which rules they exercised and violated, which
 * step kinds ran and which were skipped (with why).
 *
 * @param row the row's name
 * @param seed the run seed
 * @param scenarios how many scenarios passed
 * @param exercised rule ids exercised by at least one scenario, sorted
 * @param violated rule ids violated by at least one scenario, sorted
 * @param steps how many steps of each kind ran, by kind
 * @param skipped why steps were skipped, with how many times
 */
public record RowResult(String row, long seed, int scenarios, Set<String> exercised, Set<String> violated,
        Map<String, Integer> steps, Map<String, Integer> skipped) {

    /**
     * Copies the parts.
     *
     * @param row the row's name; not {@code null}
     * @param seed the run seed
     * @param scenarios how many scenarios passed
     * @param exercised rule ids exercised; copied and sorted
     * @param violated rule ids violated; copied and sorted
     * @param steps steps run by kind; copied and sorted
     * @param skipped skip reasons with counts; copied and sorted
     */
    public RowResult {
        Objects.requireNonNull(row, "row");
        exercised = Collections.unmodifiableSet(new TreeSet<>(exercised));
        violated = Collections.unmodifiableSet(new TreeSet<>(violated));
        steps = Collections.unmodifiableMap(new TreeMap<>(steps));
        skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
    }

    /**
     * This result and {@code more} (further scenarios of the same row) as one: counts added, rule
     * sets joined; the seed stays this one's.
     *
     * @param more further scenarios of this row
     * @return a new result; this one is unchanged
     * @throws IllegalArgumentException if {@code more} is another row's
     */
    public RowResult plus(RowResult more) {
        if (!row.equals(more.row())) {
            throw new IllegalArgumentException("cannot add row " + more.row() + "'s results to row " + row + "'s");
        }
        Set<String> allExercised = new TreeSet<>(exercised);
        allExercised.addAll(more.exercised());
        Set<String> allViolated = new TreeSet<>(violated);
        allViolated.addAll(more.violated());
        Map<String, Integer> allSteps = new TreeMap<>(steps);
        more.steps().forEach((k, v) -> allSteps.merge(k, v, Integer::sum));
        Map<String, Integer> allSkipped = new TreeMap<>(skipped);
        more.skipped().forEach((k, v) -> allSkipped.merge(k, v, Integer::sum));
        return new RowResult(row, seed, scenarios + more.scenarios(), allExercised, allViolated, allSteps, allSkipped);
    }

    static Builder builder(String row, long seed) {
        return new Builder(row, seed);
    }

    /** Accumulates scenario results. Not thread-safe. */
    static final class Builder {
        private final String row;
        private final long seed;
        private int scenarios;
        private final Set<String> exercised = new TreeSet<>();
        private final Set<String> violated = new TreeSet<>();
        private final Map<String, Integer> steps = new TreeMap<>();
        private final Map<String, Integer> skipped = new TreeMap<>();

        private Builder(String row, long seed) {
            this.row = row;
            this.seed = seed;
        }

        void add(ScenarioResult result) {
            scenarios++;
            exercised.addAll(result.rules().exercised());
            violated.addAll(result.rules().violatedRuleIds());
            for (Invariants.StepRun run : result.runs()) {
                if (run.skipped().isPresent()) {
                    skipped.merge(run.skipped().get(), 1, Integer::sum);
                } else {
                    steps.merge(run.step().kind(), 1, Integer::sum);
                }
            }
        }

        RowResult build() {
            return new RowResult(row, seed, scenarios, exercised, violated, steps, skipped);
        }
    }
}
