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
}
