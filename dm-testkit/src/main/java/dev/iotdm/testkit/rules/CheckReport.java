package dev.iotdm.testkit.rules;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a {@link RuleChecker} found: the violations in order, the checkable rules whose checks
 * ran with their precondition true (exercised), and the checkable rules that never did.
 *
 * <p>Thread-safety: immutable.
 *
 * @param violations every violation, in the order found
 * @param exercised ids of rules that were checked at least once, sorted
 * @param notExercised ids of checkable rules that were never checked, sorted
 */
public record CheckReport(List<Violation> violations, Set<String> exercised, Set<String> notExercised) {

    /**
     * Copies the parts (sets sorted).
     *
     * @param violations every violation, in the order found; not {@code null}
     * @param exercised ids of the rules checked at least once; not {@code null}
     * @param notExercised ids of the checkable rules never checked; not {@code null}
     * @throws NullPointerException naming the part that is {@code null}
     */
    public CheckReport {
        violations = List.copyOf(Objects.requireNonNull(violations, "violations"));
        exercised = Collections.unmodifiableSet(new TreeSet<>(Objects.requireNonNull(exercised, "exercised")));
        notExercised = Collections.unmodifiableSet(new TreeSet<>(Objects.requireNonNull(notExercised, "notExercised")));
    }

    /**
     * Whether nothing was violated, at any level.
     *
     * @return {@code true} if there is no violation, informational ones included; a device may
     *     pass its {@link Verdict} even when this is {@code false}
     */
    public boolean isClean() {
        return violations.isEmpty();
    }

    /**
     * The violations of one rule.
     *
     * @param ruleId the rule's id, e.g. {@code R12.15-ONE-MANAGE}
     * @return its violations in the order found; empty if none or the id is unknown
     */
    public List<Violation> violationsOf(String ruleId) {
        return violations.stream().filter(v -> v.ruleId().equals(ruleId)).toList();
    }

    /**
     * The ids of the violated rules, sorted.
     *
     * @return an unmodifiable set; empty when the report is clean
     */
    public Set<String> violatedRuleIds() {
        Set<String> ids = new TreeSet<>();
        violations.forEach(v -> ids.add(v.ruleId()));
        return Collections.unmodifiableSet(ids);
    }

    /**
     * A readable summary: each violation, then the exercised and not exercised rule ids.
     *
     * @return several lines, each ending in a newline
     */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(violations.size()).append(" violation(s)\n");
        violations.forEach(v -> b.append("  ").append(v).append('\n'));
        b.append("exercised (").append(exercised.size()).append("): ").append(String.join(" ", exercised)).append('\n');
        b.append("not exercised (").append(notExercised.size()).append("): ").append(String.join(" ", notExercised))
                .append('\n');
        return b.toString();
    }
}
