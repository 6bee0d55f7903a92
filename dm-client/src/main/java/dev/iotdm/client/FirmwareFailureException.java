package dev.iotdm.client;

import dev.iotdm.protocol.firmware.UpdateStatus;
import java.util.Objects;

/** A firmware download or install failed with this update status (protocol.md §6.1). */
public final class FirmwareFailureException extends Exception {

    private static final long serialVersionUID = 1L;

    private final UpdateStatus status;

    /**
     * A failure to report.
     *
     * @throws IllegalArgumentException for SUCCESS or IN_PROGRESS, which are not failures
     */
    public FirmwareFailureException(UpdateStatus status, String message) {
        super(message);
        this.status = Objects.requireNonNull(status, "status");
        if (status == UpdateStatus.SUCCESS || status == UpdateStatus.IN_PROGRESS) {
            throw new IllegalArgumentException(status + " is not a failure status");
        }
    }

    /** The status to report. */
    public UpdateStatus status() {
        return status;
    }
}
