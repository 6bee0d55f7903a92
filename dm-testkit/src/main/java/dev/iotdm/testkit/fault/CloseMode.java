package dev.iotdm.testkit.fault;

/**
 * How a {@link FaultProxy} closes a TCP connection.
 *
 * <p>Immutable and thread-safe.
 */
public enum CloseMode {
    /**
     * Abortive close: {@code SO_LINGER} 0, so the peer gets a RST and its next read or write fails
     * with "connection reset", like a crashed host or a middlebox dropping state.
     */
    RESET,
    /** Orderly close: the peer gets a FIN and its next read returns end of stream. */
    FIN
}
