package dev.iotdm.testkit.scenario;

/**
 * A scenario broke an invariant: the message carries the row, the seed that replays it
 * ({@code -Dpbt.seed}), the shrunk minimal scenario, its problems and its transcript.
 */
public final class ScenarioFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final transient ScenarioResult minimal;

    ScenarioFailure(String message, ScenarioResult minimal) {
        super(message);
        this.minimal = minimal;
    }

    /**
     * The minimal failing scenario's run.
     *
     * @return the shrunk run; {@code null} after deserialisation, since it is not serialised
     */
    public ScenarioResult minimal() {
        return minimal;
    }
}
