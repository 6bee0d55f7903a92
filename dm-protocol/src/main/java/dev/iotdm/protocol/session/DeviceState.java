package dev.iotdm.protocol.session;

import dev.iotdm.protocol.firmware.FirmwarePhase;
import dev.iotdm.protocol.message.FirmwareInfo;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a device must remember across restarts (protocol.md §12.29): the firmware object and
 * phase (so a pending install reports its outcome after the reboot it caused), the manage
 * parameters (so the first manage after boot goes out at once), and the most recent answered
 * platform requests (so a request redelivered after a restart is answered again, never re-run:
 * a redelivered reboot must not reboot twice).
 *
 * @param firmware the {@code mgmt.firmware} object, including state and updateStatus
 * @param phase the firmware phase
 * @param manage the manage parameters while the device wants to be managed
 * @param answered recent answers to platform requests, oldest first
 */
public record DeviceState(FirmwareInfo firmware, FirmwarePhase phase, Optional<ManageParams> manage,
        List<Answer> answered) {

    /** A fresh device's state. */
    public static final DeviceState INITIAL = new DeviceState(
            FirmwareInfo.EMPTY.withState(FirmwarePhase.IDLE.wireState())
                    .withUpdateStatus(dev.iotdm.protocol.firmware.UpdateStatus.SUCCESS),
            FirmwarePhase.IDLE, Optional.empty(), List.of());

    /** Copies the list. */
    public DeviceState {
        Objects.requireNonNull(firmware, "firmware");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(manage, "manage");
        answered = List.copyOf(answered);
    }

    /**
     * An answered platform request.
     *
     * @param reqId the platform's request id
     * @param response the response payload that was sent, as JSON text
     */
    public record Answer(String reqId, String response) {
        /** Requires both parts. */
        public Answer {
            Objects.requireNonNull(reqId, "reqId");
            Objects.requireNonNull(response, "response");
        }
    }
}
