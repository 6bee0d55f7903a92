package dev.iotdm.testkit.scenario;

/**
 * How the device's application answers the platform's requests (device actions, firmware, custom
 * actions of declared bundles) from the step that sets it on.
 */
public enum HandlerOutcome {
    /** Does what was asked: 202 and a restart for device actions, firmware that installs, 200 for actions. */
    SUCCEED,
    /** Tries and fails: 500, or a firmware failure status (protocol.md §6.1). */
    FAIL,
    /** Declines: 501 for actions, an unsupported image for firmware. */
    REFUSE,
    /** Succeeds, but only after a delay well inside the platform's operation timeout. */
    SLOW
}
