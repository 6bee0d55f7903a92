package dev.iotdm.testkit.fault;

/**
 * Which way through a {@link FaultProxy} a fault or a counter applies to.
 *
 * <p>Immutable and thread-safe.
 */
public enum Direction {
    /** Device to broker: bytes the device writes. */
    UPSTREAM,
    /** Broker to device: bytes the broker writes. */
    DOWNSTREAM,
    /** Both ways at once. */
    BOTH;

    /**
     * Whether this direction includes {@code other}: {@code BOTH} covers every direction, the
     * others cover themselves.
     *
     * @param other a direction; not {@code null}
     * @return {@code true} if a fault or counter on this direction applies to {@code other}
     * @throws IllegalArgumentException if {@code other} is null
     */
    public boolean covers(Direction other) {
        if (other == null) {
            throw new IllegalArgumentException("direction must not be null");
        }
        return this == BOTH || this == other;
    }
}
