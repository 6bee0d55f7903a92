package dev.iotdm.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicFiltersTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "iotdm-1/#, iotdm-1/response, true",
        "iotdm-1/#, iotdm-1/mgmt/custom/b/a, true",
        "iotdm-1/#, iotdm-1, true",
        "iotdm-1/#, iotdevice-1/response, false",
        "iot-2/cmd/+/fmt/+, iot-2/cmd/reboot/fmt/json, true",
        "iot-2/cmd/+/fmt/+, iot-2/cmd/reboot/fmt, false",
        "iot-2/cmd/+/fmt/+, iot-2/cmd/a/b/fmt/json, false",
        "iotdm-1/response, iotdm-1/response, true",
        "iotdm-1/response, iotdm-1/response/x, false",
        "+, a, true",
        "+, a/b, false",
        "#, a/b/c, true",
        "a/+/c, a//c, true",
    })
    void filters_match_as_mqtt_defines(String filter, String topic, boolean expected) {
        assertThat(TopicFilters.matches(filter, topic)).isEqualTo(expected);
    }
}
