package dev.iotdm.testkit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.protocol.codec.Normalisation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Scripted misbehaving devices (mostly the old clients of protocol.md §14) are caught with the right rule id. */
class MisbehavingDeviceTest {

    private static final String MANAGE = "iotdevice-1/mgmt/manage";
    private static final String RESPONSE = "iotdevice-1/response";
    private static final String NOTIFY = "iotdevice-1/notify";

    // ---- manage ------------------------------------------------------------------------------

    @Test
    void wiotp_sdk_ten_manages_per_connect_are_a_manage_burst() {
        Script s = new Script().connect();
        for (int i = 1; i <= 10; i++) {
            s.device(MANAGE, Script.manage("wp-" + i));
        }
        for (int i = 1; i <= 10; i++) {
            s.platformAnswer("wp-" + i, 200);
        }
        CheckReport r = s.report();
        assertThat(r.violationsOf("R12.15-ONE-MANAGE")).hasSize(9);
        assertThat(r.violatedRuleIds()).containsExactly("R12.15-ONE-MANAGE");
    }

    @Test
    void an_identical_manage_long_before_expiry_on_the_same_connection_is_a_violation() {
        CheckReport r = new Script().started().after(Duration.ofMinutes(5)).managed("again").report();
        assertThat(r.violationsOf("R12.15-ONE-MANAGE")).singleElement()
                .satisfies(v -> assertThat(v.detail()).contains("long before the lifetime"));
    }

    @Test
    void a_lifetime_re_manage_near_expiry_is_fine() {
        CheckReport r = new Script().started().after(Duration.ofSeconds(3240)).managed("near-expiry").report();
        assertThat(r.violations()).isEmpty();
        assertThat(r.exercised()).contains("R12.15-ONE-MANAGE", "C13.6-REMANAGE-BEFORE-EXPIRY");
    }

    @Test
    void a_retry_after_a_refused_manage_and_a_manage_with_changed_parameters_are_fine() {
        CheckReport r = new Script().connect().device(MANAGE, Script.manage("refused")).platformAnswer("refused", 409)
                .after(Duration.ofSeconds(5)).managed("retry")
                .device(MANAGE, "{\"reqId\":\"changed\",\"d\":{\"lifetime\":3600,\"metadata\":{\"owner\":\"ops\"}}}")
                .platformAnswer("changed", 200).report();
        assertThat(r.violations()).isEmpty();
        assertThat(r.exercised()).contains("R12.15-ONE-MANAGE");
    }

    @Test
    void a_manage_repeated_after_the_answer_timeout_is_a_retry_not_a_burst() {
        CheckReport r = new Script().connect().device(MANAGE, Script.manage("lost"))
                .after(Duration.ofSeconds(121)).managed("retried").report();
        assertThat(r.violationsOf("R12.15-ONE-MANAGE")).isEmpty();
    }

    @Test
    void no_re_manage_within_the_lifetime_is_caught_at_the_next_message() {
        CheckReport r = new Script().started().after(Duration.ofSeconds(3601))
                .device("iotdevice-1/add/diag/errorCodes", "{\"reqId\":\"e1\",\"d\":{\"errorCode\":1}}").report();
        assertThat(r.violatedRuleIds()).containsExactly("C13.6-REMANAGE-BEFORE-EXPIRY");
    }

    @Test
    void c_client_integer_supports_flags_are_not_booleans() {
        CheckReport r = new Script().connect().device(MANAGE,
                "{\"reqId\":\"m1\",\"d\":{\"lifetime\":3600,\"supports\":{\"deviceActions\":1,\"firmwareActions\":0}}}")
                .platformAnswer("m1", 200).report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.19-SUPPORTS-BOOLEAN");
    }

    @Test
    void supports_flags_that_are_neither_booleans_nor_0_or_1_are_not_booleans_either() {
        CheckReport r = new Script().connect().device(MANAGE,
                "{\"reqId\":\"m1\",\"d\":{\"supports\":{\"deviceActions\":\"true\"}}}").platformAnswer("m1", 400)
                .report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.19-SUPPORTS-BOOLEAN");
    }

    @Test
    void a_lifetime_below_3600_breaks_the_lifetime_bounds() {
        CheckReport r = new Script().connect().device(MANAGE, "{\"reqId\":\"m1\",\"d\":{\"lifetime\":600}}")
                .platformAnswer("m1", 400).report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.13-LIFETIME-BOUNDS");
    }

    @Test
    void java_old_re_manage_with_the_remaining_lifetime_is_caught() {
        CheckReport r = new Script().connect()
                .device(MANAGE, "{\"reqId\":\"m1\",\"d\":{\"lifetime\":7200}}").platformAnswer("m1", 200)
                .disconnect().after(Duration.ofSeconds(1000)).connect()
                .device(MANAGE, "{\"reqId\":\"m2\",\"d\":{\"lifetime\":6190}}").platformAnswer("m2", 200).report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.13-LIFETIME-BOUNDS");
    }

    @Test
    void a_diagnostic_before_manage_breaks_manage_first() {
        CheckReport r = new Script().connect()
                .device("iotdevice-1/add/diag/errorCodes", "{\"reqId\":\"e1\",\"d\":{\"errorCode\":1}}")
                .platformAnswer("e1", 200).managed("m1").report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-MANAGE-1");
    }

    /** R12.20 wins over DM-MANAGE-1 and R12.14 (shrunk by the suite: Unmanage, RestartDevice, ClearErrorCodes). */
    @Test
    void diagnostics_after_an_unmanage_and_a_reconnect_break_no_rule() {
        CheckReport r = new Script().started().device("iotdevice-1/mgmt/unmanage", "{\"reqId\":\"u1\"}")
                .platformAnswer("u1", 200).disconnect().connect()
                .device("iotdevice-1/clear/diag/errorCodes", "{\"reqId\":\"e1\"}").platformAnswer("e1", 200)
                .after(Duration.ofMinutes(5)).disconnect().report();
        assertThat(r.violatedRuleIds()).isEmpty();
        assertThat(r.exercised()).contains("DM-MANAGE-1");
    }

    @Test
    void a_device_that_manages_again_after_unmanaging_must_re_manage_on_its_next_connection() {
        CheckReport r = new Script().started().device("iotdevice-1/mgmt/unmanage", "{\"reqId\":\"u1\"}")
                .platformAnswer("u1", 200).managed("m2").disconnect().connect()
                .device("iotdevice-1/clear/diag/errorCodes", "{\"reqId\":\"e1\"}").platformAnswer("e1", 200)
                .report();
        assertThat(r.violatedRuleIds()).contains("DM-MANAGE-1", "R12.14-REMANAGE-ON-RECONNECT");
    }

    @Test
    void node_answering_requests_after_a_reconnect_without_manage_breaks_re_manage() {
        CheckReport r = new Script().started().disconnect().connect()
                .platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"b1\"}").answer("b1", 202)
                .report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.14-REMANAGE-ON-RECONNECT");
    }

    @Test
    void a_long_connection_without_re_manage_is_caught_at_disconnect() {
        CheckReport r = new Script().started().disconnect().connect().after(Duration.ofMinutes(5)).disconnect()
                .report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.14-REMANAGE-ON-RECONNECT");
    }

    @Test
    void python_ibmiotf_null_device_info_values_are_reported() {
        CheckReport r = new Script().connect().device(MANAGE,
                "{\"reqId\": \"m1\", \"d\": {\"lifetime\": 3600, \"supports\": {\"deviceActions\": true}, "
                        + "\"deviceInfo\": {\"serialNumber\": \"SN\", \"model\": null}, \"metadata\": {}}}")
                .platformAnswer("m1", 200).report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.24-DEVICE-INFO-VALUES");
    }

    // ---- responses ---------------------------------------------------------------------------

    @Test
    void iot_java_stale_501_after_a_reboot_is_a_second_response() {
        CheckReport r = new Script().started()
                .platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"req-reboot-1\"}")
                .device(RESPONSE, "{\"rc\":202,\"reqId\":\"req-reboot-1\"}").disconnect()
                .connect().managed("m-after-boot")
                .platform("iotdm-1/mgmt/initiate/device/factory_reset", "{\"reqId\":\"req-reset-1\"}")
                .device(RESPONSE, "{\"rc\":501,\"message\":\"\",\"reqId\":\"req-reboot-1\"}")
                .device(RESPONSE, "{\"reqId\":\"req-reset-1\",\"rc\":202}").disconnect().report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.25-ONE-RESPONSE");
        assertThat(r.violationsOf("R12.25-ONE-RESPONSE")).singleElement()
                .satisfies(v -> assertThat(v.detail()).contains("req-reboot-1").contains("501"));
    }

    @Test
    void a_response_to_a_request_never_sent_has_an_unknown_req_id() {
        CheckReport r = new Script().started().answer("never-sent", 200).report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-RESP-2");
    }

    @Test
    void c_client_rc_as_string_is_reported_and_still_counts_as_the_answer() {
        CheckReport r = new Script().started()
                .platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"b1\"}")
                .device(RESPONSE, "{\"rc\":\"202\",\"message\":\"Device action initiated immediately\",\"reqId\":\"b1\"}")
                .disconnect().report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.1-RC-NUMBER");
    }

    @Test
    void node_replying_to_a_push_without_req_id_is_caught() {
        CheckReport r = new Script().started()
                .platform("iotdm-1/device/update", "{\"d\":{\"fields\":[{\"field\":\"metadata\",\"value\":{\"a\":1}}]}}")
                .device(RESPONSE, "{\"rc\":204}").report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.12-NO-REPLY-WITHOUT-REQID");
    }

    @Test
    void iot_java_null_req_id_reply_to_a_push_breaks_two_rules() {
        CheckReport r = new Script().started()
                .platform("iotdm-1/device/update", "{\"d\":{\"fields\":[{\"field\":\"metadata\",\"value\":{}}]}}")
                .device(RESPONSE, "{\"rc\":204,\"reqId\":null}").report();
        assertThat(r.violatedRuleIds()).containsExactlyInAnyOrder("R12.12-NO-REPLY-WITHOUT-REQID", "I14-NULL-REQID");
    }

    @Test
    void a_response_without_req_id_and_no_push_pending_breaks_the_echo_rule() {
        CheckReport r = new Script().started().device(RESPONSE, "{\"rc\":200}").report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-RESP-1");
    }

    @Test
    void a_reboot_left_unanswered_when_the_device_drops_the_connection_is_caught() {
        CheckReport r = new Script().started().platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"b1\"}")
                .disconnect().connect().managed("m2").report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-ACTION-1");
    }

    @Test
    void reboot_accepted_without_advertising_device_actions_is_caught() {
        CheckReport r = new Script().connect()
                .device(MANAGE, "{\"reqId\":\"m1\",\"d\":{\"supports\":{\"deviceActions\":false}}}")
                .platformAnswer("m1", 200).platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"b1\"}")
                .answer("b1", 202).report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.30-UNSUPPORTED-ACTIONS");
    }

    @Test
    void a_reboot_answered_204_is_outside_the_codes_of_its_context() {
        CheckReport r = new Script().started().platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"b1\"}")
                .answer("b1", 204).report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-RC-1");
    }

    @Test
    void a_custom_action_answered_202_is_caught() {
        CheckReport r = new Script().started()
                .platform("iotdm-1/mgmt/custom/acme-v1/install", "{\"reqId\":\"x1\",\"d\":{\"fields\":[]}}")
                .answer("x1", 202).report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.26-CUSTOM-ACTION-RC");
    }

    @Test
    void a_request_on_an_unknown_topic_answered_200_is_caught() {
        CheckReport r = new Script().started().platform("iotdm-1/mgmt/initiate/device/teleport", "{\"reqId\":\"t1\"}")
                .answer("t1", 200).report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.31-UNKNOWN-TOPIC-404");
    }

    @Test
    void cancel_answered_500_without_a_message_breaks_both_cancel_rules() {
        CheckReport r = new Script().started().firmwareObserved("o1", 0)
                .platform("iotdm-1/cancel", "{\"reqId\":\"c1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\"}]}}")
                .answer("c1", 500).report();
        assertThat(r.violatedRuleIds()).containsExactlyInAnyOrder("R12.27-CANCEL-200", "DM-CANCEL-1");
    }

    @Test
    void python_observe_answer_without_values_is_caught() {
        CheckReport r = new Script().started()
                .platform("iotdm-1/observe", "{\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\"}]}}")
                .device(RESPONSE, "{\"rc\": 200, \"message\": \"\", \"reqId\": \"o1\"}").report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.5-OBSERVE-VALUES");
    }

    @Test
    void a_failed_device_update_without_the_failed_field_names_is_caught() {
        CheckReport r = new Script().started()
                .platform("iotdm-1/device/update", "{\"reqId\":\"u1\",\"d\":{\"fields\":[{\"field\":\"metadata\","
                        + "\"value\":{}}]}}")
                .answer("u1", 404).report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.11-UPDATE-RESULT");
    }

    // ---- firmware ----------------------------------------------------------------------------

    private static Script firmwareReady() {
        return new Script().started()
                .platform("iotdm-1/device/update", "{\"reqId\":\"r1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\","
                        + "\"value\":{\"version\":\"2.0\",\"name\":\"fw\",\"uri\":\"https://h/fw.bin\","
                        + "\"verifier\":\"abc\",\"state\":0,\"updateStatus\":0,\"updatedDateTime\":\"\"}}]}}")
                .answer("r1", 204).firmwareObserved("r2", 0);
    }

    /** Ready, and the download accepted (202): the device may now notify its progress. */
    private static Script downloading() {
        return firmwareReady().platform("iotdm-1/mgmt/initiate/firmware/download", "{\"reqId\":\"rd\"}")
                .answer("rd", 202);
    }

    @Test
    void download_accepted_while_the_device_last_notified_downloading_is_caught() {
        CheckReport r = firmwareReady().platform("iotdm-1/mgmt/initiate/firmware/download", "{\"reqId\":\"r3\"}")
                .answer("r3", 202).firmwareNotify("n1", "{\"state\":1}")
                .platform("iotdm-1/mgmt/initiate/firmware/download", "{\"reqId\":\"r3b\"}").answer("r3b", 202)
                .report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-FW-DOWNLOAD");
        assertThat(r.violationsOf("DM-FW-DOWNLOAD")).singleElement()
                .satisfies(v -> assertThat(v.detail()).contains("state 1"));
    }

    @Test
    void download_accepted_while_downloaded_is_caught() {
        CheckReport r = downloading().firmwareNotify("n1", "{\"state\":2}")
                .platform("iotdm-1/mgmt/initiate/firmware/download", "{\"reqId\":\"r3\"}").answer("r3", 202)
                .report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-FW-DOWNLOAD");
    }

    @Test
    void download_refused_in_idle_with_a_usable_uri_is_caught() {
        CheckReport r = firmwareReady().platform("iotdm-1/mgmt/initiate/firmware/download", "{\"reqId\":\"r3\"}")
                .answer("r3", 400).report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-FW-DOWNLOAD");
    }

    @Test
    void download_accepted_without_a_uri_is_caught_and_refusing_it_is_right() {
        Script s = new Script().started()
                .platform("iotdm-1/device/update", "{\"reqId\":\"r1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\","
                        + "\"value\":{\"version\":\"2.0\",\"state\":0,\"updateStatus\":0}}]}}")
                .answer("r1", 204).firmwareObserved("r2", 0);
        CheckReport refused = s.platform("iotdm-1/mgmt/initiate/firmware/download", "{\"reqId\":\"r3\"}")
                .answer("r3", 400).report();
        assertThat(refused.violations()).isEmpty();
        CheckReport accepted = s.platform("iotdm-1/mgmt/initiate/firmware/download", "{\"reqId\":\"r4\"}")
                .answer("r4", 202).report();
        assertThat(accepted.violatedRuleIds()).containsExactly("R12.8-DOWNLOAD-URI");
    }

    @Test
    void update_accepted_when_not_downloaded_is_caught() {
        CheckReport r = firmwareReady().platform("iotdm-1/mgmt/initiate/firmware/update", "{\"reqId\":\"r6\"}")
                .answer("r6", 202).report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-FW-UPDATE");
    }

    @Test
    void update_refused_although_downloaded_is_caught() {
        CheckReport r = downloading().firmwareNotify("n1", "{\"state\":1}").firmwareNotify("n2", "{\"state\":2}")
                .platform("iotdm-1/mgmt/initiate/firmware/update", "{\"reqId\":\"r6\"}").answer("r6", 400).report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-FW-UPDATE");
    }

    @Test
    void firmware_rc_rules_are_not_judged_before_the_device_told_its_state() {
        CheckReport r = new Script().started()
                .platform("iotdm-1/mgmt/initiate/firmware/update", "{\"reqId\":\"r6\"}").answer("r6", 202).report();
        assertThat(r.violations()).isEmpty();
        assertThat(r.notExercised()).contains("DM-FW-UPDATE");
    }

    // ---- notify ------------------------------------------------------------------------------

    @Test
    void notify_of_a_field_nobody_observes_is_caught() {
        CheckReport r = new Script().started().firmwareNotify("n1", "{\"state\":1}").report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.28-NOTIFY-ONLY-OBSERVED");
    }

    @Test
    void notify_after_cancel_is_caught_but_observe_of_the_parent_covers_sub_fields() {
        Script s = new Script().started().firmwareObserved("o1", 0)
                .platform("iotdm-1/mgmt/initiate/firmware/download", "{\"reqId\":\"rd\"}").answer("rd", 202)
                .device(NOTIFY, "{\"reqId\":\"n1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware.state\",\"value\":1}]}}");
        assertThat(s.report().violations()).isEmpty();
        CheckReport r = s.platform("iotdm-1/cancel", "{\"reqId\":\"c1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\"}]}}")
                .answer("c1", 200).firmwareNotify("n2", "{\"state\":2}").report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.28-NOTIFY-ONLY-OBSERVED");
    }

    @Test
    void an_observe_answered_404_does_not_start_an_observation() {
        CheckReport r = new Script().started()
                .platform("iotdm-1/observe", "{\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"location\"}]}}")
                .device(RESPONSE, "{\"rc\":404,\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"location\"}]}}")
                .device(NOTIFY, "{\"reqId\":\"n1\",\"d\":{\"fields\":[{\"field\":\"location\",\"value\":"
                        + "{\"latitude\":1,\"longitude\":2}}]}}")
                .report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.28-NOTIFY-ONLY-OBSERVED");
    }

    @Test
    void every_old_client_notify_without_req_id_is_reported() {
        CheckReport r = new Script().started().firmwareObserved("o1", 0)
                .platform("iotdm-1/mgmt/initiate/firmware/download", "{\"reqId\":\"rd\"}").answer("rd", 202)
                .device(NOTIFY, "{\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"state\":1}}]}}")
                .report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.3-NOTIFY-REQID");
    }

    @Test
    void python_single_field_notify_is_reported() {
        CheckReport r = new Script().started()
                .platform("iotdm-1/observe", "{\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"deviceInfo\"}]}}")
                .device(RESPONSE, "{\"rc\":200,\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"deviceInfo\","
                        + "\"value\":{\"fwVersion\":\"1.0\"}}]}}")
                .device(NOTIFY, "{\"reqId\":\"n1\",\"d\":{\"field\":\"deviceInfo.fwVersion\",\"value\":\"1.0.4\"}}")
                .report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.2-NOTIFY-FIELDS-ARRAY");
    }

    // ---- transport-level ---------------------------------------------------------------------

    @Test
    void node_qos_0_dm_publishes_are_caught_but_qos_0_events_are_fine() {
        CheckReport r = new Script().connect().device(MANAGE, Script.manage("m1"), 0, false).platformAnswer("m1", 200)
                .device("iot-2/evt/status/fmt/json", "{\"t\":1}", 0, false).report();
        assertThat(r.violationsOf("R12.17-DM-QOS-1")).hasSize(1);
        assertThat(r.violatedRuleIds()).containsExactly("R12.17-DM-QOS-1");
    }

    @Test
    void csharp_qos_2_dm_publishes_are_caught_too() {
        CheckReport r = new Script().connect().device(MANAGE, Script.manage("m1"), 2, false).platformAnswer("m1", 200)
                .report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.17-DM-QOS-1");
    }

    @Test
    void retained_publishes_are_caught() {
        CheckReport r = new Script().started().device("iot-2/evt/status/fmt/json", "{}", 0, true).report();
        assertThat(r.violatedRuleIds()).containsExactly("C13.7-NO-RETAIN");
    }

    @Test
    void oversized_payloads_are_caught() {
        byte[] big = new byte[131073];
        Arrays.fill(big, (byte) 'a');
        CheckReport r = new Script().started().deviceBytes("iot-2/evt/blob/fmt/bin", big, 0, false).report();
        assertThat(r.violatedRuleIds()).containsExactly("C13.7-PAYLOAD-LIMIT");
        CheckReport atLimit = new Script().started()
                .deviceBytes("iot-2/evt/blob/fmt/bin", Arrays.copyOf(big, 131072), 0, false).report();
        assertThat(atLimit.violations()).isEmpty();
    }

    @Test
    void publishing_on_a_topic_that_is_not_the_devices_is_caught() {
        CheckReport r = new Script().started().device("iot-2/cmd/reboot/fmt/json", "{}")
                .device("iotdm-1/response", "{\"rc\":200,\"reqId\":\"x\"}").device("somewhere/else", "{}").report();
        assertThat(r.violationsOf("DM-TOPIC-1")).hasSize(3);
    }

    @Test
    void c_firmware_reply_with_an_unquoted_req_id_is_malformed() {
        CheckReport r = new Script().started().device(RESPONSE, "{\"rc\":202,\"reqId\":abc}").report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-ENV-1");
    }

    // ---- device requests ---------------------------------------------------------------------

    @Test
    void python_log_with_raw_data_and_a_zoneless_timestamp_breaks_two_rules() {
        CheckReport r = new Script().started().device("iotdevice-1/add/diag/log",
                "{\"reqId\": \"g1\", \"d\": {\"message\": \"m\", \"timestamp\": \"2026-11-25T13:08:16.748536\", "
                        + "\"data\": \"some data\", \"severity\": 1}}")
                .platformAnswer("g1", 200).report();
        assertThat(r.violatedRuleIds()).containsExactlyInAnyOrder("DM-LOG-1", "R12.21-UTC-TIMESTAMPS");
    }

    @Test
    void c_location_with_updated_date_time_is_caught() {
        CheckReport r = new Script().started().device("iotdevice-1/device/update/location",
                "{\"reqId\":\"l1\",\"d\":{\"latitude\":1,\"longitude\":2,\"measuredDateTime\":\"2026-11-25T10:00:00Z\","
                        + "\"updatedDateTime\":\"2026-11-25T10:00:00Z\"}}")
                .platformAnswer("l1", 200).report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.23-NO-LOCATION-UPDATED-TIME");
    }

    @Test
    void a_reused_device_req_id_is_caught() {
        CheckReport r = new Script().started()
                .device("iotdevice-1/clear/diag/log", "{\"reqId\":\"same\"}").platformAnswer("same", 200)
                .device("iotdevice-1/clear/diag/log", "{\"reqId\":\"same\"}").report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-ENV-2");
    }

    @Test
    void the_device_sending_a_request_again_on_a_later_connection_is_no_reuse() {
        // Answered on the first connection, which dropped before the answer arrived: the device re-sends it.
        CheckReport r = new Script().started()
                .device("iotdevice-1/clear/diag/log", "{\"reqId\":\"same\"}").platformAnswer("same", 200)
                .disconnect().connect().managed("m9")
                .device("iotdevice-1/clear/diag/log", "{\"reqId\":\"same\"}").platformAnswer("same", 200).report();
        assertThat(r.violatedRuleIds()).isEmpty();
    }

    @Test
    void the_device_reusing_a_req_id_for_another_request_on_a_later_connection_is_caught() {
        CheckReport r = new Script().started()
                .device("iotdevice-1/clear/diag/log", "{\"reqId\":\"same\"}").platformAnswer("same", 200)
                .disconnect().connect().managed("m9")
                .device("iotdevice-1/clear/diag/errorCodes", "{\"reqId\":\"same\"}").report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-ENV-2");
    }

    // ---- platform side -----------------------------------------------------------------------

    @Test
    void the_platform_sending_an_unanswered_request_again_on_a_later_connection_is_no_reuse() {
        CheckReport r = new Script().started()
                .platform("iotdm-1/observe", "{\"reqId\":\"o9\",\"d\":{\"fields\":[{\"field\":\"location\"}]}}")
                .disconnect().connect().managed("m9")
                .platform("iotdm-1/observe", "{\"reqId\":\"o9\",\"d\":{\"fields\":[{\"field\":\"location\"}]}}")
                .answer("o9", 200).report();
        assertThat(r.violatedRuleIds()).doesNotContain("DM-ENV-2");
    }

    @Test
    void the_platform_reusing_a_req_id_for_another_request_is_caught() {
        CheckReport r = new Script().started()
                .platform("iotdm-1/observe", "{\"reqId\":\"o9\",\"d\":{\"fields\":[{\"field\":\"location\"}]}}")
                .disconnect().connect().managed("m9")
                .platform("iotdm-1/cancel", "{\"reqId\":\"o9\",\"d\":{\"fields\":[{\"field\":\"location\"}]}}")
                .answer("o9", 200).report();
        assertThat(r.violatedRuleIds()).contains("DM-ENV-2");
    }

    @Test
    void platform_answering_twice_or_with_a_wrong_rc_is_reported_against_the_platform() {
        CheckReport r = new Script().connect().device(MANAGE, Script.manage("m1")).platformAnswer("m1", 202)
                .platformAnswer("m1", 200).platformAnswer("nope", 200).report();
        assertThat(r.violationsOf("DM-REQ-2")).hasSize(1);
        assertThat(r.violationsOf("DM-REQ-1")).hasSize(2);
    }

    @Test
    void platform_requests_after_an_accepted_unmanage_are_reported() {
        CheckReport r = new Script().started().device("iotdevice-1/mgmt/unmanage", "{\"reqId\":\"u1\"}")
                .platformAnswer("u1", 200).platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"b1\"}")
                .answer("b1", 202).report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-UNMANAGE-1");
    }

    @Test
    void platform_writing_a_read_only_attribute_is_reported() {
        CheckReport r = new Script().started().platform("iotdm-1/device/update",
                "{\"reqId\":\"u1\",\"d\":{\"fields\":[{\"field\":\"mgmt.dormant\",\"value\":true}]}}")
                .device(RESPONSE, "{\"rc\":404,\"reqId\":\"u1\",\"d\":{\"fields\":[\"mgmt.dormant\"]}}").report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-UPDATE-1");
    }

    // ---- one rule per codec normalisation ----------------------------------------------------

    /** A misbehaving script per leniency; a new Normalisation without a script fails the test below. */
    private static final Map<Normalisation, UnaryOperator<Script>> NORMALISED = new EnumMap<>(Normalisation.class);

    static {
        NORMALISED.put(Normalisation.RC_AS_STRING, s -> s.platform("iotdm-1/device/update",
                "{\"reqId\":\"u1\",\"d\":{\"fields\":[{\"field\":\"metadata\",\"value\":{}}]}}")
                .device(RESPONSE, "{\"rc\":\"204\",\"reqId\":\"u1\"}"));
        NORMALISED.put(Normalisation.NOTIFY_SINGLE_FIELD, s -> s.firmwareObserved("o1", 0)
                .device(NOTIFY, "{\"reqId\":\"n1\",\"d\":{\"field\":\"mgmt.firmware\",\"value\":{\"state\":1}}}"));
        NORMALISED.put(Normalisation.UPDATE_SINGLE_FIELD, s -> s.platform("iotdm-1/device/update",
                "{\"reqId\":\"u1\",\"d\":{\"field\":\"metadata\",\"value\":{}}}").answer("u1", 204));
        NORMALISED.put(Normalisation.FIELD_NAMES_AS_STRINGS, s -> s.platform("iotdm-1/cancel",
                "{\"reqId\":\"c1\",\"d\":{\"fields\":[\"mgmt.firmware\"]}}").answer("c1", 200));
        NORMALISED.put(Normalisation.NULL_REQ_ID, s -> s.device(NOTIFY,
                "{\"reqId\":null,\"d\":{\"fields\":[{\"field\":\"x\",\"value\":1}]}}"));
        NORMALISED.put(Normalisation.DEVICE_INFO_NULLS, s -> s.after(Duration.ofHours(1)).device(MANAGE,
                "{\"reqId\":\"m9\",\"d\":{\"lifetime\":3600,\"deviceInfo\":{\"serialNumber\":null}}}"));
        NORMALISED.put(Normalisation.SUPPORTS_AS_INTEGERS, s -> s.after(Duration.ofHours(1)).device(MANAGE,
                "{\"reqId\":\"m9\",\"d\":{\"lifetime\":3600,\"supports\":{\"deviceActions\":1}}}"));
        NORMALISED.put(Normalisation.ZONELESS_TIMESTAMP, s -> s.device("iotdevice-1/device/update/location",
                "{\"reqId\":\"l1\",\"d\":{\"latitude\":1,\"longitude\":2,\"measuredDateTime\":\"2026-11-25T10:00:00\"}}"));
        NORMALISED.put(Normalisation.EMPTY_TIMESTAMP, s -> s.firmwareObserved("o1", 0)
                .firmwareNotify("n1", "{\"state\":1,\"updatedDateTime\":\"\"}"));
    }

    @Test
    void every_normalisation_has_a_misbehaving_script() {
        assertThat(NORMALISED.keySet()).isEqualTo(EnumSet.allOf(Normalisation.class));
    }

    @ParameterizedTest
    @EnumSource(Normalisation.class)
    void each_codec_normalisation_is_reported_under_its_own_rule(Normalisation n) {
        CheckReport r = NORMALISED.get(n).apply(new Script().started()).report();
        String rule = RuleChecker.ruleFor(n);
        assertThat(r.violationsOf(rule)).as("%s -> %s in %s", n, rule, r.toText()).isNotEmpty();
        assertThat(r.violationsOf(rule).get(0).entry()).isPresent()
                .hasValueSatisfying(e -> assertThat(new String(e.payload(), StandardCharsets.UTF_8)).isNotEmpty());
    }
}
