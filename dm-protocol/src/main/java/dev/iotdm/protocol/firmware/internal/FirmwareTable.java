package dev.iotdm.protocol.firmware.internal;

import dev.iotdm.protocol.firmware.FirmwareInput;
import dev.iotdm.protocol.firmware.FirmwarePhase;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every firmware transition, in one table: {@code (phase, input) -> (next phase, answer,
 * update status, effect)}. Rules (protocol.md §6, §12.6-§12.9):
 * <ul>
 *   <li>a download starts only from IDLE with a usable image; it resets updateStatus to SUCCESS
 *       and is answered 202 before any notify;</li>
 *   <li>an update starts only from DOWNLOADED; it sets IN_PROGRESS;</li>
 *   <li>a failed download, or a downloaded image the device rejects (e.g. verification), returns
 *       to IDLE with the failure status; a failed install stays
 *       DOWNLOADED with it; a successful install returns to IDLE with SUCCESS and installs the
 *       version as {@code deviceInfo.fwVersion};</li>
 *   <li>new image parameters discard a downloaded image (back to IDLE) and are refused with 500
 *       while downloading or installing;</li>
 *   <li>any other request is refused with 400 and changes nothing; any other device report is a
 *       programming error of the application (no entry).</li>
 * </ul>
 * Capability checks (501 when firmware actions are not supported) come before the table.
 *
 * <p>Machinery of the engine, not exported: users see {@link FirmwarePhase} and
 * {@link FirmwareInput}.
 *
 * <p>Thread-safety: immutable.
 */
public final class FirmwareTable {

    /** What a transition does besides changing phase. */
    public enum Effect {
        /** Nothing else. */
        NONE,
        /** Hand the download to the application's firmware handler. */
        START_DOWNLOAD,
        /** Hand the install to the application's firmware handler. */
        START_INSTALL,
        /** The installed version becomes {@code deviceInfo.fwVersion}. */
        INSTALL_VERSION,
        /** Store the new image parameters. */
        STORE_IMAGE,
        /** Store the new image parameters and drop the downloaded image. */
        DISCARD_IMAGE_AND_STORE,
        /** Refuse the new parameters (answered 500 naming the field). */
        REFUSE_IMAGE
    }

    /**
     * The answer to a platform request. The table's own codes (not the message package's
     * {@code Rc}) so that {@code firmware} and {@code message} do not depend on each other.
     */
    public enum Answer {
        /** 202: accepted, the work starts (§6.2, §6.3). */
        ACCEPTED(202),
        /** 400: not in this phase (§12.7, §12.8). */
        BAD_REQUEST(400);

        private final int code;

        Answer(int code) {
            this.code = code;
        }

        /** The rc on the wire. */
        public int code() {
            return code;
        }
    }

    /** How a transition changes {@code updateStatus}. */
    public enum StatusChange {
        /** Leave it. */
        KEEP,
        /** Set SUCCESS (0). */
        RESET,
        /** Set IN_PROGRESS (1). */
        IN_PROGRESS,
        /** Set the failure status that came with the input. */
        FROM_INPUT
    }

    /**
     * One cell of the table.
     *
     * @param next the phase afterwards
     * @param answer the rc to answer the platform's request with, for request inputs
     * @param status how updateStatus changes
     * @param effect what else happens
     */
    public record Transition(FirmwarePhase next, Optional<Answer> answer, StatusChange status, Effect effect) {
    }

    private static final Map<FirmwarePhase, Map<FirmwareInput, Transition>> TABLE = new EnumMap<>(FirmwarePhase.class);

    static {
        for (FirmwarePhase p : FirmwarePhase.values()) {
            TABLE.put(p, new EnumMap<>(FirmwareInput.class));
            // Requests in the wrong phase: 400, nothing changes (§12.7, §12.8).
            put(p, FirmwareInput.DOWNLOAD_REQUESTED, p, Answer.BAD_REQUEST, StatusChange.KEEP, Effect.NONE);
            put(p, FirmwareInput.DOWNLOAD_REQUESTED_UNUSABLE_IMAGE, p, Answer.BAD_REQUEST, StatusChange.KEEP, Effect.NONE);
            put(p, FirmwareInput.UPDATE_REQUESTED, p, Answer.BAD_REQUEST, StatusChange.KEEP, Effect.NONE);
        }
        put(FirmwarePhase.IDLE, FirmwareInput.DOWNLOAD_REQUESTED, FirmwarePhase.DOWNLOADING, Answer.ACCEPTED,
                StatusChange.RESET, Effect.START_DOWNLOAD);
        put(FirmwarePhase.DOWNLOADING, FirmwareInput.DOWNLOAD_SUCCEEDED, FirmwarePhase.DOWNLOADED, null,
                StatusChange.KEEP, Effect.NONE);
        put(FirmwarePhase.DOWNLOADING, FirmwareInput.DOWNLOAD_FAILED, FirmwarePhase.IDLE, null,
                StatusChange.FROM_INPUT, Effect.NONE);
        put(FirmwarePhase.DOWNLOADED, FirmwareInput.IMAGE_REJECTED, FirmwarePhase.IDLE, null,
                StatusChange.FROM_INPUT, Effect.NONE);
        put(FirmwarePhase.DOWNLOADED, FirmwareInput.UPDATE_REQUESTED, FirmwarePhase.INSTALLING, Answer.ACCEPTED,
                StatusChange.IN_PROGRESS, Effect.START_INSTALL);
        put(FirmwarePhase.INSTALLING, FirmwareInput.INSTALL_SUCCEEDED, FirmwarePhase.IDLE, null,
                StatusChange.RESET, Effect.INSTALL_VERSION);
        put(FirmwarePhase.INSTALLING, FirmwareInput.INSTALL_FAILED, FirmwarePhase.DOWNLOADED, null,
                StatusChange.FROM_INPUT, Effect.NONE);
        put(FirmwarePhase.IDLE, FirmwareInput.NEW_IMAGE, FirmwarePhase.IDLE, null, StatusChange.KEEP,
                Effect.STORE_IMAGE);
        put(FirmwarePhase.DOWNLOADED, FirmwareInput.NEW_IMAGE, FirmwarePhase.IDLE, null, StatusChange.KEEP,
                Effect.DISCARD_IMAGE_AND_STORE);
        put(FirmwarePhase.DOWNLOADING, FirmwareInput.NEW_IMAGE, FirmwarePhase.DOWNLOADING, null, StatusChange.KEEP,
                Effect.REFUSE_IMAGE);
        put(FirmwarePhase.INSTALLING, FirmwareInput.NEW_IMAGE, FirmwarePhase.INSTALLING, null, StatusChange.KEEP,
                Effect.REFUSE_IMAGE);
    }

    private FirmwareTable() {
    }

    private static void put(FirmwarePhase from, FirmwareInput input, FirmwarePhase next, Answer answer,
            StatusChange status, Effect effect) {
        TABLE.get(from).put(input, new Transition(next, Optional.ofNullable(answer), status, effect));
    }

    /**
     * The transition for an input in a phase; empty when the input cannot happen there (a device
     * report out of turn, which the caller turns into an error for the application).
     */
    public static Optional<Transition> transition(FirmwarePhase phase, FirmwareInput input) {
        return Optional.ofNullable(TABLE.get(phase).get(input));
    }
}
