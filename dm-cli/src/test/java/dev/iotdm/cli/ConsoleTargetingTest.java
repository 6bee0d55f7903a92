package dev.iotdm.cli;

import static dev.iotdm.cli.CliAssertions.assertThat;
import static dev.iotdm.cli.PlatformRun.q;

import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.testkit.raw.Connack;
import dev.iotdm.testkit.raw.MqttPublish;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The console's targeting, its complete firmware values and the broker's refusals, over a real
 * socket against the embedded broker, with devices written by hand on raw MQTT. One platform
 * serves every test (a broker costs seconds to start and stop); each test has its own devices,
 * registered with {@code --devices-pattern} and the token from {@code IOTDM_TOKEN}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleTargetingTest {

    private static final String TOKEN = "raw-secret-token";
    private static final String[] SEVEN_KEYS = {"name", "version", "uri", "verifier", "state", "updateStatus",
        "updatedDateTime"};

    private PlatformRun platform;

    @BeforeAll
    void startPlatform() throws Exception {
        platform = new PlatformRun(Map.of(PlatformCommand.TOKEN_VARIABLE, TOKEN), "--timeout", "3",
                "--devices-pattern", "acme:raw:dev-%d", "--count", "11", "--full-payloads");
        platform.await("registered: d:acme:raw:dev-1, .*d:acme:raw:dev-11$");
    }

    @AfterAll
    void stopPlatform() throws Exception {
        platform.close();
        assertThat(platform.output()).as("tokens never printed").doesNotContain(TOKEN).doesNotContain("wrong-token");
    }

    @Test
    void an_operation_to_an_offline_device_fails_at_once_and_a_command_says_whether_the_broker_queued_it()
            throws Exception {
        platform.send("reboot dev-1");
        assertThat(platform.await("^reboot d:acme:raw:dev-1: (?!started)(.*)$").group(1))
                .isEqualTo("FAILED offline: the device is not connected (add --when-online to wait for it)");
        platform.send("command dev-1 ping {}");
        assertThat(platform.await("^command d:acme:raw:dev-1 ping: (?!started)(.*)$").group(1))
                .startsWith("DROPPED: the device is offline and the broker keeps no session for it");

        try (RawDevice kept = RawDevice.connect(platform.port(), "d:acme:raw:dev-2", TOKEN, false)) {
            assertThat(kept.mqtt().subscribe("iot-2/cmd/+/fmt/+", 1, RawDevice.WAIT)).isEqualTo(1);
        }
        platform.await("---- disconnected d:acme:raw:dev-2$");
        platform.send("command dev-2 ping {\"n\":1}");
        assertThat(platform.await("^command d:acme:raw:dev-2 ping: (?!started)(.*)$").group(1))
                .isEqualTo("QUEUED by the broker in the device's kept session; it is delivered when the device"
                        + " reconnects");
        try (RawDevice back = RawDevice.connect(platform.port(), "d:acme:raw:dev-2", TOKEN, false)) {
            MqttPublish queued = back.next();
            assertThat(queued.topic()).isEqualTo("iot-2/cmd/ping/fmt/json");
            assertThat(queued.payloadText()).isEqualTo("{\"n\":1}");
        }
    }

    @Test
    void a_custom_action_for_an_undeclared_bundle_is_refused_naming_the_declared_ones_and_sent_with_anyway()
            throws Exception {
        try (RawDevice device = RawDevice.connect(platform.port(), "d:acme:raw:dev-3", TOKEN, true)
                .manage("{\"deviceActions\":true,\"bundle-a\":true}")) {
            platform.send("custom dev-3 bundle-x go");
            assertThat(platform.await("^custom d:acme:raw:dev-3 bundle-x/go: (?!started)(.*)$").group(1))
                    .isEqualTo("REFUSED: the device did not declare bundle 'bundle-x' in its manage (declared:"
                            + " bundle-a); add --anyway to send it (recorded as a deviation)");

            platform.send("custom --anyway dev-3 bundle-x go");
            platform.await("^deviation \\(operator\\): d:acme:raw:dev-3: custom action sent to bundle 'bundle-x',"
                    + " which the device did not declare");
            device.answer(device.expect("iotdm-1/mgmt/custom/bundle-x/go"), 200);
            assertThat(platform.await("^custom d:acme:raw:dev-3 bundle-x/go: (?!started)(.*)$").group(1))
                    .isEqualTo("OK");
        }
    }

    @Test
    void a_reboot_accepted_without_a_new_manage_is_told_apart_from_no_answer() throws Exception {
        try (RawDevice accepting = RawDevice.connect(platform.port(), "d:acme:raw:dev-4", TOKEN, true)
                .manage("{\"deviceActions\":true}");
                RawDevice silent = RawDevice.connect(platform.port(), "d:acme:raw:dev-5", TOKEN, true)
                        .manage("{\"deviceActions\":true}")) {
            platform.send("reboot dev-4");
            platform.send("reboot dev-5");
            accepting.answer(accepting.expect("iotdm-1/mgmt/initiate/device/reboot"), 202);
            silent.expect("iotdm-1/mgmt/initiate/device/reboot");

            assertThat(platform.await("^reboot d:acme:raw:dev-4: (?!started)(.*)$").group(1))
                    .isEqualTo("TIMED OUT: accepted (202), device did not manage again within 3 s");
            assertThat(platform.await("^reboot d:acme:raw:dev-5: (?!started)(.*)$").group(1))
                    .startsWith("TIMED OUT: no answer within 3 s (TIMED OUT waiting for the device's response to"
                            + " iotdm-1/mgmt/initiate/device/reboot");
        }
    }

    @Test
    void a_refused_token_a_refused_subscribe_a_forbidden_publish_and_an_oversize_payload_are_printed_and_counted()
            throws Exception {
        Connack refused = RawDevice.tryConnect(platform.port(), "d:acme:raw:dev-6", "wrong-token");
        assertThat(refused.accepted()).isFalse();
        platform.await("^broker refused CONNECT of client id d:acme:raw:dev-6: wrong token for device"
                + " d:acme:raw:dev-6 \\[C13\\.1-CONNECT");
        RawDevice.tryConnect(platform.port(), "d:acme:raw:nobody", TOKEN);
        platform.await("^broker refused CONNECT of client id d:acme:raw:nobody: device d:acme:raw:nobody is not"
                + " registered");

        try (RawDevice device = RawDevice.connect(platform.port(), "d:acme:raw:dev-7", TOKEN, true)) {
            assertThat(device.mqtt().subscribe("iot-2/evt/+/fmt/+", 1, RawDevice.WAIT)).isEqualTo(0x80);
            platform.await("^broker refused SUBSCRIBE of d:acme:raw:dev-7 to " + q("iot-2/evt/+/fmt/+")
                    + " .*\\[DM-SUB-2");
            device.mqtt().publish("iotdm-1/response", "{}".getBytes(StandardCharsets.UTF_8), 0,
                    RawDevice.WAIT);
            platform.await("^broker refused PUBLISH of d:acme:raw:dev-7 on the forbidden topic iotdm-1/response"
                    + " .*\\[DM-TOPIC-1");
        }
        try (RawDevice big = RawDevice.connect(platform.port(), "d:acme:raw:dev-8", TOKEN, true)) {
            big.mqtt().publish("iot-2/evt/big/fmt/bin", new byte[131_073], 0, RawDevice.WAIT);
            platform.await("^broker refused PUBLISH of d:acme:raw:dev-8 on iot-2/evt/big/fmt/bin: payload over 131072"
                    + " bytes; the device was disconnected .*\\[C13\\.7-PAYLOAD-LIMIT");
            big.mqtt().awaitClosed(RawDevice.WAIT);
        }

        platform.send("violations");
        String verdict = platform.await("^violations: (\\d+) rule violation").group(1);
        assertThat(Integer.parseInt(verdict)).isGreaterThanOrEqualTo(5);
        platform.await("^  C13\\.7-PAYLOAD-LIMIT d:acme:raw:dev-8 ");
        assertThat(platform.output()).contains("C13.1-CONNECT d:acme:raw:dev-6")
                .contains("DM-SUB-2 d:acme:raw:dev-7").contains("DM-TOPIC-1 d:acme:raw:dev-7")
                .contains("C13.7-PAYLOAD-LIMIT d:acme:raw:dev-8");
    }

    @Test
    void every_firmware_value_carries_all_seven_keys_after_partial_sets_and_a_download() throws Exception {
        try (RawDevice device = RawDevice.connect(platform.port(), "d:acme:raw:dev-9", TOKEN, true)
                .manage("{\"firmwareActions\":true}")) {
            platform.send("set dev-9 mgmt.firmware {\"uri\":\"http://h/a.bin\"}");
            JsonObject first = firmwareValue(device, 204);
            assertThat(first.members().keySet()).containsExactlyInAnyOrder(SEVEN_KEYS);
            assertThat(text(first, "uri")).isEqualTo("http://h/a.bin");
            assertThat(text(first, "name")).isEmpty();
            platform.await("^set d:acme:raw:dev-9 mgmt.firmware: OK$");

            platform.send("set dev-9 mgmt.firmware {\"version\":\"2.0\",\"name\":\"core\"}");
            JsonObject second = firmwareValue(device, 204);
            assertThat(second.members().keySet()).containsExactlyInAnyOrder(SEVEN_KEYS);
            assertThat(text(second, "uri")).as("kept from the record").isEqualTo("http://h/a.bin");
            assertThat(text(second, "version")).isEqualTo("2.0");
            assertThat(text(second, "name")).isEqualTo("core");
            platform.await("^set d:acme:raw:dev-9 mgmt.firmware: OK$");

            platform.send("download dev-9 http://h/images/b.bin");
            JsonObject third = firmwareValue(device, 204);
            assertThat(third.members().keySet()).containsExactlyInAnyOrder(SEVEN_KEYS);
            assertThat(text(third, "uri")).isEqualTo("http://h/images/b.bin");
            assertThat(text(third, "name")).as("the uri's last path segment").isEqualTo("b.bin");
            assertThat(text(third, "version")).as("kept from the record").isEqualTo("2.0");
            assertThat(third.get("state")).hasValueSatisfying(v -> assertThat(v.toJson()).isEqualTo("0"));
            assertThat(third.get("updateStatus")).hasValueSatisfying(v -> assertThat(v.toJson()).isEqualTo("0"));
            device.answerFirmwareObserve(device.expect("iotdm-1/observe"));
            device.answer(device.expect("iotdm-1/mgmt/initiate/firmware/download"), 501);
            assertThat(platform.await("^download d:acme:raw:dev-9: (?!started)(.*)$").group(1))
                    .isEqualTo("FAILED rc 501");
        }
    }

    @Test
    void an_operation_with_when_online_waits_for_the_device_to_connect_and_manage() throws Exception {
        platform.send("reboot --when-online dev-10");
        platform.await("^reboot d:acme:raw:dev-10: the device is offline; waiting for the device to connect and"
                + " manage \\(status lists it, quit ends it\\)$");
        try (RawDevice device = RawDevice.connect(platform.port(), "d:acme:raw:dev-10", TOKEN, true)
                .manage("{\"deviceActions\":true}")) {
            device.answer(device.expect("iotdm-1/mgmt/initiate/device/reboot"), 501);
            assertThat(platform.await("^reboot d:acme:raw:dev-10: (?!started|the device is offline)(.*)$").group(1))
                    .isEqualTo("FAILED rc 501");
        }
    }

    @Test
    void after_a_successful_update_devices_marks_the_version_unconfirmed_until_the_device_reports_again()
            throws Exception {
        try (RawDevice device = RawDevice.connect(platform.port(), "d:acme:raw:dev-11", TOKEN, true)
                .manage("{\"firmwareActions\":true}")) {
            platform.send("update dev-11");
            device.answerFirmwareObserve(device.expect("iotdm-1/observe"));
            device.answer(device.expect("iotdm-1/mgmt/initiate/firmware/update"), 202);
            device.publish("iotdevice-1/notify", "{\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":"
                    + "{\"state\":0,\"updateStatus\":0}}]}}");
            device.answer(device.expect("iotdm-1/cancel"), 200);
            platform.await("^update d:acme:raw:dev-11: OK \\(devices shows fwVersion unconfirmed");
            platform.send("devices");
            platform.await("^  d:acme:raw:dev-11 connected managed fwVersion=1\\.0\\(unconfirmed since the update\\) ");
        }
    }

    @Test
    void registering_again_with_another_token_warns_and_a_quickstart_device_is_refused_with_the_reason()
            throws Exception {
        platform.send("register acme:raw:dev-1:" + TOKEN);
        platform.await("^register d:acme:raw:dev-1: OK$");
        platform.send("register acme:raw:extra:first-token");
        platform.await("^register d:acme:raw:extra: OK$");
        platform.send("register acme:raw:extra:second-token");
        platform.await("^warning: d:acme:raw:extra was registered with another token; the new one replaces it");
        platform.send("register quickstart:raw:dev-1:any");
        assertThat(platform.await("^error: (.*quickstart.*)$").group(1)).isEqualTo("'quickstart' cannot be used:"
                + " device management is not available in the quickstart organisation (protocol.md §1.8); register"
                + " the device in your own organisation");
        assertThat(platform.output()).doesNotContain("first-token").doesNotContain("second-token");
    }

    /** Takes the next device/update, answers it with {@code rc} and returns its mgmt.firmware value. */
    private static JsonObject firmwareValue(RawDevice device, int rc) {
        JsonObject update = device.expect("iotdm-1/device/update");
        device.answer(update, rc);
        return firmwareField(update);
    }

    /** The mgmt.firmware value of a device/update. */
    private static JsonObject firmwareField(JsonObject update) {
        JsonObject field = (JsonObject) ((JsonArray) ((JsonObject) update.get("d").orElseThrow()).get("fields")
                .orElseThrow()).elements().get(0);
        assertThat(field.get("field")).contains(new JsonString("mgmt.firmware"));
        return (JsonObject) field.get("value").orElseThrow();
    }

    private static String text(JsonObject o, String key) {
        JsonValue v = o.get(key).orElseThrow(() -> new AssertionError("no " + key + " in " + o.toJson()));
        return ((JsonString) v).value();
    }
}
