package dev.iotdm.testkit.platform;

import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.Rc;

import java.util.Objects;
import java.util.Optional;

/**
 * How a platform-initiated operation ended.
 *
 * <p>Thread-safety: every outcome is immutable.
 */
public sealed interface OperationOutcome permits OperationOutcome.Succeeded, OperationOutcome.Failed,
        OperationOutcome.TimedOut, OperationOutcome.DeviceGone, OperationOutcome.Refused {

    /**
     * The operation did what it was asked.
     *
     * @param data the {@code d} of the device's deciding response, e.g. the observed values or a
     *     custom action's result; empty when it had none
     */
    record Succeeded(Optional<JsonValue> data) implements OperationOutcome {
        /**
         * Requires a non-null optional.
         *
         * @param data the response's {@code d}, or empty; not {@code null}
         */
        public Succeeded {
            Objects.requireNonNull(data, "data");
        }

        /**
         * Success without data.
         *
         * @return an outcome whose {@link #data()} is empty
         */
        public static Succeeded empty() {
            return new Succeeded(Optional.empty());
        }
    }

    /**
     * The device refused or failed: it answered with a failure {@code rc}, or, in a firmware flow,
     * reported a failure {@code mgmt.firmware.updateStatus} (protocol.md §6.1).
     *
     * @param rc the device's response code, when it failed with one
     * @param updateStatus the firmware failure it reported, when it failed that way
     * @param message the device's {@code message}, when it sent one
     */
    record Failed(Optional<Rc> rc, Optional<UpdateStatus> updateStatus, Optional<String> message)
            implements OperationOutcome {
        /**
         * Requires exactly one of rc and updateStatus.
         *
         * @param rc the device's response code, or empty; not {@code null}
         * @param updateStatus the firmware failure, or empty; not {@code null}
         * @param message the device's message, or empty; not {@code null}
         * @throws IllegalArgumentException if both or neither of {@code rc} and
         *     {@code updateStatus} are present
         */
        public Failed {
            Objects.requireNonNull(rc, "rc");
            Objects.requireNonNull(updateStatus, "updateStatus");
            Objects.requireNonNull(message, "message");
            if (rc.isPresent() == updateStatus.isPresent()) {
                throw new IllegalArgumentException("a failure has either an rc or an updateStatus, got " + rc
                        + " and " + updateStatus);
            }
        }

        /**
         * Failed with a response code.
         *
         * @param rc the device's failure response code
         * @param message the device's message, or empty
         * @return the outcome, without an update status
         */
        public static Failed withRc(Rc rc, Optional<String> message) {
            return new Failed(Optional.of(rc), Optional.empty(), message);
        }

        /**
         * Failed with a firmware update status.
         *
         * @param status the failure status the device reported in {@code mgmt.firmware.updateStatus}
         * @return the outcome, without an rc or message
         */
        public static Failed withUpdateStatus(UpdateStatus status) {
            return new Failed(Optional.empty(), Optional.of(status), Optional.empty());
        }
    }

    /**
     * The operation's timeout passed first.
     *
     * @param waitingFor what the platform was still waiting for
     */
    record TimedOut(String waitingFor) implements OperationOutcome {
        /**
         * Requires a description.
         *
         * @param waitingFor what the platform was still waiting for; not {@code null}
         */
        public TimedOut {
            Objects.requireNonNull(waitingFor, "waitingFor");
        }
    }

    /**
     * The device stopped being managed (unmanage or lifetime expiry) while the operation ran.
     *
     * @param why what happened
     */
    record DeviceGone(String why) implements OperationOutcome {
        /**
         * Requires a reason.
         *
         * @param why what happened; not {@code null}
         */
        public DeviceGone {
            Objects.requireNonNull(why, "why");
        }
    }

    /**
     * The platform did not start the operation, e.g. because the device is not managed
     * (protocol.md §3.2: no DM requests to unmanaged devices).
     *
     * @param why the reason
     */
    record Refused(String why) implements OperationOutcome {
        /**
         * Requires a reason.
         *
         * @param why the reason; not {@code null}
         */
        public Refused {
            Objects.requireNonNull(why, "why");
        }
    }
}
