package dev.iotdm.testkit.scenario;

import java.util.Objects;

/**
 * One step of a scenario: a platform operation, a device-side call, a change of the device's
 * handler outcome, or a fault. Steps are values: their {@code toString()} is the printed minimal
 * scenario, and a scenario replays from its list of steps alone.
 */
public sealed interface ScenarioStep permits ScenarioStep.PlatformOp, ScenarioStep.DeviceCall,
        ScenarioStep.SetHandlers, ScenarioStep.Fault {

    /**
     * The rules-coverage kind of the step, e.g. {@code "Reboot"}; used in reports.
     *
     * @return the record's simple class name
     */
    default String kind() {
        return getClass().getSimpleName();
    }

    /** Operations the platform starts (protocol.md §4, §6, §7, §8, §10.2). */
    sealed interface PlatformOp extends ScenarioStep {
    }

    /** Reboot (§7.1). */
    record Reboot() implements PlatformOp {
    }

    /** Factory reset (§7.2). */
    record FactoryReset() implements PlatformOp {
    }

    /**
     * The firmware download flow (§6.2) with an image whose verifier does or does not match what
     * the device downloads.
     *
     * @param verifies whether the image's verifier matches
     */
    record FirmwareDownload(boolean verifies) implements PlatformOp {
    }

    /** The firmware update flow (§6.3). */
    record FirmwareUpdate() implements PlatformOp {
    }

    /**
     * A custom action (§8).
     *
     * @param declared whether the device declared the bundle in its manage request
     */
    record CustomAction(boolean declared) implements PlatformOp {
    }

    /**
     * A device/update of one attribute (§4.2).
     *
     * @param field one of {@code deviceInfo}, {@code metadata}, {@code location}, {@code mgmt.firmware}
     * @param variant picks the written value, so that two updates of a field may differ
     */
    record DeviceUpdate(String field, int variant) implements PlatformOp {
        /**
         * Requires a field.
         *
         * @param field the attribute; not {@code null}
         * @param variant picks the written value
         */
        public DeviceUpdate {
            Objects.requireNonNull(field, "field");
        }
    }

    /**
     * Observe of one attribute (§4.3).
     *
     * @param field the attribute
     */
    record Observe(String field) implements PlatformOp {
        /**
         * Requires a field.
         *
         * @param field the attribute; not {@code null}
         */
        public Observe {
            Objects.requireNonNull(field, "field");
        }
    }

    /**
     * Cancel of one attribute's observation (§4.4).
     *
     * @param field the attribute
     */
    record Cancel(String field) implements PlatformOp {
        /**
         * Requires a field.
         *
         * @param field the attribute; not {@code null}
         */
        public Cancel {
            Objects.requireNonNull(field, "field");
        }
    }

    /** Device-side calls (§3.3-§3.5, §10.1). */
    sealed interface DeviceCall extends ScenarioStep {
    }

    /**
     * The device reports its location.
     *
     * @param variant picks the coordinates
     */
    record SetLocation(int variant) implements DeviceCall {
    }

    /**
     * The device adds an error code.
     *
     * @param code the code
     */
    record AddErrorCode(int code) implements DeviceCall {
    }

    /** The device clears its error codes. */
    record ClearErrorCodes() implements DeviceCall {
    }

    /**
     * The device adds a log entry.
     *
     * @param variant picks the message
     */
    record AddLog(int variant) implements DeviceCall {
    }

    /** The device clears its log. */
    record ClearLog() implements DeviceCall {
    }

    /** The device unmanages (§3.2); the final re-manage manages it again. */
    record Unmanage() implements DeviceCall {
    }

    /**
     * The device publishes an event.
     *
     * @param qos the MQTT QoS, 0 or 1
     */
    record SendEvent(int qos) implements DeviceCall {
    }

    /**
     * From this step on, the device's handlers answer this way.
     *
     * @param outcome how they answer
     */
    record SetHandlers(HandlerOutcome outcome) implements ScenarioStep {
        /**
         * Requires an outcome.
         *
         * @param outcome how the handlers answer; not {@code null}
         */
        public SetHandlers {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /** Faults; a world runs only the ones its row supports ({@link ScenarioRow#supports}). */
    sealed interface Fault extends ScenarioStep {
    }

    /** The connection drops (the network, not the device) and the device reconnects. */
    record DropConnection() implements Fault {
    }

    /** The device process restarts from its saved state and connects again. */
    record RestartDevice() implements Fault {
    }

    /** The broker restarts; sessions and queued messages survive per its persistence. */
    record RestartBroker() implements Fault {
    }

    /**
     * The platform's next request reaches the device twice, with the same reqId (and, where the
     * path can set it, the DUP flag), as a broker's QoS 1 redelivery would deliver it.
     */
    record DuplicateDelivery() implements Fault {
    }

    /**
     * From this step on every message reaches the other side this much later (a slow link); a
     * later delay replaces it. The generators keep the round trip under a device's usual request
     * timeout (30 s), so flows still complete; longer ones make a device retry.
     *
     * @param seconds the delay each way, 1 to 60
     */
    record Delay(int seconds) implements Fault {
        /**
         * Checks the range.
         *
         * @param seconds the delay each way, 1 to 60
         * @throws IllegalArgumentException if out of range
         */
        public Delay {
            if (seconds < 1 || seconds > 60) {
                throw new IllegalArgumentException("seconds: must be 1 to 60, was " + seconds);
            }
        }
    }

    /**
     * The network holds every byte both ways (the fault proxy's stall) until the next step's
     * first message is held, then delivers everything in order: a TCP connection that stops
     * without breaking.
     */
    record Stall() implements Fault {
    }
}
