package dev.iotdm.testkit.scenario;

import java.util.Optional;

/**
 * Something a step started that must end with an outcome before the step ends: a platform
 * operation or a device-side request.
 */
public interface Pending {

    /**
     * The outcome once there is one, as text for the transcript and the invariants.
     *
     * @return the outcome, e.g. {@code "Succeeded[data=Optional.empty]"} or
     *     {@code "Failed: <cause>"}; empty while it runs
     */
    Optional<String> outcome();

    /**
     * What it is, for reports: e.g. {@code "reboot (platform operation 3)"}.
     *
     * @return one line
     */
    String describe();
}
