package dev.iotdm.protocol.firmware;

import java.util.Optional;

/**
 * The update result {@code mgmt.firmware.updateStatus} of protocol.md §6.1.
 *
 * <p>{@link #SUCCESS} doubles as the idle value ("no error", §12.6).
 */
public enum UpdateStatus {
    /** 0: the last operation succeeded, or nothing has happened yet. */
    SUCCESS(0),
    /** 1: an install is under way. */
    IN_PROGRESS(1),
    /** 2: the device ran out of memory or storage. */
    OUT_OF_MEMORY(2),
    /** 3: the connection was lost during the download. */
    CONNECTION_LOST(3),
    /** 4: the image failed verification against the verifier. */
    VERIFICATION_FAILED(4),
    /** 5: the device does not support the image. */
    UNSUPPORTED_IMAGE(5),
    /** 6: the image could not be fetched from the uri. */
    INVALID_URI(6);

    private final int code;

    UpdateStatus(int code) {
        this.code = code;
    }

    /**
     * The wire value.
     *
     * @return the integer sent in the payload, in 0-6
     */
    public int code() {
        return code;
    }

    /**
     * The status for a wire value, or empty when the value is outside 0-6.
     *
     * @param code the integer read from the payload
     * @return the constant with that code, empty for any other value
     */
    public static Optional<UpdateStatus> fromCode(long code) {
        for (UpdateStatus s : values()) {
            if (s.code == code) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
