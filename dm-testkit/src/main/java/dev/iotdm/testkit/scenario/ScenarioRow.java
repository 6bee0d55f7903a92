package dev.iotdm.testkit.scenario;

/**
 * One row of the transport matrix: a name for the reports, a factory of fresh worlds and the faults
 * its worlds can inject. Adding a transport to the suite is one small class implementing this.
 */
public interface ScenarioRow {

    /**
     * The row's name in reports, e.g. {@code "in-memory"} or {@code "paho-5/hivemq"}.
     *
     * @return a short, stable name
     */
    String name();

    /**
     * A fresh world for one scenario; the caller closes it.
     *
     * @return a new world, sharing nothing with earlier ones
     */
    ScenarioWorld newWorld();

    /**
     * Whether this row's worlds can inject {@code fault}.
     *
     * @param fault a fault step
     * @return {@code true} if {@link ScenarioWorld#inject} accepts it
     */
    boolean supports(ScenarioStep.Fault fault);

    /**
     * The row a failing scenario's shrink replays run on: this one by default; a socket row gives
     * the same transport with short step deadlines, so a replay that hangs costs seconds, not the
     * full deadline (a hang still shows as a step that did not settle).
     *
     * @return the row for replays
     */
    default ScenarioRow forReplays() {
        return this;
    }

    /**
     * Whether the device is one of ours (every rule at every level must hold) rather than an
     * external device (only the required rules decide the verdict). Ours unless overridden.
     *
     * @return {@code true} for our own devices
     */
    default boolean ourDevice() {
        return true;
    }
}
