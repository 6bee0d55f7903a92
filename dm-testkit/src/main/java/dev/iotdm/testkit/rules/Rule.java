package dev.iotdm.testkit.rules;

import java.util.List;
import java.util.Objects;

/**
 * One normative rule of protocol.md, as the rule book states it.
 *
 * <p>Thread-safety: immutable.
 *
 * @param id the stable identifier, e.g. {@code R12.15-ONE-MANAGE}
 * @param statement the rule in one line
 * @param binds who must follow it
 * @param scope where it applies
 * @param level how much breaking it matters (see {@link Verdict})
 * @param sections the protocol.md sections it comes from, e.g. {@code §12.15}
 * @param checkable whether {@link RuleChecker} checks it from a transcript
 */
public record Rule(String id, String statement, Binds binds, Scope scope, RuleLevel level, List<String> sections,
        boolean checkable) {

    /**
     * Validates every part; the message names the field that is wrong.
     *
     * @param id upper-case letters, digits, {@code .} and {@code -}, starting with a letter
     * @param statement one non-blank line
     * @param binds who must follow it; not {@code null}
     * @param scope where it applies; not {@code null}
     * @param level how much breaking it matters; not {@code null}
     * @param sections at least one section like {@code §6} or {@code §12.15}; copied
     * @param checkable whether the checker checks it from a transcript
     * @throws IllegalArgumentException if the id, statement or a section is malformed or
     *     {@code sections} is empty
     * @throws NullPointerException if {@code binds}, {@code scope}, {@code level} or
     *     {@code sections} is {@code null}
     */
    public Rule {
        if (id == null || !RuleBook.isValidId(id)) {
            throw new IllegalArgumentException("id: must be upper-case letters, digits, '.' and '-', got '" + id + "'");
        }
        if (statement == null || statement.isBlank() || statement.contains("\n")) {
            throw new IllegalArgumentException("statement of " + id + ": must be one non-blank line");
        }
        Objects.requireNonNull(binds, () -> "binds of " + id);
        Objects.requireNonNull(scope, () -> "scope of " + id);
        Objects.requireNonNull(level, () -> "level of " + id);
        Objects.requireNonNull(sections, () -> "sections of " + id);
        sections = List.copyOf(sections);
        if (sections.isEmpty()) {
            throw new IllegalArgumentException("sections of " + id + ": must name at least one section");
        }
        for (String s : sections) {
            if (!RuleBook.isValidSection(s)) {
                throw new IllegalArgumentException("sections of " + id + ": '" + s + "' is not like §6 or §12.15");
            }
        }
    }

    /**
     * Whether the rule cites {@code section} exactly (e.g. {@code §12.15}).
     *
     * @param section a section with its {@code §}; {@code §12} does not match {@code §12.15}
     * @return {@code true} if {@link #sections()} holds it
     */
    public boolean cites(String section) {
        return sections.contains(section);
    }
}
