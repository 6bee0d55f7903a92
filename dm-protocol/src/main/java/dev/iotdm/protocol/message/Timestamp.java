package dev.iotdm.protocol.message;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * An ISO 8601 date-time kept as its exact text, with a parsed view.
 *
 * <p>We emit UTC with millisecond precision and a {@code Z} (protocol.md §12.21). We accept any
 * ISO 8601 date-time with an offset, and, because old Python clients send local time without a
 * zone (§14), zone-less text too; {@link #isZoneless()} tells them apart, and the codec reports
 * such text as a normalisation.
 *
 * @param text the ISO 8601 text, e.g. {@code 2018-05-01T10:15:30.123Z}
 */
public record Timestamp(String text) {

    private static final DateTimeFormatter CANONICAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(ZoneOffset.UTC);

    /** Validates the text. */
    public Timestamp {
        Objects.requireNonNull(text, "text");
        if (parse(text) == null) {
            throw new IllegalArgumentException("not an ISO 8601 date-time: '" + text + "'");
        }
    }

    /** The canonical form of an instant: UTC, milliseconds, {@code Z}. */
    public static Timestamp of(Instant instant) {
        return new Timestamp(CANONICAL.format(instant.truncatedTo(ChronoUnit.MILLIS)));
    }

    /** The timestamp for {@code text}, or empty when it is not an ISO 8601 date-time. Never throws. */
    public static Optional<Timestamp> parseText(String text) {
        return text != null && parse(text) != null ? Optional.of(new Timestamp(text)) : Optional.empty();
    }

    /** Whether the text has no zone or offset (local time of an unknown zone). */
    public boolean isZoneless() {
        return parse(text) instanceof LocalDateTime;
    }

    /** The date-time with its offset, or empty for zone-less text. */
    public Optional<OffsetDateTime> offsetDateTime() {
        return parse(text) instanceof OffsetDateTime odt ? Optional.of(odt) : Optional.empty();
    }

    /** The date-time without its offset (for zone-less text, as written). */
    public LocalDateTime localDateTime() {
        Object p = parse(text);
        return p instanceof OffsetDateTime odt ? odt.toLocalDateTime() : (LocalDateTime) p;
    }

    /** The instant, reading zone-less text in {@code assumedOffset}. */
    public Instant toInstant(ZoneOffset assumedOffset) {
        Object p = parse(text);
        return p instanceof OffsetDateTime odt ? odt.toInstant() : ((LocalDateTime) p).toInstant(assumedOffset);
    }

    @Override
    public String toString() {
        return text;
    }

    /** Parses to an OffsetDateTime or LocalDateTime; null when the text is neither. */
    private static Object parse(String text) {
        if (text.length() < 16 || text.length() > 64) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
