package dev.iotdm.protocol.message;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
 * <p>Each timestamp is parsed once, when it is made, by a scanner that throws nothing on valid
 * text (see {@code IsoDateTime}); the views below parse again only when asked for.
 *
 * @param text the ISO 8601 text, e.g. {@code 2018-05-01T10:15:30.123Z}
 */
public record Timestamp(String text) {

    private static final DateTimeFormatter CANONICAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(ZoneOffset.UTC);

    /**
     * Validates the text.
     *
     * @param text the ISO 8601 text, e.g. {@code 2018-05-01T10:15:30.123Z}; not null
     * @throws IllegalArgumentException if the text is not an ISO 8601 date-time
     */
    public Timestamp {
        Objects.requireNonNull(text, "text");
        if (!inBounds(text) || IsoDateTime.classify(text) == IsoDateTime.INVALID) {
            throw new IllegalArgumentException("not an ISO 8601 date-time: '" + text + "'");
        }
    }

    /**
     * The canonical form of an instant: UTC, milliseconds, {@code Z}.
     *
     * @param instant the instant, not null; truncated to milliseconds
     * @return the timestamp, e.g. {@code 2018-05-01T10:15:30.123Z}
     */
    public static Timestamp of(Instant instant) {
        return new Timestamp(CANONICAL.format(instant.truncatedTo(ChronoUnit.MILLIS)));
    }

    /**
     * The timestamp for {@code text}, or empty when it is not an ISO 8601 date-time. Never throws.
     * Parses once: valid text is not scanned again by the constructor, and only invalid text costs
     * more than the scan.
     *
     * @param text the text as received, possibly null
     * @return the timestamp, empty for null or invalid text
     */
    public static Optional<Timestamp> parseText(String text) {
        if (text == null || !inBounds(text)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Timestamp(text));
        } catch (IllegalArgumentException notIso) {
            return Optional.empty();
        }
    }

    /**
     * Whether the text has no zone or offset (local time of an unknown zone). Not a parse: the
     * text is valid, so a zone is there exactly when a zone character follows the {@code T}.
     *
     * @return true when neither {@code Z} nor an offset is written
     */
    public boolean isZoneless() {
        int t = text.indexOf('T');
        for (int i = (t < 0 ? text.indexOf('t') : t) + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'Z' || c == 'z' || c == '+' || c == '-') {
                return false;
            }
        }
        return true;
    }

    /**
     * The date-time with its offset, or empty for zone-less text.
     *
     * @return the date-time as written, offset included
     */
    public Optional<OffsetDateTime> offsetDateTime() {
        return parse(text) instanceof OffsetDateTime odt ? Optional.of(odt) : Optional.empty();
    }

    /**
     * The date-time without its offset (for zone-less text, as written).
     *
     * @return the local date-time, at the written offset's wall clock
     */
    public LocalDateTime localDateTime() {
        Object p = parse(text);
        return p instanceof OffsetDateTime odt ? odt.toLocalDateTime() : (LocalDateTime) p;
    }

    /**
     * The instant, reading zone-less text in {@code assumedOffset}.
     *
     * @param assumedOffset the offset for zone-less text, ignored when the text has one; not null
     * @return the instant
     */
    public Instant toInstant(ZoneOffset assumedOffset) {
        Object p = parse(text);
        return p instanceof OffsetDateTime odt ? odt.toInstant() : ((LocalDateTime) p).toInstant(assumedOffset);
    }

    @Override
    public String toString() {
        return text;
    }

    /** Over-long text is refused before any scan: a peer's string bounds nothing else. */
    private static boolean inBounds(String text) {
        return text.length() >= 16 && text.length() <= 64;
    }

    /** The parsed value of valid text: an OffsetDateTime or a LocalDateTime. */
    private static Object parse(String text) {
        return IsoDateTime.parse(text);
    }
}
