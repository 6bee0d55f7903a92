package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThatThrownBy;

import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonValue;
import org.junit.jupiter.api.Test;

class DeviceStateJsonTest {

    private static final String GOOD = """
            {"version":1,
             "firmware":{"state":2,"updateStatus":0},
             "phase":"DOWNLOADED",
             "answered":[]}""";

    private static DeviceState read(String json) {
        return DeviceStateJson.fromJson((JsonObject) JsonValue.parse(json));
    }

    @Test
    void a_state_it_wrote_reads_back() {
        assertThat(read(DeviceStateJson.toJson(read(GOOD)).toJson())).isEqualTo(read(GOOD));
    }

    @Test
    void an_unknown_format_version_is_refused_naming_the_key() {
        assertThatThrownBy(() -> read(GOOD.replace("\"version\":1", "\"version\":999")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("version:").hasMessageContaining("999");
    }

    @Test
    void an_out_of_range_firmware_state_is_refused_naming_the_key() {
        assertThatThrownBy(() -> read(GOOD.replace("\"state\":2", "\"state\":99")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("firmware.state: 99 is out of range");
    }

    @Test
    void an_out_of_range_update_status_is_refused_naming_the_key() {
        assertThatThrownBy(() -> read(GOOD.replace("\"updateStatus\":0", "\"updateStatus\":42")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("firmware.updateStatus: 42 is out of range");
    }

    @Test
    void an_unknown_phase_is_refused_naming_the_key() {
        assertThatThrownBy(() -> read(GOOD.replace("DOWNLOADED", "EXPLODED")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("phase: 'EXPLODED'");
    }

    private static final String OBSERVED = """
            {"version":2,
             "firmware":{"state":0,"updateStatus":0},
             "phase":"IDLE",
             "answered":[],
             "observed":["mgmt.firmware","location"],
             "acknowledged":{"mgmt.firmware":{"state":1,"updateStatus":0}}}""";

    @Test
    void format_2_keeps_the_observed_fields_and_their_acknowledged_values() {
        DeviceState s = read(OBSERVED);

        assertThat(s.observed()).containsExactly("mgmt.firmware", "location");
        assertThat(s.acknowledged()).containsOnlyKeys("mgmt.firmware");
        assertThat(read(DeviceStateJson.toJson(s).toJson())).isEqualTo(s);
        assertThat(DeviceStateJson.toJson(s).get("version")).contains(dev.iotdm.protocol.json.JsonNumber.of(2));
    }

    @Test
    void format_1_reads_as_nothing_observed() {
        DeviceState s = read(GOOD);

        assertThat(s.observed()).isEmpty();
        assertThat(s.acknowledged()).isEmpty();
    }

    @Test
    void an_acknowledged_value_of_a_field_not_observed_is_refused_naming_the_key() {
        assertThatThrownBy(() -> read(OBSERVED.replace("\"mgmt.firmware\",\"location\"", "\"location\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("acknowledged.mgmt.firmware: the field is not observed");
    }
}
