package dev.iotdm.testkit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Mutation check (issue 11, item 8): deliberately broken devices are each caught with the right rule
 * id, at the right level, and the violation carries the transcript line that broke it (or, where the
 * end of the run revealed it, none). Each test prints the minimal transcript in its failure message.
 */
class MutationDeviceTest {

    private static final String DOWNLOAD = "iotdm-1/mgmt/initiate/firmware/download";

    private static Script readyToDownload() {
        return new Script().started().firmwareObserved("o1", 0);
    }

    private static void assertCaught(Script s, String ruleId, RuleLevel level, boolean withEntry) {
        CheckReport r = s.report();
        String transcript = s.transcript().toText();
        assertThat(r.violatedRuleIds()).as(transcript).contains(ruleId);
        assertThat(r.violationsOf(ruleId)).as(transcript).allSatisfy(v -> {
            assertThat(v.level()).isEqualTo(level);
            assertThat(v.entry().isPresent()).isEqualTo(withEntry);
        });
        assertThat(Verdict.of(r, Audience.OUR_DEVICE).passed()).as(transcript).isFalse();
    }

    @Test
    void a_device_answering_202_to_a_download_while_downloading_is_caught_as_dm_fw_download() {
        Script s = readyToDownload().platform(DOWNLOAD, "{\"reqId\":\"d1\"}").answer("d1", 202)
                .firmwareNotify("n1", "{\"state\":1}")
                .platform(DOWNLOAD, "{\"reqId\":\"d2\"}").answer("d2", 202);
        assertCaught(s, "DM-FW-DOWNLOAD", RuleLevel.REQUIRED, true);
        assertThat(Verdict.of(s.report(), Audience.EXTERNAL_DEVICE).passed()).isFalse();
    }

    @Test
    void a_device_re_managing_on_every_suback_is_caught_as_r12_15() {
        Script s = new Script().connect();
        for (int i = 1; i <= 3; i++) {
            s.device("iotdevice-1/mgmt/manage", Script.manage("suback-" + i));
        }
        s.platformAnswer("suback-1", 200).platformAnswer("suback-2", 200).platformAnswer("suback-3", 200);
        assertCaught(s, "R12.15-ONE-MANAGE", RuleLevel.RECOMMENDED, true);
        assertThat(s.report().violationsOf("R12.15-ONE-MANAGE")).hasSize(2);
    }

    @Test
    void a_device_that_never_answers_a_reboot_is_caught_as_dm_action_1() {
        Script s = new Script().started().platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"b1\"}")
                .finish();
        assertCaught(s, "DM-ACTION-1", RuleLevel.REQUIRED, false);
        assertThat(s.report().violationsOf("DM-ACTION-1").get(0).detail()).contains("reqId b1 never answered");
    }

    @Test
    void a_device_that_drops_the_connection_without_answering_a_reboot_is_caught_as_dm_action_1() {
        Script s = new Script().started().platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"b1\"}")
                .disconnect();
        assertCaught(s, "DM-ACTION-1", RuleLevel.REQUIRED, false);
    }

    @Test
    void a_device_notifying_state_2_before_its_202_is_caught_as_dm_fw_notify() {
        Script s = readyToDownload().platform(DOWNLOAD, "{\"reqId\":\"d1\"}")
                .firmwareNotify("n1", "{\"state\":2}").answer("d1", 202);
        assertCaught(s, "DM-FW-NOTIFY", RuleLevel.REQUIRED, true);
        assertThat(s.report().violationsOf("DM-FW-NOTIFY").get(0).detail())
                .contains("from 0 to 2 although no download was accepted (202) first");
    }

    @Test
    void a_device_reusing_a_req_id_with_a_different_answer_is_caught_as_r12_25() {
        Script s = new Script().started()
                .platform("iotdm-1/device/update", "{\"reqId\":\"u1\",\"d\":{\"fields\":[{\"field\":\"metadata\","
                        + "\"value\":{\"a\":1}}]}}")
                .answer("u1", 204).answer("u1", 500);
        assertCaught(s, "R12.25-ONE-RESPONSE", RuleLevel.RECOMMENDED, true);
    }
}
