package dev.iotdm.protocol.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing and formatting of every topic kind (protocol.md §2.2, §8.3, §10.1, §10.2). */
class TopicTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(DmTopic.class)
    void every_fixed_dm_topic_parses_to_itself_and_formats_back(DmTopic topic) {
        assertThat(Topic.parse(topic.topicName())).isSameAs(topic);
        assertThat(DmTopic.byName(topic.topicName())).containsSame(topic);
        assertThat(topic.toString()).isEqualTo(topic.topicName());
        assertThat(topic.direction()).isEqualTo(topic.topicName().startsWith("iotdevice-1/")
                ? Direction.DEVICE_TO_PLATFORM : Direction.PLATFORM_TO_DEVICE);
    }

    @Test
    void the_fixed_topics_are_exactly_those_of_section_2_2() {
        assertThat(DmTopic.values()).extracting(DmTopic::topicName).containsExactly(
                "iotdevice-1/mgmt/manage",
                "iotdevice-1/mgmt/unmanage",
                "iotdevice-1/device/update/location",
                "iotdevice-1/add/diag/errorCodes",
                "iotdevice-1/clear/diag/errorCodes",
                "iotdevice-1/add/diag/log",
                "iotdevice-1/clear/diag/log",
                "iotdevice-1/notify",
                "iotdevice-1/response",
                "iotdm-1/response",
                "iotdm-1/device/update",
                "iotdm-1/observe",
                "iotdm-1/cancel",
                "iotdm-1/mgmt/initiate/device/reboot",
                "iotdm-1/mgmt/initiate/device/factory_reset",
                "iotdm-1/mgmt/initiate/firmware/download",
                "iotdm-1/mgmt/initiate/firmware/update");
        assertThat(DmTopic.DEVICE_SUBSCRIPTION).isEqualTo("iotdm-1/#");
        assertThat(CommandTopic.DEVICE_SUBSCRIPTION).isEqualTo("iot-2/cmd/+/fmt/+");
    }

    @Test
    void custom_action_topic_round_trips_with_its_bundle_and_action() {
        CustomActionTopic t = new CustomActionTopic("acme-plugins-v1", "installPlugin");

        assertThat(t.topicName()).isEqualTo("iotdm-1/mgmt/custom/acme-plugins-v1/installPlugin");
        assertThat(Topic.parse(t.topicName())).isEqualTo(t);
        assertThat(t.direction()).isEqualTo(Direction.PLATFORM_TO_DEVICE);
        assertThat(t).hasToString(t.topicName());
    }

    @Test
    void event_topic_round_trips_with_its_id_and_format() {
        EventTopic t = new EventTopic("status", "json");

        assertThat(t.topicName()).isEqualTo("iot-2/evt/status/fmt/json");
        assertThat(Topic.parse(t.topicName())).isEqualTo(t);
        assertThat(t.direction()).isEqualTo(Direction.DEVICE_TO_PLATFORM);
        assertThat(t).hasToString(t.topicName());
        assertThat(Topic.parse("iot-2/evt/fmt/fmt/fmt")).isEqualTo(new EventTopic("fmt", "fmt"));
    }

    @Test
    void command_topic_round_trips_with_its_id_and_format() {
        CommandTopic t = new CommandTopic("reboot", "txt");

        assertThat(t.topicName()).isEqualTo("iot-2/cmd/reboot/fmt/txt");
        assertThat(Topic.parse(t.topicName())).isEqualTo(t);
        assertThat(t.direction()).isEqualTo(Direction.PLATFORM_TO_DEVICE);
        assertThat(t).hasToString(t.topicName());
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {
        "iotdm-1/mgmt/custom/acme/install/now",
        "iotdm-1/mgmt/custom/acme",
        "iotdm-1/mgmt/custom/acme/",
        "iotdm-1/mgmt/custom//install",
        "iotdm-1/mgmt/custom/acme v1/install",
        "iotdm-1/mgmt/custom/+/install",
        "iotdm-1/mgmt/custom/acme/#",
        "iot-2/evt/a/b/fmt/json",
        "iot-2/evt//fmt/json",
        "iot-2/evt/a/fmt/",
        "iot-2/evt/a/fmt/json/extra",
        "iot-2/evt/+/fmt/json",
        "iot-2/evt/#",
        "iot-2/evt/status",
        "iot-2/cmd/+/fmt/+",
        "iot-2/cmd/a/fmt/b/c",
        "iot-2/cmd/a\u0000b/fmt/json",
        "iotdm-1/observe/",
        "/iotdm-1/observe",
        "IOTDM-1/observe",
        "iotdm-1/#",
        "iot-2/type/t/id/d/evt/status/fmt/json",
        ""
    })
    void names_that_are_not_one_of_our_topics_parse_to_an_unknown_topic_kept_verbatim(String name) {
        Topic t = Topic.parse(name);

        assertThat(t).isEqualTo(new UnknownTopic(name));
        assertThat(t.topicName()).isEqualTo(name);
        assertThat(t.direction()).isNull();
    }

    @Test
    void a_null_name_parses_to_an_empty_unknown_topic() {
        assertThat(Topic.parse(null)).isEqualTo(new UnknownTopic(""));
    }

    @Test
    void an_unknown_topic_knows_which_dm_namespace_it_is_in() {
        assertThat(new UnknownTopic("iotdm-1/bogus").isDmNamespace()).isTrue();
        assertThat(new UnknownTopic("iotdm-1/bogus").isDeviceDmNamespace()).isFalse();
        assertThat(new UnknownTopic("iotdevice-1/bogus").isDeviceDmNamespace()).isTrue();
        assertThat(new UnknownTopic("iotdevice-1/bogus").isDmNamespace()).isFalse();
        assertThat(new UnknownTopic("iot-2/evt/a/b/fmt/json").isDmNamespace()).isFalse();
        assertThat(new UnknownTopic("iotdm-1x/bogus")).hasToString("iotdm-1x/bogus");
        assertThatThrownBy(() -> new UnknownTopic(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("topicName");
    }

    @Test
    void topic_constructors_refuse_levels_that_would_change_the_topic() {
        assertThatThrownBy(() -> new EventTopic("a/b", "json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("eventId must not contain '/': 'a/b'");
        assertThatThrownBy(() -> new EventTopic("status", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("format must not be empty: ''");
        assertThatThrownBy(() -> new CommandTopic("+", "json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("commandId must not contain '+': '+'");
        assertThatThrownBy(() -> new CommandTopic("reboot", "#"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("format must not contain '#': '#'");
        assertThatThrownBy(() -> new CustomActionTopic("acme v1", "install"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bundleId may contain only letters, digits, '.', '_' and '-': 'acme v1'");
        assertThatThrownBy(() -> new CustomActionTopic("acme", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("actionId must not be empty");
    }
}
