package dev.iotdm.testkit.scenario;

import dev.iotdm.pbt.Choices;
import dev.iotdm.pbt.Gen;
import dev.iotdm.pbt.Seeds;
import dev.iotdm.pbt.Shrinker;
import dev.iotdm.testkit.fault.PublishTally;
import dev.iotdm.testkit.rules.Audience;
import dev.iotdm.testkit.rules.CheckReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Runs seeded random scenarios on one {@link ScenarioRow}: each in a fresh world, step by step,
 * each step settled before the next, then a final re-manage and the {@link Invariants}. The first
 * failing scenario is shrunk by delta debugging over its steps (dm-pbt's {@link Shrinker}, with an
 * attempt budget so the result repeats) and thrown as a {@link ScenarioFailure} with its seed and
 * minimal transcript.
 *
 * <p>A step ends when its world's {@link ScenarioWorld#settle} returns: every operation the step
 * started has an outcome and nothing either side sent is still on its way, never after an idle
 * period. The in-memory pairing moves its virtual clock from timer to timer until its link holds
 * no message; the socket worlds of conformance-tests wait on the operations' futures, on an answer
 * in the transcript to every request either side sent, on the device connected and managed again
 * after a fault, and on the publish counters ({@link ScenarioWorld#publishTallies}): every publish
 * the device's transport took has an outcome, and every publish the broker queued for the device
 * or the fault proxy read was handed on or is known lost (its connection closed). The runner then
 * checks those counters itself: a step whose world returns with a publish in flight did not
 * settle, and the scenario fails saying which leg holds it. So what a step sees does not depend
 * on timing, and a run over sockets repeats from its seed.
 *
 * <p>The number of scenarios is {@code -Dconformance.scenarios=N} when set, else the caller's
 * budget; the seed is {@code -Dpbt.seed=N} when set, else random ({@link Seeds}).
 *
 * <p>Not thread-safe; one runner runs on one thread.
 */
public final class ScenarioRunner {

    /** System property overriding the number of scenarios per row. */
    public static final String SCENARIOS_PROPERTY = "conformance.scenarios";

    /** Replays a shrink may spend: each replay is a whole scenario in a fresh world. */
    public static final int DEFAULT_SHRINK_ATTEMPTS = 400;

    private final ScenarioRow row;
    private final int maxSteps;
    private final int shrinkAttempts;
    private final Optional<ScenarioRow> shrinkRow;

    /**
     * A runner of scenarios of up to {@code maxSteps} steps on {@code row}.
     *
     * @param row the row whose fresh worlds run each scenario; not {@code null}
     * @param maxSteps the longest scenario; at least 1
     * @throws IllegalArgumentException if {@code maxSteps} is not positive
     */
    public ScenarioRunner(ScenarioRow row, int maxSteps) {
        this(row, maxSteps, DEFAULT_SHRINK_ATTEMPTS);
    }

    /**
     * Like {@link #ScenarioRunner(ScenarioRow, int)} with a shrink budget in replays.
     *
     * @param row the row whose fresh worlds run each scenario; not {@code null}
     * @param maxSteps the longest scenario; at least 1
     * @param shrinkAttempts how many replays a shrink may spend
     * @throws IllegalArgumentException if {@code maxSteps} is not positive
     */
    public ScenarioRunner(ScenarioRow row, int maxSteps, int shrinkAttempts) {
        this(row, maxSteps, shrinkAttempts, Optional.empty());
    }

    private ScenarioRunner(ScenarioRow row, int maxSteps, int shrinkAttempts, Optional<ScenarioRow> shrinkRow) {
        this.shrinkRow = shrinkRow;
        this.row = Objects.requireNonNull(row, "row");
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps: must be positive, was " + maxSteps);
        }
        this.maxSteps = maxSteps;
        this.shrinkAttempts = shrinkAttempts;
    }

    /**
     * This runner, shrinking in memory first: a failure is replayed on {@code fast} (the in-memory
     * row, where a replay costs microseconds instead of seconds); if it fails the same way there it
     * is shrunk there with the full {@link #DEFAULT_SHRINK_ATTEMPTS} budget and the minimal
     * scenario is confirmed on this runner's row; if not, it is shrunk on this row as before. The
     * report says which happened.
     *
     * @param fast the in-memory row to try the shrink on first
     * @return a new runner; this one is unchanged
     */
    public ScenarioRunner shrinkingFirstOn(ScenarioRow fast) {
        return new ScenarioRunner(row, maxSteps, shrinkAttempts, Optional.of(fast));
    }

    /**
     * The number of scenarios to run: {@code conformance.scenarios} when set and not blank, else
     * {@code budget}.
     *
     * @param budget the row's default count
     * @return a positive count
     * @throws IllegalArgumentException if the property is set but not a positive integer
     */
    public static int scenarios(int budget) {
        return Seeds.positiveInt(SCENARIOS_PROPERTY, budget);
    }

    /**
     * Runs {@code count} scenarios from the run seed ({@code pbt.seed} or random).
     *
     * @param count how many scenarios
     * @return what the scenarios covered, when all passed
     * @throws ScenarioFailure describing the shrunk minimal scenario when one fails
     */
    public RowResult run(int count) {
        return run(Seeds.runSeed(), count);
    }

    /**
     * Runs {@code count} scenarios from {@code seed}; the same seed gives the same scenarios.
     *
     * @param seed the run seed
     * @param count how many scenarios
     * @return what the scenarios covered, when all passed
     * @throws ScenarioFailure describing the shrunk minimal scenario when one fails
     */
    public RowResult run(long seed, int count) {
        Gen<List<ScenarioStep>> gen = Scenarios.scenarios(maxSteps, row::supports);
        SplittableRandom master = new SplittableRandom(seed);
        RowResult.Builder result = RowResult.builder(row.name(), seed);
        for (int i = 1; i <= count; i++) {
            List<ScenarioStep> steps = gen.generate(Choices.random(master.split()));
            ScenarioResult run = runOne(steps);
            if (!run.passed()) {
                // Said at once: a shrink over sockets takes minutes, and the first problems are
                // what one reads first.
                System.out.println("Scenario " + i + " failed on row " + row.name() + " (" + Seeds.replayHint(seed)
                        + "): " + run.problems() + "; shrinking");
                throw failure(seed, i, run);
            }
            result.add(run);
        }
        return result.build();
    }

    /**
     * Runs one scenario in a fresh world, with the final re-manage and the invariants.
     *
     * @param steps the scenario
     * @return the run, passed or not; a step that does not settle is a problem, not an exception
     */
    public ScenarioResult runOne(List<ScenarioStep> steps) {
        try (ScenarioWorld world = row.newWorld()) {
            List<Invariants.StepRun> runs = new ArrayList<>();
            List<Problem> problems = new ArrayList<>();
            try {
                for (ScenarioStep step : steps) {
                    runs.add(runStep(world, step));
                }
                List<Pending> remanage = world.device().remanage().stream().toList();
                settle(world, remanage);
            } catch (ScenarioException e) {
                problems.add(new Problem("did not settle", e.getMessage()));
            }
            CheckReport rules = world.rules();
            problems.addAll(Invariants.check(row.ourDevice() ? Audience.OUR_DEVICE : Audience.EXTERNAL_DEVICE, rules,
                    world.transcript().entries(), runs, world.platformRecord(), world.device().snapshot()));
            return new ScenarioResult(steps, runs, problems, rules, world.transcript().toText());
        }
    }

    /**
     * Settles the step and checks the world's publish counters: every leg handed on or lost what
     * it took in.
     *
     * @throws ScenarioException naming the legs with publishes in flight
     */
    static void settle(ScenarioWorld world, List<Pending> started) {
        world.settle(started);
        List<PublishTally> inFlight = world.publishTallies().stream().filter(t -> !t.settled()).toList();
        if (!inFlight.isEmpty()) {
            throw new ScenarioException("the step ended with publishes in flight: " + inFlight);
        }
    }

    private Invariants.StepRun runStep(ScenarioWorld world, ScenarioStep step) {
        if (step instanceof ScenarioStep.PlatformOp op) {
            Pending p = world.start(op);
            settle(world, List.of(p));
            return new Invariants.StepRun(step, List.of(p), Optional.empty());
        } else if (step instanceof ScenarioStep.DeviceCall call) {
            Optional<Pending> p = world.device().call(call);
            if (p.isEmpty()) {
                return new Invariants.StepRun(step, List.of(), Optional.of("the device did not make the call (external, or unmanaged)"));
            }
            settle(world, List.of(p.get()));
            return new Invariants.StepRun(step, List.of(p.get()), Optional.empty());
        } else if (step instanceof ScenarioStep.SetHandlers h) {
            return new Invariants.StepRun(step, List.of(), world.device().setHandlers(h.outcome())
                    ? Optional.empty() : Optional.of("the device's handlers cannot be steered"));
        } else if (step instanceof ScenarioStep.Fault fault) {
            if (!row.supports(fault)) {
                return new Invariants.StepRun(step, List.of(), Optional.of(row.name() + " cannot inject " + fault));
            }
            world.inject(fault);
            settle(world, List.of());
            return new Invariants.StepRun(step, List.of(), Optional.empty());
        }
        throw new IllegalArgumentException("unknown step " + step);
    }

    private ScenarioFailure failure(long seed, int number, ScenarioResult original) {
        String invariant = original.firstInvariant();
        String where = row.name();
        String confirmation = "";
        Shrinker.ListShrink<ScenarioStep> shrunk = null;
        ScenarioResult minimal = null;
        ScenarioRunner replays = new ScenarioRunner(row.forReplays(), maxSteps, shrinkAttempts);
        if (shrinkRow.isPresent()) {
            ScenarioRunner fast = new ScenarioRunner(shrinkRow.get(), maxSteps, DEFAULT_SHRINK_ATTEMPTS);
            if (fast.runOne(original.steps()).firstInvariant().equals(invariant)) {
                shrunk = Shrinker.shrinkList(original.steps(),
                        steps -> fast.runOne(steps).firstInvariant().equals(invariant), DEFAULT_SHRINK_ATTEMPTS);
                where = shrinkRow.get().name();
                ScenarioResult confirmed = replays.runOne(shrunk.minimal());
                if (confirmed.firstInvariant().equals(invariant)) {
                    minimal = confirmed;
                    confirmation = "  the minimal scenario fails the same way on row " + row.name() + " (its transcript below)\n";
                } else {
                    minimal = fast.runOne(shrunk.minimal());
                    confirmation = "  the minimal scenario does NOT fail on row " + row.name() + " (\""
                            + confirmed.firstInvariant() + "\" instead); the transcript below is row " + where + "'s\n";
                }
            } else {
                confirmation = "  it does not fail the same way on row " + shrinkRow.get().name() + ": shrunk on row "
                        + row.name() + "\n";
            }
        }
        if (shrunk == null) {
            shrunk = Shrinker.shrinkList(original.steps(),
                    steps -> replays.runOne(steps).firstInvariant().equals(invariant), shrinkAttempts);
            minimal = shrunk.minimal().equals(original.steps()) ? original : replays.runOne(shrunk.minimal());
        }
        StringBuilder b = new StringBuilder();
        b.append("Scenario ").append(number).append(" failed on row ").append(row.name()).append("; ")
                .append(Seeds.replayHint(seed)).append('\n');
        b.append("  shrunk from ").append(original.steps().size()).append(" to ").append(minimal.steps().size())
                .append(" steps in ").append(shrunk.attempts()).append(" replays on row ").append(where)
                .append(shrunk.budgetSpent() ? " (stopped at the shrink budget)" : "").append('\n');
        b.append(confirmation);
        b.append("minimal scenario:\n");
        for (int i = 0; i < minimal.steps().size(); i++) {
            b.append("  ").append(i + 1).append(". ").append(minimal.steps().get(i)).append('\n');
        }
        b.append("problems:\n");
        minimal.problems().forEach(p -> b.append("  ").append(p).append('\n'));
        if (minimal != original) {
            b.append("problems of the original scenario:\n");
            original.problems().forEach(p -> b.append("  ").append(p).append('\n'));
        }
        b.append("minimal transcript:\n").append(minimal.transcript().indent(2));
        return new ScenarioFailure(b.toString(), minimal);
    }
}
