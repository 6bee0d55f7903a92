package dev.iotdm.testkit.transcript;

import java.time.Instant;

/**
 * One line of a {@link Transcript}: a message ({@link TranscriptEntry}) or a connection event
 * ({@link ConnectionMarker}) of one device client.
 *
 * <p>Thread-safety: every implementation is immutable.
 */
public sealed interface TranscriptItem permits TranscriptEntry, ConnectionMarker {

    /**
     * When it happened, as the platform saw it.
     *
     * @return the platform's clock reading (a virtual clock in in-memory runs); never {@code null}
     */
    Instant time();

    /**
     * The device's MQTT client id.
     *
     * @return the id, e.g. {@code d:org:type:id}; never {@code null}
     */
    String clientId();
}
