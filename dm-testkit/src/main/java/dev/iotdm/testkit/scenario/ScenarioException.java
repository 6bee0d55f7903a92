package dev.iotdm.testkit.scenario;

/**
 * A scenario could not go on: a step did not settle in time, or a world failed. A failure of the
 * scenario (like an invariant violation), so it is shrunk and reported like one.
 */
public final class ScenarioException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * With a message that says what was still open or what failed.
     *
     * @param message what was still open or what failed (wire text escaped)
     */
    public ScenarioException(String message) {
        super(message);
    }

    /**
     * With a message and the cause.
     *
     * @param message what was still open or what failed (wire text escaped)
     * @param cause the failure of the world, or the interruption
     */
    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }
}
