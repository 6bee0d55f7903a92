package dev.iotdm.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.testkit.rules.RuleBook;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The coverage table: how each rule's cell reads, by what the row's scenarios did to it. */
class CoverageReportTest {

    private static final String INFORMATIONAL = "DM-RESP-4";
    private static final String RECOMMENDED = "R12.3-NOTIFY-REQID";
    private static final String REQUIRED = "DM-REQ-1";

    /** A row whose scenarios exercised and broke the three rules. */
    private static String table() {
        Set<String> rules = Set.of(INFORMATIONAL, RECOMMENDED, REQUIRED);
        RowResult row = new RowResult("row", 1, 1, rules, rules, Map.of(), Map.of());
        return CoverageReport.of(RuleBook.standard(), List.of(row), Map.of()).toText();
    }

    /** The table's line of {@code ruleId}, without the padding. */
    private static String line(String ruleId) {
        return table().lines().filter(l -> l.startsWith(ruleId + " ")).findFirst().orElseThrow()
                .replaceAll(" +", " ").strip();
    }

    @Test
    void an_informational_rule_that_fired_is_shown_as_observed() {
        assertThat(line(INFORMATIONAL)).isEqualTo(INFORMATIONAL + " informational exercised observed");
    }

    @Test
    void a_recommended_rule_that_was_broken_is_shown_as_violated() {
        assertThat(line(RECOMMENDED)).isEqualTo(RECOMMENDED + " recommended exercised VIOLATED");
    }

    @Test
    void a_required_rule_that_was_broken_is_shown_as_violated() {
        assertThat(line(REQUIRED)).isEqualTo(REQUIRED + " required exercised VIOLATED");
    }

    @Test
    void the_legend_above_the_table_says_what_each_cell_means() {
        assertThat(table()).contains(CoverageReport.LEGEND.stream().map(l -> "  " + l + "\n").toList());
    }
}
