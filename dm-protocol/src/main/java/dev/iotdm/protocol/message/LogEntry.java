package dev.iotdm.protocol.message;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * A diagnostic log entry (protocol.md §3.6).
 *
 * @param message the text
 * @param timestamp when it happened
 * @param data base64 text of binary diagnostic data, if any; old clients sent raw text here
 *     (§12.21), so it is kept as given and {@link #dataBytes()} decodes it when it is base64
 * @param severity the severity
 */
public record LogEntry(String message, Timestamp timestamp, Optional<String> data, LogSeverity severity) {

    /**
     * Requires all parts.
     *
     * @param message the text, not null
     * @param timestamp when it happened, not null
     * @param data base64 text of binary diagnostic data, if any; old clients sent raw text here (§12.21), so
     *     it is kept as given and {@link #dataBytes()} decodes it when it is base64; not null
     * @param severity the severity, not null
     */
    public LogEntry {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(severity, "severity");
    }

    /**
     * An entry with binary data, base64-encoded for the wire (§12.21).
     *
     * @param message the text, not null
     * @param timestamp when it happened, not null
     * @param data the diagnostic data, or null for none
     * @param severity the severity, not null
     * @return the entry
     */
    public static LogEntry of(String message, Timestamp timestamp, byte[] data, LogSeverity severity) {
        return new LogEntry(message, timestamp,
                data == null ? Optional.empty() : Optional.of(Base64.getEncoder().encodeToString(data)), severity);
    }

    /**
     * An entry with text data, UTF-8 and base64-encoded for the wire.
     *
     * @param message the text, not null
     * @param timestamp when it happened, not null
     * @param data the diagnostic data as text, or null for none
     * @param severity the severity, not null
     * @return the entry
     */
    public static LogEntry of(String message, Timestamp timestamp, String data, LogSeverity severity) {
        return of(message, timestamp, data == null ? null : data.getBytes(StandardCharsets.UTF_8), severity);
    }

    /**
     * The data decoded from base64; empty when absent or not base64.
     *
     * @return a new array with the decoded bytes
     */
    public Optional<byte[]> dataBytes() {
        if (data.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getDecoder().decode(data.get()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
