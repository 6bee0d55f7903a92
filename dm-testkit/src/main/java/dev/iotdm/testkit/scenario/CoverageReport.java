package dev.iotdm.testkit.scenario;

import dev.iotdm.testkit.rules.Rule;
import dev.iotdm.testkit.rules.RuleBook;
import dev.iotdm.testkit.rules.RuleLevel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rule coverage of the transport matrix (issue 11, item 6): per rule of the rule book its
 * level, and per row whether a scenario exercised it and whether one violated it. A rule applies to
 * a row unless the row says why not ({@link #notApplicable}); rules the checker cannot check from a
 * transcript apply to no row. Immutable.
 */
public final class CoverageReport {

    /** The cell of a required or recommended rule some scenario broke: it fails our devices. */
    static final String VIOLATED = "VIOLATED";
    /** The cell of an informational rule some scenario triggered: an observation that fails nobody. */
    static final String OBSERVED = "observed";
    /** What the table's cells mean, printed above it. */
    static final List<String> LEGEND = List.of(
            "exercised: some scenario reached the situation the rule judges",
            "NOT exercised: no scenario did (the row's summary lists these)",
            VIOLATED + ": a required or recommended rule broken at least once (fails our devices)",
            OBSERVED + ": an informational rule that fired (e.g. a QoS 1 redelivery); fails nobody",
            "n/a: cannot apply to the row (reason below the table)",
            "not checkable: the checker cannot judge it from a transcript");

    private final RuleBook book;
    private final List<RowResult> rows;
    private final Map<String, Map<String, String>> notApplicable;

    private CoverageReport(RuleBook book, List<RowResult> rows, Map<String, Map<String, String>> notApplicable) {
        this.book = book;
        this.rows = List.copyOf(rows);
        this.notApplicable = notApplicable;
    }

    /**
     * The coverage of {@code rows}.
     *
     * @param book the rule book
     * @param rows every row's result
     * @param notApplicable per row name, the rule ids that cannot apply to it with the reason
     */
    public static CoverageReport of(RuleBook book, List<RowResult> rows, Map<String, Map<String, String>> notApplicable) {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        notApplicable.forEach((row, reasons) -> copy.put(row, Map.copyOf(reasons)));
        return new CoverageReport(Objects.requireNonNull(book, "book"), rows, copy);
    }

    /** The level of a rule as printed (required, recommended, informational). */
    static String level(Rule rule) {
        return rule.level().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Rule ids that apply to {@code row}: checkable and not declared inapplicable. */
    public Set<String> applicable(String row) {
        Set<String> ids = new TreeSet<>(book.checkableIds());
        ids.removeAll(notApplicable.getOrDefault(row, Map.of()).keySet());
        return ids;
    }

    /** Applicable rule ids of {@code row} that no scenario exercised. */
    public Set<String> missing(RowResult row) {
        Set<String> ids = new TreeSet<>(applicable(row.row()));
        ids.removeAll(row.exercised());
        return ids;
    }

    /** The report as text: the legend, the rule table, then per row its totals, skips and the rules it left out and why. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append("Rule coverage: ").append(book.rules().size()).append(" rules, ")
                .append(book.checkableIds().size()).append(" checkable from a transcript\n");
        LEGEND.forEach(line -> b.append("  ").append(line).append('\n'));
        b.append(String.format("%-14s %-14s", "rule", "level"));
        rows.forEach(r -> b.append(String.format(" %-22s", r.row())));
        b.append('\n');
        for (Rule rule : book.rules()) {
            b.append(String.format("%-14s %-14s", rule.id(), level(rule)));
            for (RowResult r : rows) {
                b.append(String.format(" %-22s", cell(rule, r)));
            }
            b.append('\n');
        }
        for (RowResult r : rows) {
            Set<String> applicable = applicable(r.row());
            Set<String> missing = missing(r);
            int covered = applicable.size() - missing.size();
            b.append("row ").append(r.row()).append(": ").append(r.scenarios()).append(" scenarios (seed ")
                    .append(r.seed()).append("), ").append(covered).append(" of ").append(applicable.size())
                    .append(" applicable rules exercised (")
                    .append(applicable.isEmpty() ? 100 : covered * 100 / applicable.size()).append("%)\n");
            b.append("  steps run: ").append(r.steps()).append('\n');
            if (!r.skipped().isEmpty()) {
                b.append("  steps skipped: ").append(r.skipped()).append('\n');
            }
            notApplicable.getOrDefault(r.row(), Map.of()).forEach((id, why) ->
                    b.append("  not applicable: ").append(id).append(" (").append(why).append(")\n"));
            if (!missing.isEmpty()) {
                b.append("  NOT EXERCISED: ").append(String.join(" ", missing)).append('\n');
            }
        }
        return b.toString();
    }

    private String cell(Rule rule, RowResult r) {
        if (!rule.checkable()) {
            return "not checkable";
        }
        String why = notApplicable.getOrDefault(r.row(), Map.of()).get(rule.id());
        if (why != null) {
            return "n/a";
        }
        List<String> parts = new ArrayList<>();
        parts.add(r.exercised().contains(rule.id()) ? "exercised" : "NOT exercised");
        if (r.violated().contains(rule.id())) {
            // An informational rule that fired is an observation (e.g. a QoS 1 redelivery after a
            // reconnect, DM-RESP-4), which fails nobody (Verdict): shouting VIOLATED would hide
            // the violations that do fail a device among ones that do not.
            parts.add(rule.level() == RuleLevel.INFORMATIONAL ? OBSERVED : VIOLATED);
        }
        return String.join(" ", parts);
    }
}
