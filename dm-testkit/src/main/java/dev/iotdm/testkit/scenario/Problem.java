package dev.iotdm.testkit.scenario;

import java.util.Objects;

/**
 * One thing a scenario got wrong: a violated invariant or rule, or a step that did not settle.
 *
 * @param invariant what was broken, e.g. {@code "rule DM-REQ-1"} or {@code "answers differ"}; two
 *     failures are "the same" for shrinking when this matches
 * @param detail what was seen (wire text already escaped)
 */
public record Problem(String invariant, String detail) {

    /**
     * Requires both parts.
     *
     * @param invariant what was broken; not {@code null}
     * @param detail what was seen; not {@code null}
     */
    public Problem {
        Objects.requireNonNull(invariant, "invariant");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return invariant + ": " + detail;
    }
}
