package dev.iotdm.testkit.broker;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The platform's topic rules for devices (protocol.md §1.9, §1.10, §2.2), without a broker. */
class DevicePermissionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"iotdevice-1/mgmt/manage", "iotdevice-1/response", "iotdevice-1/notify",
            "iotdevice-1/add/diag/log", "iot-2/evt/status/fmt/json", "iot-2/evt/e/fmt/bin"})
    void device_may_publish_on_dm_and_its_event_topics(String topic) {
        assertThat(DevicePermissions.mayPublish(topic)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"iotdevice-1/", "iotdevice-1", "iotdm-1/response", "iot-2/cmd/reboot/fmt/json",
            "iot-2/evt/status/fmt", "iot-2/evt//fmt/json", "iot-2/evt/status/fmt/json/extra",
            "iot-2/type/t/id/d/evt/e/fmt/json", "foo/bar", "", "/iotdevice-1/mgmt/manage"})
    void device_may_not_publish_elsewhere(String topic) {
        assertThat(DevicePermissions.mayPublish(topic)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"iotdm-1/#", "iotdm-1/response", "iotdm-1/mgmt/custom/#", "iotdm-1/+/x",
            "iot-2/cmd/+/fmt/+", "iot-2/cmd/reboot/fmt/json", "iot-2/cmd/+/fmt/json"})
    void device_may_subscribe_within_dm_requests_and_its_commands(String filter) {
        assertThat(DevicePermissions.maySubscribe(filter)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+/#", "iotdm-1", "iotdm-1/", "iotdevice-1/#", "iotdevice-1/+",
            "iot-2/cmd/#", "iot-2/cmd/+/fmt/#", "iot-2/cmd/+/+/+", "iot-2/evt/+/fmt/+", "iot-2/#",
            "iot-2/type/t/id/d/cmd/+/fmt/+", "$share/g/iotdm-1/#", "iot-2/cmd/a+/fmt/json"})
    void device_may_not_subscribe_beyond_them(String filter) {
        assertThat(DevicePermissions.maySubscribe(filter)).isFalse();
    }
}
