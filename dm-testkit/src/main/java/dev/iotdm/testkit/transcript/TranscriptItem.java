package dev.iotdm.testkit.transcript;

import java.time.Instant;

/**
 * One line of a {@link Transcript}: a message ({@link TranscriptEntry}) or a connection event
 * ({@link ConnectionMarker}) of one device client.
 *
 * <p>Thread-safety: every implementation is immutable.
 */
public sealed interface TranscriptItem permits TranscriptEntry, ConnectionMarker {

    /** When it happened, as the platform saw it. */
    Instant time();

    /** The device's MQTT client id. */
    String clientId();
}
