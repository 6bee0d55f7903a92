package dev.iotdm.testkit.scenario;

import java.util.Optional;

/**
 * The device a scenario drives: the device-side calls of a step, how its handlers answer, and its
 * restarts. Implementations adapt a real device (our {@code ManagedClient}, the in-memory device
 * engine, or nothing at all for an external device, which answers its own way).
 *
 * <p>Methods are called from the scenario's thread only; they start things and return at once,
 * and the world's {@link ScenarioWorld#settle} waits for what they started.
 */
public interface DeviceUnderTest {

    /**
     * The device's MQTT client id, {@code d:<org>:<type>:<id>}.
     *
     * @return the id; the same on every call
     */
    String clientId();

    /**
     * Starts a device-side call; empty when the device does not make it (an external device cannot
     * be told to, an unmanaged one may decline), in which case the step is skipped and the report
     * says so.
     *
     * @param call the step's call
     * @return the started request, whose outcome the step waits for; or empty when skipped
     */
    Optional<Pending> call(ScenarioStep.DeviceCall call);

    /**
     * Sets how the handlers answer from now on; false when this device's handlers cannot be steered.
     *
     * @param outcome how the reboot, reset, firmware and action handlers answer
     * @return {@code true} if the handlers now answer that way
     */
    boolean setHandlers(HandlerOutcome outcome);

    /**
     * Manages again with the same parameters, so the platform's record is refreshed (§3.1).
     *
     * @return the started manage request; empty when the device cannot be told to
     */
    Optional<Pending> remanage();

    /**
     * The device's own attribute values; empty when it cannot be asked (an external device).
     *
     * @return what the device holds now
     */
    Optional<DeviceSnapshot> snapshot();
}
