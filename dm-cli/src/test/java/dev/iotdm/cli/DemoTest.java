package dev.iotdm.cli;

import static dev.iotdm.cli.CliAssertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The one-command demo, run in-process: embedded broker, fake platform, firmware server and a
 * managed device over Paho on a real socket.
 */
class DemoTest {

    @Test
    void the_demo_runs_every_feature_and_the_platform_sees_each_succeed_without_a_rule_violation() throws Exception {
        Set<Thread> before = Threads.nonDaemon();

        CliResult result = CliResult.run("demo");

        assertThat(result).hasExitCode(DmCli.OK)
                .printedOnOut("Summary (what the platform observed)")
                .printedOnOut("Rule checker: no rule violations")
                .printedOnOut("DEMO PASSED: all " + DemoRun.FEATURES.size() + " steps OK, no rule violations");
        for (String feature : DemoRun.FEATURES) {
            assertThat(result.out()).as("the summary row of %s", feature)
                    .containsPattern(Pattern.compile("(?m)^  " + Pattern.quote(feature) + " +OK +\\d+  \\S"));
        }
        // What the platform saw: the new firmware installed, kept over the reboot, gone after the reset.
        assertThat(result.out())
                .contains("deviceInfo.fwVersion 1.0.0 -> 1.1.0")
                .contains("fwVersion 1.1.0 kept")
                .contains("fwVersion back to 1.0.0")
                .contains("D->P iotdevice-1/mgmt/manage")
                .contains("P->D iotdm-1/mgmt/initiate/device/reboot");
        assertThat(Threads.leftSince(before, Duration.ofSeconds(15))).as("non-daemon threads left behind").isEmpty();
    }

    @Test
    void the_demo_with_an_md5_verifier_also_passes_and_says_so() {
        CliResult result = CliResult.run("demo", "--verifier", "md5", "--no-transcript");

        assertThat(result).hasExitCode(DmCli.OK).printedOnOut("checked against its MD5 verifier");
        assertThat(result.out()).doesNotContain("D->P ");
    }
}
