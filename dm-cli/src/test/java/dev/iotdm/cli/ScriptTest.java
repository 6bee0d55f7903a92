package dev.iotdm.cli;

import static dev.iotdm.cli.CliAssertions.assertThat;

import dev.iotdm.testkit.raw.MqttPublish;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dm-cli platform --script FILE}, as a device maker's CI would run it: it ends with exit 0
 * when every step ended OK and no rule was violated, and 1 otherwise; {@code --transcript} writes
 * the JSON lines, where a redelivery keeps its DUP flag.
 */
class ScriptTest {

    @Test
    void a_script_whose_device_manages_and_answers_ends_with_exit_0_and_writes_the_transcript_with_dup_marked(
            @TempDir Path dir)
            throws Exception {
        Path script = Files.writeString(dir.resolve("ci.txt"), String.join("\n",
                "# a device maker's check",
                "wait-managed dev-1 30",
                "observe dev-1 mgmt.firmware",
                "devices", ""));
        Path transcript = dir.resolve("transcript.jsonl");
        try (PlatformRun platform = new PlatformRun(Map.of(), "--script", script.toString(),
                "--device", "acme:raw:dev-1:tok-1", "--transcript", transcript.toString());
                RawDevice device = RawDevice.connect(platform.port(), "d:acme:raw:dev-1", "tok-1", true)
                        .manage("{\"firmwareActions\":true}")) {
            platform.await("^wait-managed d:acme:raw:dev-1: OK$");
            // While the observe is pending (so the script still runs), the device resends an event whose
            // first transmission was lost with an earlier connection: DUP set (MQTT 3.1.1 §3.3.1.1).
            // (HiveMQ ignores a DUP that repeats a packet id already received on the same connection.)
            device.mqtt().publish(MqttPublish.of("iot-2/evt/status/fmt/json", "{\"n\":1}", 1).withDup(true, 7),
                    RawDevice.WAIT);
            platform.await("^  \\S+ D->P d:acme:raw:dev-1 iot-2/evt/status/fmt/json \\[DUP\\] \\{\"n\":1\\}$");
            device.answerFirmwareObserve(device.expect("iotdm-1/observe"));
            platform.await("^observe d:acme:raw:dev-1 mgmt.firmware: OK ");
            assertThat(platform.exitCode(PlatformRun.WAIT)).as(platform.output()).isEqualTo(DmCli.OK);
        }
        assertThat(Files.readAllLines(transcript)).anyMatch(l -> l.contains("iotdevice-1/mgmt/manage"))
                .anyMatch(l -> l.contains("iotdm-1/observe"))
                .filteredOn(l -> l.contains("iot-2/evt/status/fmt/json") || l.contains("iotdevice-1/mgmt/manage"))
                .satisfiesExactly(manage -> assertThat(manage).contains("\"dup\":false"),
                        resent -> assertThat(resent).contains("\"dup\":true"));
    }

    @Test
    void a_script_whose_operation_fails_ends_with_exit_1(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("ci.txt"), "reboot dev-1\n");
        try (PlatformRun platform = new PlatformRun(Map.of(), "--script", script.toString(),
                "--device", "acme:raw:dev-1:tok-1")) {
            platform.await("^reboot d:acme:raw:dev-1: FAILED offline");
            platform.await("^script: 1 step\\(s\\) or operation\\(s\\) did not end OK$");
            assertThat(platform.exitCode(PlatformRun.WAIT)).isEqualTo(DmCli.FAILED);
        }
    }
}
