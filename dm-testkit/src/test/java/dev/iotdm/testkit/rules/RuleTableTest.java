package dev.iotdm.testkit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The rule table renders one row per rule as text, JUnit XML and JSON, with the verdict. */
class RuleTableTest {

    private static CheckReport failingReport() {
        // A download accepted while downloading (required), a notify without reqId (recommended), and
        // a reqId with a newline and markup to show the escaping.
        return new Script().started().firmwareObserved("o1", 0)
                .platform("iotdm-1/mgmt/initiate/firmware/download", "{\"reqId\":\"d1\"}").answer("d1", 202)
                .device("iotdevice-1/notify", "{\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"state\":1}}]}}")
                .platform("iotdm-1/mgmt/initiate/firmware/download", "{\"reqId\":\"<d2>\\n&\"}").answer("<d2>\\n&", 202)
                .report();
    }

    @Test
    void a_clean_run_has_no_failed_row_and_one_row_per_rule() {
        RuleTable t = RuleTable.of("dev1", WellBehavedDeviceTest.wellBehaved().report(), Audience.EXTERNAL_DEVICE);
        assertThat(t.rows()).hasSize(RuleBook.standard().rules().size());
        assertThat(t.count(RuleTable.Status.FAILED)).isZero();
        assertThat(t.count(RuleTable.Status.DEVIATION)).isZero();
        assertThat(t.toText()).contains("PASSED (external device)", "DM-FW-DOWNLOAD", "required");
    }

    @Test
    void the_text_names_each_failing_rule_with_its_level_and_the_breaking_message() {
        RuleTable t = RuleTable.of("d:org1:sensor:dev1", failingReport(), Audience.EXTERNAL_DEVICE);
        assertThat(t.verdict().passed()).isFalse();
        assertThat(t.toText()).contains("FAILED (external device)")
                .containsPattern("DM-FW-DOWNLOAD +required +yes +1x +failed")
                .containsPattern("R12.3-NOTIFY-REQID +recommended +yes +1x +deviation")
                .contains("download accepted (202) in state 1");
    }

    @Test
    void the_junit_xml_is_well_formed_with_one_test_case_per_rule_and_a_failure_for_a_failing_rule() throws Exception {
        RuleTable t = RuleTable.of("dev1", failingReport(), Audience.EXTERNAL_DEVICE);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(t.toJUnitXml().getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(t.rows().size());
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(1);
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("1");
        assertThat(doc.getElementsByTagName("failure").item(0).getParentNode().getAttributes().getNamedItem("name")
                .getNodeValue()).isEqualTo("DM-FW-DOWNLOAD");
    }

    @Test
    void the_json_carries_the_verdict_and_every_rule() {
        RuleTable t = RuleTable.of("dev1", failingReport(), Audience.EXTERNAL_DEVICE);
        JsonObject o = (JsonObject) JsonValue.parse(t.toJson());
        assertThat(o.get("passed").orElseThrow().toJson()).isEqualTo("false");
        assertThat(o.get("failures").orElseThrow().toJson()).isEqualTo("1");
        assertThat(t.toJson()).contains("\"id\":\"DM-FW-DOWNLOAD\",\"level\":\"required\"");
    }
}
