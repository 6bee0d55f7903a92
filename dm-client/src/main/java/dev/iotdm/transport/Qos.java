package dev.iotdm.transport;

import java.util.Optional;

/**
 * The MQTT quality of service levels this library uses. QoS 2 is deliberately absent: device
 * management publishes and subscribes at QoS 1 (protocol.md §12.17).
 */
public enum Qos {
    /** QoS 0: fire and forget. */
    AT_MOST_ONCE(0),
    /** QoS 1: acknowledged with PUBACK, may be delivered more than once. */
    AT_LEAST_ONCE(1);

    private final int code;

    Qos(int code) {
        this.code = code;
    }

    /**
     * The value on the wire.
     *
     * @return 0 or 1
     */
    public int code() {
        return code;
    }

    /**
     * The level for a wire value.
     *
     * @param code a QoS value as on the wire
     * @return the level, or empty for anything but 0 and 1 (QoS 2 included)
     */
    public static Optional<Qos> fromCode(int code) {
        for (Qos q : values()) {
            if (q.code == code) {
                return Optional.of(q);
            }
        }
        return Optional.empty();
    }
}
