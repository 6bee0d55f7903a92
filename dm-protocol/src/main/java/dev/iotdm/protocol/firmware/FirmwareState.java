package dev.iotdm.protocol.firmware;

import java.util.Optional;

/**
 * The download state {@code mgmt.firmware.state} of protocol.md §6.1.
 *
 * <p>The device owns this value; the platform only observes it.
 */
public enum FirmwareState {
    /** 0: not downloading; the only state in which a download may start. */
    IDLE(0),
    /** 1: a download is in progress. */
    DOWNLOADING(1),
    /** 2: an image is downloaded, verified and ready to install. */
    DOWNLOADED(2);

    private final int code;

    FirmwareState(int code) {
        this.code = code;
    }

    /**
     * The wire value.
     *
     * @return the integer sent in the payload, in 0-2
     */
    public int code() {
        return code;
    }

    /**
     * The state for a wire value, or empty when the value is outside 0-2.
     *
     * @param code the integer read from the payload
     * @return the constant with that code, empty for any other value
     */
    public static Optional<FirmwareState> fromCode(long code) {
        for (FirmwareState s : values()) {
            if (s.code == code) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
