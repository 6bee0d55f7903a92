package dev.iotdm.client;

import dev.iotdm.protocol.firmware.UpdateStatus;
import java.util.Objects;

/**
 * A firmware download or install failed with this update status (protocol.md §6.1). A
 * {@link FirmwareHandler} throws it (or completes exceptionally with it) to choose the status the
 * device reports.
 *
 * <p>Thread-safety: immutable.
 */
public final class FirmwareFailureException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The failure status to report. */
    private final UpdateStatus status;

    /**
     * A failure to report.
     *
     * @param status the update status to report; a failure status, not SUCCESS or IN_PROGRESS
     * @param message what went wrong, for logs and events
     * @throws NullPointerException if {@code status} is null
     * @throws IllegalArgumentException for SUCCESS or IN_PROGRESS, which are not failures
     */
    public FirmwareFailureException(UpdateStatus status, String message) {
        super(message);
        this.status = Objects.requireNonNull(status, "status");
        if (status == UpdateStatus.SUCCESS || status == UpdateStatus.IN_PROGRESS) {
            throw new IllegalArgumentException(status + " is not a failure status");
        }
    }

    /**
     * The status to report.
     *
     * @return the failure status given to the constructor
     */
    public UpdateStatus status() {
        return status;
    }
}
