package dev.iotdm.protocol.session;

import dev.iotdm.protocol.firmware.FirmwarePhase;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.FirmwareInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a device must remember across restarts (protocol.md §12.29): the firmware object and
 * phase (so a pending install reports its outcome after the reboot it caused), the manage
 * parameters (so the first manage after boot goes out at once), and the most recent answered
 * platform requests (so a request redelivered after a restart is answered again, never re-run:
 * a redelivered reboot must not reboot twice), and what the platform can be trusted to know: the
 * fields it observes and, for each, the value it acknowledged last (the merge of the notifies and
 * observe answers whose PUBACK arrived), so that after a restart or a dead link the device
 * notifies every observed field whose value differs (issue #10, "state the platform can trust").
 *
 * @param firmware the {@code mgmt.firmware} object, including state and updateStatus
 * @param phase the firmware phase
 * @param manage the manage parameters while the device wants to be managed
 * @param answered recent answers to platform requests, oldest first
 * @param observed the fields the platform observes, in the order it asked for them
 * @param acknowledged for observed fields, the value the platform acknowledged last (a field
 *     missing here was never acknowledged)
 */
public record DeviceState(FirmwareInfo firmware, FirmwarePhase phase, Optional<ManageParams> manage,
        List<Answer> answered, List<String> observed, Map<String, JsonValue> acknowledged) {

    /** A fresh device's state. */
    public static final DeviceState INITIAL = new DeviceState(
            FirmwareInfo.EMPTY.withState(FirmwarePhase.IDLE.wireState())
                    .withUpdateStatus(dev.iotdm.protocol.firmware.UpdateStatus.SUCCESS),
            FirmwarePhase.IDLE, Optional.empty(), List.of());

    /**
     * Copies the lists and the map (keeping the map's order).
     *
     * @param firmware the {@code mgmt.firmware} object, including state and updateStatus; not null
     * @param phase the firmware phase, not null
     * @param manage the manage parameters while the device wants to be managed, not null
     * @param answered recent answers to platform requests, oldest first; copied, not null
     * @param observed the fields the platform observes, in the order it asked for them; copied, not null
     * @param acknowledged for observed fields, the value the platform acknowledged last (a field missing
     *     here was never acknowledged); copied, not null
     */
    public DeviceState {
        Objects.requireNonNull(firmware, "firmware");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(manage, "manage");
        answered = List.copyOf(answered);
        observed = List.copyOf(observed);
        acknowledged = Collections.unmodifiableMap(new LinkedHashMap<>(acknowledged));
    }

    /**
     * A state with nothing observed (the form of format version 1).
     *
     * @param firmware the {@code mgmt.firmware} object, including state and updateStatus; not null
     * @param phase the firmware phase, not null
     * @param manage the manage parameters while the device wants to be managed, not null
     * @param answered recent answers to platform requests, oldest first; copied, not null
     */
    public DeviceState(FirmwareInfo firmware, FirmwarePhase phase, Optional<ManageParams> manage,
            List<Answer> answered) {
        this(firmware, phase, manage, answered, List.of(), Map.of());
    }

    /**
     * This state with other answers.
     *
     * @param newAnswered the answers to keep instead, oldest first; copied, not null
     * @return a new state; this one is unchanged
     */
    public DeviceState withAnswered(List<Answer> newAnswered) {
        return new DeviceState(firmware, phase, manage, newAnswered, observed, acknowledged);
    }

    /**
     * An answered platform request.
     *
     * @param reqId the platform's request id
     * @param response the response payload that was sent, as JSON text
     */
    public record Answer(String reqId, String response) {
        /**
         * Requires both parts.
         *
         * @param reqId the platform's request id, not null
         * @param response the response payload that was sent, as JSON text; not null
         */
        public Answer {
            Objects.requireNonNull(reqId, "reqId");
            Objects.requireNonNull(response, "response");
        }
    }
}
