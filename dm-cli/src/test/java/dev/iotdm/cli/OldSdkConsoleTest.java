package dev.iotdm.cli;

import static dev.iotdm.cli.CliAssertions.assertThat;
import static dev.iotdm.cli.PlatformRun.q;

import dev.iotdm.cli.OldSdkDevice.Sdk;
import dev.iotdm.protocol.json.JsonString;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each old SDK of protocol.md §14, as a scripted raw device ({@link OldSdkDevice}), is taken through
 * every operator operation of the console over a real socket against the embedded broker: none
 * receives an incomplete request, every operation ends OK, and the device is charged no
 * {@code required} violation for what the real platform accepted, while each real deviation is
 * reported at its level. One platform serves the four devices.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OldSdkConsoleTest {

    private static final String TOKEN = "old-sdk-token";
    private static final String BUNDLE = "acme-tools";

    private PlatformRun platform;

    @BeforeAll
    void startPlatform() throws Exception {
        platform = new PlatformRun(Map.of(PlatformCommand.TOKEN_VARIABLE, TOKEN), "--timeout", "20",
                "--devices-pattern", "acme:old:sdk-%d", "--count", String.valueOf(Sdk.values().length));
    }

    @AfterAll
    void stopPlatform() throws Exception {
        platform.close();
    }

    @ParameterizedTest
    @EnumSource(Sdk.class)
    void an_old_sdk_device_is_taken_through_every_operation_with_complete_requests_and_only_its_real_deviations(
            Sdk sdk) throws Exception {
        String clientId = "d:acme:old:sdk-" + (sdk.ordinal() + 1);
        try (OldSdkDevice device = OldSdkDevice.start(sdk, platform.port(), clientId, TOKEN, BUNDLE)) {
            device.awaitBooted(1);
            assertThat(operation("set " + clientId + " metadata {\"owner\":\"ops\"}", "set " + clientId + " metadata"))
                    .isEqualTo("OK");
            assertThat(operation("observe " + clientId + " mgmt.firmware", "observe " + clientId + " mgmt.firmware"))
                    .startsWith("OK");
            assertThat(operation("cancel " + clientId + " mgmt.firmware", "cancel " + clientId + " mgmt.firmware"))
                    .startsWith("OK");
            assertThat(operation("download " + clientId + " http://127.0.0.1/images/fw-2.0.bin - 2.0",
                    "download " + clientId)).isEqualTo("OK");
            assertThat(device.firmware()).as("what the SDK stored from the download's mgmt.firmware")
                    .containsKeys(OldSdkDevice.FIRMWARE_KEYS.toArray(String[]::new))
                    .containsEntry("name", new JsonString("fw-2.0.bin"))
                    .containsEntry("version", new JsonString("2.0"));
            assertThat(operation("update " + clientId, "update " + clientId)).startsWith("OK");
            assertThat(operation("custom " + clientId + " " + BUNDLE + " diagnose level=2",
                    "custom " + clientId + " " + BUNDLE + "/diagnose")).isEqualTo("OK");
            assertThat(operation("reboot " + clientId, "reboot " + clientId)).isEqualTo("OK");
            device.awaitBooted(2);
            assertThat(operation("factory-reset " + clientId, "factory-reset " + clientId)).isEqualTo("OK");
            device.awaitBooted(3);

            assertThat(device.problems()).as("what the device could not take").isEmpty();
            assertThat(violations(clientId)).as(platform.output())
                    .noneMatch(v -> v.endsWith("(required)"))
                    .containsExactlyInAnyOrderElementsOf(expectedDeviations(sdk));
        }
    }

    /** The deviations each SDK really has, at their levels (none required: the real platform accepted them). */
    private static List<String> expectedDeviations(Sdk sdk) {
        return switch (sdk) {
            // As in the rules' OldClientLevelsTest; DM-MANAGE-4 (manage before SUBSCRIBE) is not judged
            // by the console's checker, and no operator operation sends a device/update without reqId.
            case PYTHON_IBMIOTF -> List.of("R12.24-DEVICE-INFO-VALUES (recommended)",
                    "R12.21-UTC-TIMESTAMPS (recommended)", "DM-LOG-1 (recommended)",
                    "R12.5-OBSERVE-VALUES (recommended)", "R12.3-NOTIFY-REQID (recommended)");
            case WIOTP_SDK -> List.of("R12.15-ONE-MANAGE (recommended)", "R12.21-UTC-TIMESTAMPS (recommended)",
                    "DM-LOG-1 (recommended)", "R12.5-OBSERVE-VALUES (recommended)", "R12.3-NOTIFY-REQID (recommended)");
            case IOT_JAVA -> List.of("R12.3-NOTIFY-REQID (recommended)", "R12.25-ONE-RESPONSE (recommended)");
            // Node answers the first observe with the {} it stored so far (§14).
            case NODE_IBMIOTF -> List.of("R12.17-DM-QOS-1 (recommended)", "R12.3-NOTIFY-REQID (recommended)",
                    "R12.5-OBSERVE-VALUES (recommended)");
        };
    }

    /** Sends an operation and returns its outcome line's text. */
    private String operation(String line, String what) throws Exception {
        platform.send(line);
        return platform.await("^" + q(what) + ": (?!started|queued)(.*)$").group(1);
    }

    /** The rule ids with their level, e.g. {@code R12.3-NOTIFY-REQID (recommended)}, charged to the client. */
    private TreeSet<String> violations(String clientId) throws Exception {
        platform.send("violations");
        platform.send("status"); // printed after the whole violations block
        platform.await("^violations: ");
        platform.await("^status: ");
        String out = platform.output();
        String block = out.substring(out.lastIndexOf("\nviolations: "), out.lastIndexOf("\nstatus: "));
        Matcher m = Pattern.compile("(?m)^  (\\S+) " + q(clientId) + " at \\S+( \\(\\w+\\))?:").matcher(block);
        TreeSet<String> found = new TreeSet<>();
        while (m.find()) {
            found.add(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
        }
        return found;
    }
}
