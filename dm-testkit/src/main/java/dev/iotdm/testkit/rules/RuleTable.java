package dev.iotdm.testkit.rules;

import dev.iotdm.protocol.codec.WireText;
import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The rule table of one checked run: per rule of the book, its level, whether it was exercised and
 * whether it was violated, with the {@link Verdict}; rendered as text, JUnit XML (one test case per
 * rule, for CI dashboards) and JSON. Used by {@code dm-cli conformance} and the coverage report of
 * the conformance suite.
 *
 * <p>Thread-safety: immutable.
 *
 * @param title what was checked, e.g. the device's client id
 * @param rows one row per rule, in rule-book order
 * @param verdict the verdict on the run
 */
public record RuleTable(String title, List<Row> rows, Verdict verdict) {

    /** What one rule's row says about the run. */
    public enum Status {
        /** Violated, and the violation fails the device. */
        FAILED,
        /** Violated, reported as a deviation that does not fail the device. */
        DEVIATION,
        /** Exercised and kept. */
        PASSED,
        /** Checkable, but nothing in the run reached its precondition. */
        NOT_EXERCISED,
        /** Not checkable from a transcript (or out of scope). */
        NOT_CHECKABLE
    }

    /**
     * One rule's row.
     *
     * @param rule the rule
     * @param exercised whether its check ran with its precondition true
     * @param violations its violations in the run, in order
     * @param status what the row says
     */
    public record Row(Rule rule, boolean exercised, List<Violation> violations, Status status) {
        /**
         * Copies the list.
         *
         * @param rule the rule; not {@code null}
         * @param exercised whether its check ran with its precondition true
         * @param violations its violations in the run; not {@code null}; copied
         * @param status what the row says; not {@code null}
         * @throws NullPointerException naming the part that is {@code null}
         */
        public Row {
            Objects.requireNonNull(rule, "rule");
            violations = List.copyOf(Objects.requireNonNull(violations, "violations"));
            Objects.requireNonNull(status, "status");
        }
    }

    /**
     * Copies the rows.
     *
     * @param title what was checked; not {@code null}; escaped when rendered as text
     * @param rows one row per rule; not {@code null}; copied
     * @param verdict the verdict on the run; not {@code null}
     * @throws NullPointerException naming the part that is {@code null}
     */
    public RuleTable {
        Objects.requireNonNull(title, "title");
        rows = List.copyOf(Objects.requireNonNull(rows, "rows"));
        Objects.requireNonNull(verdict, "verdict");
    }

    /**
     * The table of {@code report} judged for {@code audience}, over every rule of {@code book}.
     *
     * @param title what was checked, e.g. the device's client id
     * @param report what the checker found
     * @param audience whose device is judged, which decides failures against deviations
     * @param book the rule book the report was checked against
     * @return one row per rule of the book, in book order, with the verdict
     */
    public static RuleTable of(String title, CheckReport report, Audience audience, RuleBook book) {
        Verdict verdict = Verdict.of(report, audience, book);
        List<Row> rows = new ArrayList<>();
        for (Rule rule : book.rules()) {
            List<Violation> violations = report.violationsOf(rule.id());
            boolean exercised = report.exercised().contains(rule.id());
            Status status;
            if (!violations.isEmpty()) {
                status = violations.stream().anyMatch(verdict.failures()::contains) ? Status.FAILED : Status.DEVIATION;
            } else if (!rule.checkable() || rule.scope() == Scope.OUT_OF_SCOPE) {
                status = Status.NOT_CHECKABLE;
            } else {
                status = exercised ? Status.PASSED : Status.NOT_EXERCISED;
            }
            rows.add(new Row(rule, exercised || !violations.isEmpty(), violations, status));
        }
        return new RuleTable(title, rows, verdict);
    }

    /**
     * The table of {@code report} for {@code audience} over the project's rule book.
     *
     * @param title what was checked, e.g. the device's client id
     * @param report what the checker found with {@link RuleBook#standard()}
     * @param audience whose device is judged
     * @return one row per rule of the standard book, with the verdict
     */
    public static RuleTable of(String title, CheckReport report, Audience audience) {
        return of(title, report, audience, RuleBook.standard());
    }

    /**
     * How many rows have {@code status}.
     *
     * @param status the status to count
     * @return the number of rows, 0 to {@code rows().size()}
     */
    public long count(Status status) {
        return rows.stream().filter(r -> r.status() == status).count();
    }

    /**
     * The text report: the verdict, the table (id, level, exercised, violated) and each violation.
     *
     * @return several lines, each ending in a newline; the title escaped
     */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append("Conformance of ").append(WireText.escape(title)).append('\n');
        b.append(verdict.summary()).append('\n');
        b.append(String.format(Locale.ROOT, "%-34s %-13s %-9s %-9s %s%n", "rule", "level", "exercised", "violated",
                "result"));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%-34s %-13s %-9s %-9s %s%n", r.rule().id(), r.rule().level().wireName(),
                    r.status() == Status.NOT_CHECKABLE ? "-" : r.exercised() ? "yes" : "no",
                    r.violations().isEmpty() ? "no" : r.violations().size() + "x",
                    r.status().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
        }
        b.append(String.format(Locale.ROOT, "%d failed, %d deviation(s), %d passed, %d not exercised, %d not checkable%n",
                count(Status.FAILED), count(Status.DEVIATION), count(Status.PASSED), count(Status.NOT_EXERCISED),
                count(Status.NOT_CHECKABLE)));
        if (!verdict.failures().isEmpty() || !verdict.deviations().isEmpty()) {
            b.append('\n').append(verdict.toText());
        }
        return b.toString();
    }

    /**
     * JUnit XML: one test case per rule; a failing violation is a failure, an unexercised or
     * uncheckable rule skipped.
     *
     * @return a UTF-8 XML document with one {@code testsuite}, text escaped for XML
     */
    public String toJUnitXml() {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<testsuite name=\"").append(xml("iotdm conformance " + title)).append("\" tests=\"").append(rows.size())
                .append("\" failures=\"").append(count(Status.FAILED)).append("\" errors=\"0\" skipped=\"")
                .append(count(Status.NOT_EXERCISED) + count(Status.NOT_CHECKABLE)).append("\">\n");
        for (Row r : rows) {
            b.append("  <testcase classname=\"iotdm.rules.").append(r.rule().level().wireName()).append("\" name=\"")
                    .append(xml(r.rule().id())).append("\">");
            switch (r.status()) {
                case FAILED -> b.append("<failure message=\"").append(xml(r.violations().get(0).detail()))
                        .append("\">").append(xmlLines(violationText(r))).append("</failure>");
                case DEVIATION -> b.append("<system-out>").append(xmlLines("deviation (" + r.rule().level().wireName()
                        + ", not failing):\n" + violationText(r))).append("</system-out>");
                case NOT_EXERCISED -> b.append("<skipped message=\"not exercised in this run\"/>");
                case NOT_CHECKABLE -> b.append("<skipped message=\"not checkable from a transcript\"/>");
                case PASSED -> { }
            }
            b.append("</testcase>\n");
        }
        return b.append("</testsuite>\n").toString();
    }

    /**
     * JSON: the verdict, then one object per rule with its level, exercised, violated and violations.
     *
     * @return one JSON object as text
     */
    public String toJson() {
        List<JsonValue> ruleRows = new ArrayList<>();
        for (Row r : rows) {
            List<JsonValue> vs = new ArrayList<>();
            for (Violation v : r.violations()) {
                vs.add(JsonObject.builder().put("clientId", v.clientId()).put("time", v.time().toString())
                        .put("detail", v.detail()).put("fails", r.status() == Status.FAILED && verdict.failures().contains(v))
                        .build());
            }
            ruleRows.add(JsonObject.builder().put("id", r.rule().id()).put("level", r.rule().level().wireName())
                    .put("binds", r.rule().binds().name()).put("checkable", r.rule().checkable())
                    .put("exercised", r.exercised()).put("violated", !r.violations().isEmpty())
                    .put("result", r.status().name().toLowerCase(Locale.ROOT)).put("violations", new JsonArray(vs))
                    .build());
        }
        return JsonObject.builder().put("title", title).put("audience", verdict.audience().name())
                .put("passed", verdict.passed()).put("failures", verdict.failures().size())
                .put("deviations", verdict.deviations().size()).put("rules", new JsonArray(ruleRows)).build().toJson();
    }

    private static String violationText(Row r) {
        StringBuilder b = new StringBuilder();
        r.violations().forEach(v -> b.append(v).append('\n'));
        return b.toString();
    }

    /** Lines of XML text, each escaped on its own so the line breaks stay real. */
    private static String xmlLines(String text) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!b.isEmpty()) {
                b.append('\n');
            }
            b.append(xml(line));
        }
        return b.toString();
    }

    /** XML text: wire text escaped first (no control characters, which XML 1.0 forbids), then markup. */
    private static String xml(String text) {
        String s = WireText.escape(text, Integer.MAX_VALUE);
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
