package dev.iotdm.testkit.rules;

import dev.iotdm.testkit.transcript.Transcript;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A rule broken in a transcript.
 *
 * <p>Thread-safety: immutable.
 *
 * @param ruleId the id of the rule in the {@link RuleBook}
 * @param level the rule's level, which decides the {@link Verdict}
 * @param clientId the device client whose conversation broke it
 * @param time when
 * @param detail what exactly was wrong, one line
 * @param entry the message that broke it; empty when a connection event revealed it (e.g. a
 *     disconnect with an unanswered reboot)
 */
public record Violation(String ruleId, RuleLevel level, String clientId, Instant time, String detail,
        Optional<TranscriptEntry> entry) {

    /**
     * Requires every part.
     *
     * @param ruleId the rule's id; not {@code null}
     * @param level the rule's level; not {@code null}
     * @param clientId the device client; not {@code null}
     * @param time when; not {@code null}
     * @param detail what was wrong, one line; not {@code null}
     * @param entry the offending message, or empty; not {@code null}
     * @throws NullPointerException naming the part that is {@code null}
     */
    public Violation {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(entry, "entry");
    }

    /**
     * A violation of a rule of the project's rule book, at the level the book gives it (required
     * when the book lacks the id, so an unknown rule never passes a device by accident).
     *
     * @param ruleId the rule's id in {@link RuleBook#standard()}; not {@code null}
     * @param clientId the device client; not {@code null}
     * @param time when; not {@code null}
     * @param detail what was wrong, one line; not {@code null}
     * @param entry the offending message, or empty; not {@code null}
     * @throws NullPointerException naming the part that is {@code null}
     */
    public Violation(String ruleId, String clientId, Instant time, String detail, Optional<TranscriptEntry> entry) {
        this(ruleId, RuleBook.standard().levelOf(Objects.requireNonNull(ruleId, "ruleId")), clientId, time, detail,
                entry);
    }

    @Override
    public String toString() {
        return ruleId + " (" + level.wireName() + ") " + clientId + " at " + time + ": " + detail
                + entry.map(e -> "\n    " + Transcript.textLine(e)).orElse("");
    }
}
