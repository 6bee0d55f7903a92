package dev.iotdm.testkit.raw;

/**
 * A CONNACK as received (MQTT 3.1.1 §3.2). Immutable.
 *
 * @param sessionPresent the Session Present flag (§3.2.2.2)
 * @param returnCode the Connect Return code (§3.2.2.3): 0 accepted, 1 bad protocol level,
 *     2 identifier rejected, 3 server unavailable, 4 bad user name or password, 5 not authorized
 */
public record Connack(boolean sessionPresent, int returnCode) {

    /** Return code 0: connection accepted. */
    public static final int ACCEPTED = 0;
    /** Return code 5: not authorized. */
    public static final int NOT_AUTHORIZED = 5;

    /**
     * Validates the return code range.
     *
     * @param sessionPresent the Session Present flag
     * @param returnCode the Connect Return code, 0..255 (values above 5 are reserved but kept as read)
     * @throws IllegalArgumentException if {@code returnCode} does not fit in one byte
     */
    public Connack {
        if (returnCode < 0 || returnCode > 255) {
            throw new IllegalArgumentException("returnCode must be one byte, was " + returnCode);
        }
    }

    /**
     * Whether the broker accepted the connection.
     *
     * @return {@code true} for return code 0 only
     */
    public boolean accepted() {
        return returnCode == ACCEPTED;
    }
}
