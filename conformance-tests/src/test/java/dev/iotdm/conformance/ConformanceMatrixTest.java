package dev.iotdm.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.testkit.rules.RuleBook;
import dev.iotdm.testkit.scenario.CoverageReport;
import dev.iotdm.testkit.scenario.RowResult;
import dev.iotdm.testkit.scenario.ScenarioRow;
import dev.iotdm.testkit.scenario.ScenarioRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite over the transport matrix: the same seeded random scenarios on every row,
 * the invariants after each, and the rule coverage table printed at the end (CI log).
 *
 * <p>{@code -Dconformance.scenarios=N} runs N scenarios per row instead of the fixed budget;
 * {@code -Dpbt.seed=N} replays a reported failure.
 */
class ConformanceMatrixTest {

    /** Scenarios per row in the normal build: the budget that keeps the suite within minutes on 2 cores. */
    private static final int IN_MEMORY_BUDGET = 200;
    private static final int MAX_STEPS = 25;

    /** Rules that cannot apply to a row, with the reason; printed with the table. */
    private static final Map<String, Map<String, String>> NOT_APPLICABLE = Map.of("in-memory", ourPlatformOnly());

    private static final List<RowResult> RESULTS = new ArrayList<>();

    @Test
    void in_memory_pairing_keeps_every_invariant() {
        run(new InMemoryRow(), IN_MEMORY_BUDGET);
    }

    /** Rules only a misbehaving platform or a failing cancel exercises: our platform and device never do. */
    private static Map<String, String> ourPlatformOnly() {
        return Map.of(
                "DM-UNMANAGE-1", "exercised only by a DM request sent to an unmanaged device; the platform engine"
                        + " refuses such operations before sending",
                "DM-CANCEL-1", "exercised only by a cancel answered with an rc other than 200; our device answers 200 (R12.27)",
                "R12.12-NO-REPLY-WITHOUT-REQID", "needs a device/update push without reqId; the platform engine always sends one",
                "R12.31-UNKNOWN-TOPIC-404", "needs a raw publish on an unknown iotdm-1 topic; the platform engine sends only §4 requests");
    }

    private static void run(ScenarioRow row, int budget) {
        RowResult result = new ScenarioRunner(row, MAX_STEPS).run(ScenarioRunner.scenarios(budget));
        synchronized (RESULTS) {
            RESULTS.add(result);
        }
        assertThat(result.violated()).as("rules violated on row %s", row.name()).isEmpty();
        CoverageReport coverage = CoverageReport.of(RuleBook.standard(), List.of(result), NOT_APPLICABLE);
        assertThat(coverage.missing(result)).as("applicable rules no scenario exercised on row %s", row.name())
                .isEmpty();
    }

    @AfterAll
    static void printCoverage() {
        System.out.println(CoverageReport.of(RuleBook.standard(), RESULTS, NOT_APPLICABLE).toText());
    }
}
