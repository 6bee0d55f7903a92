package dev.iotdm.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.testkit.scenario.HandlerOutcome;
import dev.iotdm.testkit.scenario.ScenarioResult;
import dev.iotdm.testkit.scenario.ScenarioRunner;
import dev.iotdm.testkit.scenario.ScenarioStep;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Minimal scenarios that larger budgets of {@link ConformanceMatrixTest} found failing on the
 * in-memory row, kept as regression tests (each names the seed that found it).
 */
class InMemoryRegressionTest {

    private final ScenarioRunner runner = new ScenarioRunner(new InMemoryRow(), 25);

    @Test
    void slow_handlers_through_an_hour_of_firmware_flows_still_re_manage_before_the_lifetime_ends() {
        // Seed 4993212729081066590, scenario 1938 of 2000.
        ScenarioResult result = runner.runOne(List.of(new ScenarioStep.SetHandlers(HandlerOutcome.SLOW),
                new ScenarioStep.CustomAction(true), new ScenarioStep.FirmwareDownload(true),
                new ScenarioStep.FirmwareDownload(false), new ScenarioStep.FirmwareDownload(true),
                new ScenarioStep.CustomAction(true), new ScenarioStep.FirmwareUpdate(), new ScenarioStep.Delay(2)));

        assertThat(result.problems()).as(result.transcript()).isEmpty();
    }

    @Test
    void a_slow_handlers_answer_reaches_the_platform_when_the_handler_gives_it() {
        // The same seed: the answer waited in the engine's queue until the platform's operation
        // deadline, ten minutes instead of the slow handler's 90 s.
        ScenarioResult result = runner.runOne(List.of(new ScenarioStep.SetHandlers(HandlerOutcome.SLOW),
                new ScenarioStep.CustomAction(true)));

        assertThat(Duration.between(at(result, "P->D", "\"reqId\":\"p-1\""), at(result, "D->P", "\"reqId\":\"p-1\"")))
                .isEqualTo(Duration.ofSeconds(90));
    }

    /** When the transcript's first {@code direction} line containing {@code text} happened. */
    private static Instant at(ScenarioResult result, String direction, String text) {
        String line = result.transcript().lines().filter(l -> l.contains(" " + direction + " ") && l.contains(text))
                .findFirst().orElseThrow(() -> new AssertionError("no " + direction + " " + text + " in\n"
                        + result.transcript()));
        return Instant.parse(line.strip().split(" ", 2)[0]);
    }
}
