package dev.iotdm.testkit.scenario;

import dev.iotdm.testkit.rules.CheckReport;
import java.util.List;
import java.util.Objects;

/**
 * What one scenario run gave.
 *
 * @param steps the scenario
 * @param runs what each step started, in order
 * @param problems every problem found; empty when the scenario passed
 * @param rules the rule checker's report of the run
 * @param transcript the run's transcript as text (wire text escaped)
 */
public record ScenarioResult(List<ScenarioStep> steps, List<Invariants.StepRun> runs, List<Problem> problems,
        CheckReport rules, String transcript) {

    /**
     * Copies the lists.
     *
     * @param steps the scenario; copied
     * @param runs what each step started; copied
     * @param problems the problems found; copied
     * @param rules the rule checker's report; not {@code null}
     * @param transcript the transcript as text; not {@code null}
     */
    public ScenarioResult {
        steps = List.copyOf(steps);
        runs = List.copyOf(runs);
        problems = List.copyOf(problems);
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(transcript, "transcript");
    }

    /**
     * Whether no problem was found.
     *
     * @return {@code true} if {@link #problems()} is empty
     */
    public boolean passed() {
        return problems.isEmpty();
    }

    /**
     * The invariant of the first problem: what "fails the same way" means while shrinking.
     *
     * @return the invariant, or the empty string when the scenario passed
     */
    public String firstInvariant() {
        return problems.isEmpty() ? "" : problems.get(0).invariant();
    }
}
