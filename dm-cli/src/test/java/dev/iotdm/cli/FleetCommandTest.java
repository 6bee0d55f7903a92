package dev.iotdm.cli;

import static dev.iotdm.cli.CliAssertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code dm-cli fleet}, run in-process: 20 devices over Netty against the embedded platform on a
 * real socket, 5 s of traffic.
 */
@Timeout(120)
class FleetCommandTest {

    @Test
    void a_small_fleet_runs_the_mix_and_prints_a_table_with_operations_and_no_errors() {
        CliResult result = CliResult.run("fleet", "--devices", "20", "--duration", "5", "--rate", "40");

        assertThat(result).hasExitCode(DmCli.OK)
                .printedOnOut("up: 20 of 20 devices managed")
                .printedOnOut("[")
                .printedOnOut("FLEET OK: ");
        for (FleetStats.Op op : FleetStats.Op.values()) {
            Matcher row = Pattern.compile("(?m)^  " + Pattern.quote(op.label()) + " +(\\d+) +\\S+ +[\\d.]+ +[\\d.]+ +(\\d+)$")
                    .matcher(result.out());
            assertThat(row.find()).as("the table row of %s in%n%s", op.label(), result.out()).isTrue();
            assertThat(Integer.parseInt(row.group(1))).as("%s operations", op.label()).isPositive();
            assertThat(Integer.parseInt(row.group(2))).as("%s errors", op.label()).isZero();
        }
        assertThat(result.out()).containsPattern("total: \\d+ operations, [\\d.]+ ops/s, 0 errors, 0 reconnects")
                .containsPattern("per idle device: [\\d.-]+ KiB heap, [\\d.-]+ threads");
    }

    @Test
    void an_external_broker_without_a_token_in_the_environment_is_bad_usage() {
        CliResult result = CliResult.runWith(Map.of(), "fleet", "--broker", "127.0.0.1:1883");

        assertThat(result).hasExitCode(DmCli.USAGE);
        assertThat(result.err()).contains(FleetCommand.TOKEN_ENV);
    }
}
