package dev.iotdm.protocol.supervisor;

/**
 * Why a connection attempt failed, as far as the {@link ConnectionSupervisor} cares: it decides
 * how soon to try again.
 *
 * <p>Transports map their own failures onto these kinds (for MQTT 3.1.1: CONNACK 4 and 5 are
 * {@link #AUTHENTICATION}, 3 is {@link #TRANSIENT}, 1 and 2 are {@link #PERMANENT}).
 */
public enum ConnectFailureKind {
    /** Bad credentials or not authorised; retried only after the policy's maximum delay. */
    AUTHENTICATION,
    /** Unreachable, refused, server unavailable, timed out or a TLS failure; retried with backoff. */
    TRANSIENT,
    /** Retrying cannot help (e.g. protocol version or client id refused); the supervisor gives up. */
    PERMANENT
}
