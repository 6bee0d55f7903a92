package dev.iotdm.testkit.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one verdict on a checked conversation, for {@code platform}, its scripts, {@code conformance},
 * the demo and the test suites alike.
 *
 * <p>An {@link Audience#EXTERNAL_DEVICE} fails only on a {@link RuleLevel#REQUIRED} rule that binds
 * the device ({@link Binds#DEVICE} or {@link Binds#BOTH}); every other violation is a deviation,
 * reported but not failing: a recommendation of protocol.md §12 the device does not follow, a
 * behaviour the real platform tolerated (§14), or a fault of the platform's side. An
 * {@link Audience#OUR_DEVICE} fails on every required or recommended violation, the platform's
 * included (our platform's bug); {@link RuleLevel#INFORMATIONAL} findings (a QoS 1 redelivery) are
 * never wrong on their own, so they are deviations for both audiences: counting them would fail
 * our device for the broker's legitimate redelivery after a reconnect.
 *
 * <p>Thread-safety: immutable.
 *
 * @param audience whose device was judged
 * @param failures the violations that fail the device, in the order found
 * @param deviations the other violations, in the order found
 */
public record Verdict(Audience audience, List<Violation> failures, List<Violation> deviations) {

    /** The process exit code of a passed verdict. */
    public static final int EXIT_PASSED = 0;
    /** The process exit code of a failed verdict. */
    public static final int EXIT_FAILED = 1;

    /**
     * Copies the lists.
     *
     * @param audience whose device was judged; not {@code null}
     * @param failures the failing violations; not {@code null}; copied
     * @param deviations the other violations; not {@code null}; copied
     * @throws NullPointerException naming the part that is {@code null}
     */
    public Verdict {
        Objects.requireNonNull(audience, "audience");
        failures = List.copyOf(Objects.requireNonNull(failures, "failures"));
        deviations = List.copyOf(Objects.requireNonNull(deviations, "deviations"));
    }

    /**
     * The verdict on {@code report} for {@code audience}, with the project's rule book.
     *
     * @param report what the checker found; not {@code null}
     * @param audience whose device is judged; not {@code null}
     * @return the verdict, violations split into failures and deviations
     */
    public static Verdict of(CheckReport report, Audience audience) {
        return of(report, audience, RuleBook.standard());
    }

    /**
     * The verdict on {@code report} for {@code audience}.
     *
     * @param report what the checker found; not {@code null}
     * @param audience whose device is judged; not {@code null}
     * @param book the rule book the report was checked against (for who each rule binds)
     * @return the verdict, violations split into failures and deviations
     * @throws NullPointerException naming the argument that is {@code null}
     */
    public static Verdict of(CheckReport report, Audience audience, RuleBook book) {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(book, "book");
        List<Violation> failures = new ArrayList<>();
        List<Violation> deviations = new ArrayList<>();
        for (Violation v : report.violations()) {
            (fails(v, audience, book) ? failures : deviations).add(v);
        }
        return new Verdict(audience, failures, deviations);
    }

    /**
     * Whether {@code v} fails a device of {@code audience}.
     *
     * @param v the violation
     * @param audience whose device is judged
     * @param book tells who the rule binds; a rule the book lacks counts as binding the device
     * @return {@code true} for a failure, {@code false} for a deviation
     */
    public static boolean fails(Violation v, Audience audience, RuleBook book) {
        return switch (audience) {
            case OUR_DEVICE -> v.level() != RuleLevel.INFORMATIONAL;
            case EXTERNAL_DEVICE -> v.level() == RuleLevel.REQUIRED
                    && book.rule(v.ruleId()).map(r -> r.binds() != Binds.PLATFORM).orElse(true);
        };
    }

    /**
     * Whether the device passed: nothing fails it.
     *
     * @return {@code true} if {@link #failures()} is empty (deviations do not count)
     */
    public boolean passed() {
        return failures.isEmpty();
    }

    /**
     * The process exit code for this verdict.
     *
     * @return {@link #EXIT_PASSED} or {@link #EXIT_FAILED}
     */
    public int exitCode() {
        return passed() ? EXIT_PASSED : EXIT_FAILED;
    }

    /**
     * One line: passed or failed, with the counts.
     *
     * @return the line, without a line break
     */
    public String summary() {
        String who = audience == Audience.OUR_DEVICE ? "our device" : "external device";
        return (passed() ? "PASSED" : "FAILED") + " (" + who + "): " + failures.size() + " failing violation(s), "
                + deviations.size() + " deviation(s)";
    }

    /**
     * The summary, then each failing violation and each deviation with its level.
     *
     * @return several lines, each ending in a newline
     */
    public String toText() {
        StringBuilder b = new StringBuilder(summary()).append('\n');
        if (!failures.isEmpty()) {
            b.append("failing:\n");
            failures.forEach(v -> b.append("  ").append(v).append('\n'));
        }
        if (!deviations.isEmpty()) {
            b.append("deviations (reported, not failing):\n");
            deviations.forEach(v -> b.append("  ").append(v).append('\n'));
        }
        return b.toString();
    }
}
