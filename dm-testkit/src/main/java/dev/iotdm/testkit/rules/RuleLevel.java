package dev.iotdm.testkit.rules;

import java.util.Locale;
import java.util.Optional;

/**
 * How much breaking a rule matters, which decides the {@link Verdict}.
 *
 * <p>The rule book spells the level in lower case ({@code "level": "required"}).
 */
public enum RuleLevel {
    /**
     * The protocol breaks without it: an unanswered request, a wrong rc, no manage after a reboot,
     * a firmware state moving against protocol.md §6. Fails every device.
     */
    REQUIRED,
    /**
     * Our choice of protocol.md §12, or a behaviour the real platform tolerated from its old clients
     * (§14). A deviation for an external device; fails only our own devices.
     */
    RECOMMENDED,
    /** Worth knowing, never wrong on its own (e.g. a QoS 1 redelivery). Fails only our own devices. */
    INFORMATIONAL;

    /**
     * The name used in the rule book and in reports.
     *
     * @return {@code required}, {@code recommended} or {@code informational}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The level with this rule-book name, if any.
     *
     * @param name a lower-case name as {@link #wireName()} gives it; case matters
     * @return the level, or empty for any other name (or {@code null})
     */
    public static Optional<RuleLevel> fromWireName(String name) {
        for (RuleLevel l : values()) {
            if (l.wireName().equals(name)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
