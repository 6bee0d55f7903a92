package dev.iotdm.testkit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every rule has a level chosen with care, and the one {@link Verdict} applies them per audience. */
class RuleLevelsTest {

    private static final RuleBook BOOK = RuleBook.standard();

    @Test
    void what_breaks_the_protocol_is_required() {
        assertThat(List.of("DM-RC-1", "DM-FW-DOWNLOAD", "DM-FW-UPDATE", "DM-FW-NOTIFY", "DM-ACTION-1", "DM-ACTION-2",
                "DM-RESP-1", "DM-RESP-3", "DM-SUB-1", "C13.6-REMANAGE-BEFORE-EXPIRY", "C13.7-PAYLOAD-LIMIT", "DM-ENV-1"))
                .allSatisfy(id -> assertThat(BOOK.require(id).level()).as(id).isEqualTo(RuleLevel.REQUIRED));
    }

    @Test
    void no_recommendation_of_section_12_is_required() {
        assertThat(BOOK.rules()).filteredOn(r -> r.id().startsWith("R12."))
                .allSatisfy(r -> assertThat(r.level()).as(r.id()).isEqualTo(RuleLevel.RECOMMENDED));
    }

    @Test
    void what_the_real_platform_tolerated_from_old_clients_is_not_required() {
        // protocol.md §14: notify without reqId, observe answers without values, QoS 0, a manage per
        // SUBACK, manage before SUBSCRIBE, local timestamps, raw log data, integer supports, null reqIds.
        assertThat(List.of("R12.3-NOTIFY-REQID", "R12.5-OBSERVE-VALUES", "R12.17-DM-QOS-1", "R12.15-ONE-MANAGE",
                "DM-MANAGE-4", "R12.21-UTC-TIMESTAMPS", "DM-LOG-1", "R12.19-SUPPORTS-BOOLEAN", "I14-NULL-REQID",
                "R12.12-NO-REPLY-WITHOUT-REQID", "R12.25-ONE-RESPONSE", "R12.14-REMANAGE-ON-RECONNECT",
                "DM-MANAGE-1", "R12.24-DEVICE-INFO-VALUES"))
                .allSatisfy(id -> assertThat(BOOK.require(id).level()).as(id).isNotEqualTo(RuleLevel.REQUIRED));
    }

    @Test
    void a_redelivered_answer_is_informational() {
        assertThat(BOOK.require("DM-RESP-4").level()).isEqualTo(RuleLevel.INFORMATIONAL);
    }

    @Test
    void levels_have_their_rule_book_names() {
        assertThat(RuleLevel.REQUIRED.wireName()).isEqualTo("required");
        assertThat(RuleLevel.fromWireName("informational")).contains(RuleLevel.INFORMATIONAL);
        assertThat(RuleLevel.fromWireName("Required")).isEmpty();
    }

    @Test
    void a_violation_carries_the_level_of_its_rule() {
        CheckReport r = new Script().started().device("iotdevice-1/notify",
                "{\"d\":{\"fields\":[{\"field\":\"location\",\"value\":{\"latitude\":1,\"longitude\":2}}]}}").report();
        assertThat(r.violationsOf("R12.3-NOTIFY-REQID")).singleElement()
                .satisfies(v -> assertThat(v.level()).isEqualTo(RuleLevel.RECOMMENDED))
                .satisfies(v -> assertThat(v.toString()).contains("(recommended)"));
    }

    // ---- verdict -----------------------------------------------------------------------------

    private static Violation violation(String ruleId) {
        return new Violation(ruleId, Script.CLIENT, Instant.EPOCH, "d", Optional.empty());
    }

    private static CheckReport reportOf(String... ruleIds) {
        return new CheckReport(List.of(ruleIds).stream().map(RuleLevelsTest::violation).toList(), java.util.Set.of(),
                java.util.Set.of());
    }

    @Test
    void an_external_device_with_only_recommended_violations_passes_with_deviations() {
        Verdict v = Verdict.of(reportOf("R12.3-NOTIFY-REQID", "R12.15-ONE-MANAGE"), Audience.EXTERNAL_DEVICE);
        assertThat(v.passed()).isTrue();
        assertThat(v.exitCode()).isZero();
        assertThat(v.deviations()).extracting(Violation::ruleId)
                .containsExactly("R12.3-NOTIFY-REQID", "R12.15-ONE-MANAGE");
        assertThat(v.summary()).startsWith("PASSED (external device): 0 failing violation(s), 2 deviation(s)");
    }

    @Test
    void an_external_device_fails_on_a_required_rule_that_binds_it() {
        Verdict v = Verdict.of(reportOf("R12.3-NOTIFY-REQID", "DM-RC-1"), Audience.EXTERNAL_DEVICE);
        assertThat(v.passed()).isFalse();
        assertThat(v.exitCode()).isEqualTo(1);
        assertThat(v.failures()).extracting(Violation::ruleId).containsExactly("DM-RC-1");
        assertThat(v.toText()).contains("failing:", "DM-RC-1 (required)", "deviations (reported, not failing):");
    }

    @Test
    void a_required_rule_the_platform_broke_is_not_charged_to_an_external_device() {
        Verdict v = Verdict.of(reportOf("DM-REQ-1"), Audience.EXTERNAL_DEVICE);
        assertThat(v.passed()).isTrue();
        assertThat(v.deviations()).extracting(Violation::ruleId).containsExactly("DM-REQ-1");
    }

    @Test
    void our_device_fails_on_a_recommended_rule_and_on_the_platforms_fault() {
        assertThat(Verdict.of(reportOf("R12.3-NOTIFY-REQID"), Audience.OUR_DEVICE).passed()).isFalse();
        assertThat(Verdict.of(reportOf("DM-REQ-1"), Audience.OUR_DEVICE).passed()).isFalse();
    }

    @Test
    void an_informational_finding_fails_nobody() {
        for (Audience a : Audience.values()) {
            Verdict v = Verdict.of(reportOf("DM-RESP-4"), a);
            assertThat(v.passed()).as(a.name()).isTrue();
            assertThat(v.deviations()).as(a.name()).hasSize(1);
        }
    }

    @Test
    void a_clean_report_passes_both_audiences() {
        CheckReport clean = WellBehavedDeviceTest.wellBehaved().report();
        assertThat(Verdict.of(clean, Audience.OUR_DEVICE).passed()).isTrue();
        assertThat(Verdict.of(clean, Audience.EXTERNAL_DEVICE).passed()).isTrue();
    }
}
