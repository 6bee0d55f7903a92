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

    /** Requires every part; a disconnect has no session-present flag. */
    public ConnectionMarker {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sessionPresent, "sessionPresent");
        if (kind == Kind.DISCONNECT && sessionPresent.isPresent()) {
            throw new IllegalArgumentException("sessionPresent: a disconnect has no session-present flag");
        }
    }

    /** A connect marker. */
    public static ConnectionMarker connect(Instant time, String clientId, Optional<Boolean> sessionPresent) {
        return new ConnectionMarker(time, clientId, Kind.CONNECT, sessionPresent);
    }

    /** A disconnect marker. */
    public static ConnectionMarker disconnect(Instant time, String clientId) {
        return new ConnectionMarker(time, clientId, Kind.DISCONNECT, Optional.empty());
    }
}
