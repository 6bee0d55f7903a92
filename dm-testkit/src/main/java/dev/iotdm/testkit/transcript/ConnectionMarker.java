package dev.iotdm.testkit.transcript;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A device client connected or disconnected.
 *
 * <p>Thread-safety: immutable.
 *
 * @param time when
 * @param clientId the device's MQTT client id
 * @param kind connect or disconnect
 * @param sessionPresent for a connect, the CONNACK session-present flag when known; always empty
 *     for a disconnect
 */
public record ConnectionMarker(Instant time, String clientId, Kind kind, Optional<Boolean> sessionPresent)
        implements TranscriptItem {

    /** Which connection event. */
    public enum Kind {
        /** The client connected (CONNACK accepted). */
        CONNECT,
        /** The client's connection ended, for whatever reason. */
        DISCONNECT
    }

    /**
     * Requires every part; a disconnect has no session-present flag.
     *
     * @param time when; not {@code null}
     * @param clientId the device's MQTT client id; not {@code null}
     * @param kind connect or disconnect; not {@code null}
     * @param sessionPresent the CONNACK flag when known; not {@code null}, empty for a disconnect
     * @throws NullPointerException naming the part that is {@code null}
     * @throws IllegalArgumentException if a disconnect carries a session-present flag
     */
    public ConnectionMarker {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sessionPresent, "sessionPresent");
        if (kind == Kind.DISCONNECT && sessionPresent.isPresent()) {
            throw new IllegalArgumentException("sessionPresent: a disconnect has no session-present flag");
        }
    }

    /**
     * A connect marker.
     *
     * @param time when the client connected; not {@code null}
     * @param clientId the device's MQTT client id; not {@code null}
     * @param sessionPresent the CONNACK session-present flag, or empty when the broker does not
     *     tell; not {@code null}
     * @return the marker
     */
    public static ConnectionMarker connect(Instant time, String clientId, Optional<Boolean> sessionPresent) {
        return new ConnectionMarker(time, clientId, Kind.CONNECT, sessionPresent);
    }

    /**
     * A disconnect marker.
     *
     * @param time when the connection ended; not {@code null}
     * @param clientId the device's MQTT client id; not {@code null}
     * @return the marker, without a session-present flag
     */
    public static ConnectionMarker disconnect(Instant time, String clientId) {
        return new ConnectionMarker(time, clientId, Kind.DISCONNECT, Optional.empty());
    }
}
