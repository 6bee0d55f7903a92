package dev.iotdm.testkit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What devices in the field showed the checker got wrong, each fixed (issue 11, item 1). */
class FieldFixesTest {

    private static final String RESPONSE = "iotdevice-1/response";
    private static final String MANAGE = "iotdevice-1/mgmt/manage";
    private static final String OBSERVE = "iotdm-1/observe";

    // ---- one answer per reqId ---------------------------------------------------------------

    @Test
    void an_identical_answer_again_after_a_reconnect_is_an_informational_redelivery() {
        CheckReport r = new Script().started()
                .platform(OBSERVE, "{\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"metadata\"}]}}")
                .device(RESPONSE, "{\"rc\":200,\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"metadata\",\"value\":{}}]}}")
                .disconnect().connect().managed("m2")
                .device(RESPONSE, "{\"rc\":200,\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"metadata\",\"value\":{}}]}}")
                .report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-RESP-4");
        assertThat(r.violationsOf("DM-RESP-4")).singleElement()
                .satisfies(v -> assertThat(v.level()).isEqualTo(RuleLevel.INFORMATIONAL))
                .satisfies(v -> assertThat(v.detail()).contains("QoS 1 redelivery"));
        assertThat(Verdict.of(r, Audience.OUR_DEVICE).passed()).isTrue();
    }

    @Test
    void a_different_second_answer_is_r12_25() {
        CheckReport r = new Script().started().platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"b1\"}")
                .answer("b1", 202).answer("b1", 501).report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.25-ONE-RESPONSE");
        assertThat(r.violationsOf("R12.25-ONE-RESPONSE")).singleElement()
                .satisfies(v -> assertThat(v.detail()).contains("second, different response (rc 501)"));
    }

    // ---- a platform 404 to an unknown device topic ------------------------------------------

    @Test
    void the_platforms_404_to_a_request_on_an_unknown_device_topic_is_a_valid_answer() {
        CheckReport r = new Script().started()
                .device("iotdevice-1/mgmt/teleport", "{\"reqId\":\"t1\",\"d\":{}}")
                .platformAnswer("t1", 404).report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-TOPIC-1");
        assertThat(r.violationsOf("DM-REQ-1")).isEmpty();
        assertThat(Verdict.of(r, Audience.EXTERNAL_DEVICE).failures()).extracting(Violation::ruleId)
                .containsExactly("DM-TOPIC-1");
    }

    // ---- R12.5 and an empty value ----------------------------------------------------------

    @Test
    void an_observe_answer_with_an_empty_firmware_value_misses_the_current_value() {
        CheckReport r = new Script().started()
                .platform(OBSERVE, "{\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\"}]}}")
                .device(RESPONSE, "{\"rc\":200,\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\","
                        + "\"value\":{}}]}}").report();
        assertThat(r.violatedRuleIds()).containsExactly("R12.5-OBSERVE-VALUES");
        assertThat(r.violationsOf("R12.5-OBSERVE-VALUES")).singleElement()
                .satisfies(v -> assertThat(v.detail()).contains("empty value {} for mgmt.firmware"));
    }

    // ---- R12.13's message ---------------------------------------------------------------------

    @Test
    void a_lifetime_under_3600_sent_as_0_is_named_as_such_not_as_the_remaining_time() {
        CheckReport r = new Script().started().after(Duration.ofSeconds(5))
                .device(MANAGE, Script.manage("m2").replace("\"lifetime\":3600", "\"lifetime\":0"))
                .platformAnswer("m2", 200).report();
        assertThat(r.violationsOf("R12.13-LIFETIME-BOUNDS")).singleElement().satisfies(v -> assertThat(v.detail())
                .contains("a lifetime under 3600 s sent as 0").doesNotContain("remaining time"));
    }

    @Test
    void a_smaller_positive_re_manage_lifetime_is_still_blamed_on_the_remaining_time() {
        CheckReport r = new Script().connect()
                .device(MANAGE, Script.manage("m1").replace("\"lifetime\":3600", "\"lifetime\":7200"))
                .platformAnswer("m1", 200).after(Duration.ofSeconds(3500))
                .device(MANAGE, Script.manage("m2").replace("\"lifetime\":3600", "\"lifetime\":3700"))
                .platformAnswer("m2", 200).report();
        assertThat(r.violationsOf("R12.13-LIFETIME-BOUNDS")).singleElement()
                .satisfies(v -> assertThat(v.detail()).contains("remaining time"));
    }

    // ---- a firmware state the platform wrote -----------------------------------------------

    private static Script downloadedThenPlatformWritesIdle() {
        return new Script().started().firmwareObserved("o1", 2)
                .platform("iotdm-1/device/update", "{\"reqId\":\"u1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\","
                        + "\"value\":{\"name\":\"fw\",\"version\":\"2.0\",\"uri\":\"http://127.0.0.1/fw.bin\","
                        + "\"verifier\":\"abc\",\"state\":0,\"updateStatus\":0,\"updatedDateTime\":\"\"}}]}}")
                .answer("u1", 204);
    }

    @Test
    void an_update_refused_by_a_device_that_adopted_the_platforms_state_0_is_not_charged() {
        CheckReport r = downloadedThenPlatformWritesIdle()
                .platform("iotdm-1/mgmt/initiate/firmware/update", "{\"reqId\":\"f1\"}").answer("f1", 400).report();
        assertThat(r.violations()).as(r.toText()).isEmpty();
        assertThat(r.exercised()).contains("DM-FW-UPDATE");
    }

    @Test
    void an_update_accepted_by_a_device_that_kept_its_own_state_2_is_not_charged() {
        CheckReport r = downloadedThenPlatformWritesIdle()
                .platform("iotdm-1/mgmt/initiate/firmware/update", "{\"reqId\":\"f1\"}").answer("f1", 202).report();
        assertThat(r.violations()).as(r.toText()).isEmpty();
    }

    @Test
    void once_the_device_tells_its_state_again_the_written_one_no_longer_counts() {
        CheckReport r = downloadedThenPlatformWritesIdle().firmwareObserved("o2", 2)
                .platform("iotdm-1/mgmt/initiate/firmware/update", "{\"reqId\":\"f1\"}").answer("f1", 400).report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-FW-UPDATE");
    }

    // ---- subscriptions ------------------------------------------------------------------------

    @Test
    void a_manage_published_before_the_devices_subscribe_is_dm_manage_4() {
        CheckReport r = Script.withLiveSubscriptions().connect().managed("m1").subscribe("iotdm-1/#").report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-MANAGE-4");
        assertThat(r.violationsOf("DM-MANAGE-4").get(0).level()).isEqualTo(RuleLevel.RECOMMENDED);
    }

    @Test
    void a_manage_after_the_subscribe_is_fine_and_exercises_the_rule() {
        CheckReport r = Script.withLiveSubscriptions().connect().subscribe("iotdm-1/#").managed("m1").report();
        assertThat(r.violations()).isEmpty();
        assertThat(r.exercised()).contains("DM-MANAGE-4");
    }

    @Test
    void a_device_that_never_subscribes_is_one_finding_not_one_unanswered_request_each() {
        CheckReport r = Script.withLiveSubscriptions().connect().managed("m1")
                .platform(OBSERVE, "{\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\"}]}}")
                .platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"b1\"}")
                .platform("iotdm-1/device/update", "{\"reqId\":\"u1\",\"d\":{\"fields\":[{\"field\":\"metadata\","
                        + "\"value\":{}}]}}")
                .finish().report();
        assertThat(r.violationsOf("DM-SUB-1")).singleElement()
                .satisfies(v -> assertThat(v.detail()).contains("subscribed: nothing"));
        assertThat(r.violatedRuleIds()).containsExactlyInAnyOrder("DM-SUB-1", "DM-MANAGE-4");
    }

    @Test
    void topic_by_topic_subscriptions_reach_the_topics_they_name() {
        CheckReport r = Script.withLiveSubscriptions().connect().subscribe("iotdm-1/response", "iotdm-1/observe")
                .managed("m1")
                .platform(OBSERVE, "{\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"metadata\"}]}}")
                .device(RESPONSE, "{\"rc\":200,\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"metadata\",\"value\":{}}]}}")
                .platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"b1\"}").finish().report();
        assertThat(r.violationsOf("DM-SUB-1")).singleElement()
                .satisfies(v -> assertThat(v.detail()).contains("iotdm-1/mgmt/initiate/device/reboot"));
        assertThat(r.violationsOf("DM-ACTION-1")).isEmpty();
    }

    // ---- the end of a run ---------------------------------------------------------------------

    @Test
    void a_request_still_unanswered_when_the_run_ends_is_dm_resp_3() {
        CheckReport r = new Script().started()
                .platform(OBSERVE, "{\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"metadata\"}]}}").finish().report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-RESP-3");
        assertThat(r.violationsOf("DM-RESP-3").get(0).detail()).contains("iotdm-1/observe reqId o1 never answered");
    }

    @Test
    void a_request_lost_with_an_earlier_connection_is_not_charged_at_the_end() {
        CheckReport r = new Script().started()
                .platform(OBSERVE, "{\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"metadata\"}]}}")
                .disconnect().connect().managed("m2").finish().report();
        assertThat(r.violations()).isEmpty();
    }

    @Test
    void a_device_back_from_an_accepted_reboot_without_manage_is_dm_action_2() {
        CheckReport r = new Script().started().platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"b1\"}")
                .answer("b1", 202).disconnect().connect()
                .device("iotdevice-1/add/diag/errorCodes", "{\"reqId\":\"e1\",\"d\":{\"errorCode\":1}}").report();
        assertThat(r.violationsOf("DM-ACTION-2")).singleElement()
                .satisfies(v -> assertThat(v.detail()).contains("instead of manage"));
    }

    @Test
    void a_device_that_manages_again_without_dropping_the_connection_completes_the_reboot() {
        CheckReport r = new Script().started().platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"b1\"}")
                .answer("b1", 202).after(Duration.ofSeconds(200)).managed("m2").finish().report();
        assertThat(r.violationsOf("DM-ACTION-2")).isEmpty();
        assertThat(r.exercised()).contains("DM-ACTION-2");
    }

    @Test
    void a_device_that_never_manages_after_an_accepted_factory_reset_is_dm_action_2_at_the_end() {
        CheckReport r = new Script().started()
                .platform("iotdm-1/mgmt/initiate/device/factory_reset", "{\"reqId\":\"f1\"}").answer("f1", 202)
                .disconnect().finish().report();
        assertThat(r.violatedRuleIds()).containsExactly("DM-ACTION-2");
    }
}
