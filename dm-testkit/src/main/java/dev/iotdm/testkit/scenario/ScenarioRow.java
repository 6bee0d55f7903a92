package dev.iotdm.testkit.scenario;

/**
 * One row of the transport matrix: a name for the reports, a factory of fresh worlds and the faults
 * its worlds can inject. Adding a transport to the suite is one small class implementing this.
 */
public interface ScenarioRow {

    /** The row's name in reports, e.g. {@code "in-memory"} or {@code "paho-5/hivemq"}. */
    String name();

    /** A fresh world for one scenario; the caller closes it. */
    ScenarioWorld newWorld();

    /** Whether this row's worlds can inject {@code fault}. */
    boolean supports(ScenarioStep.Fault fault);

    /**
     * The row a failing scenario's shrink replays run on: this one by default; a socket row gives
     * the same transport with short step deadlines, so a replay that hangs costs seconds, not the
     * full deadline (a hang still shows as a step that did not settle).
     */
    default ScenarioRow forReplays() {
        return this;
    }

    /**
     * Whether the device is one of ours (every rule at every level must hold) rather than an
     * external device (only the required rules decide the verdict). Ours unless overridden.
     */
    default boolean ourDevice() {
        return true;
    }
}
