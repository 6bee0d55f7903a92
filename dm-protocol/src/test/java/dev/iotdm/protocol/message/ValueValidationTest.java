package dev.iotdm.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.topic.CustomActionTopic;
import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Values and messages refuse bad input from callers with a message naming the field. */
class ValueValidationTest {

    @Test
    void location_coordinates_must_be_on_the_globe() {
        assertThat(Location.of(-90, -180).latitude()).isEqualTo(-90);
        assertThat(Location.of(90, 180).longitude()).isEqualTo(180);
        assertThatThrownBy(() -> Location.of(90.0001, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latitude must be within [-90, 90], got 90.0001");
        assertThatThrownBy(() -> Location.of(Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latitude must be within [-90, 90], got NaN");
        assertThatThrownBy(() -> Location.of(0, -180.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("longitude must be within [-180, 180], got -180.5");
    }

    @Test
    void location_elevation_must_be_finite_and_accuracy_not_negative() {
        assertThat(Location.of(0, 0).withElevation(-420).elevation()).isEqualTo(OptionalDouble.of(-420));
        assertThat(Location.of(0, 0).withAccuracy(0).accuracy()).isEqualTo(OptionalDouble.of(0));
        assertThatThrownBy(() -> Location.of(0, 0).withElevation(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("elevation must be a finite number, got Infinity");
        assertThatThrownBy(() -> Location.of(0, 0).withAccuracy(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("accuracy must be a finite number >= 0, got -1.0");
        assertThatThrownBy(() -> Location.of(0, 0).withAccuracy(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("accuracy must be a finite number >= 0, got NaN");
    }

    @Test
    void supports_bundle_ids_must_be_valid_and_not_the_flag_names() {
        assertThat(Supports.of(true, false, "b1", "b2", "b1").bundleIds()).containsExactly("b1", "b2");
        assertThatThrownBy(() -> Supports.of(true, true, "bad id")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bundleId may contain only letters, digits, '.', '_' and '-': 'bad id'");
        assertThatThrownBy(() -> Supports.of(true, true, "firmwareActions"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bundleId 'firmwareActions' clashes with the supports flag of that name");
        assertThat(Supports.NONE).isEqualTo(Supports.of(false, false));
    }

    @Test
    void supports_copies_the_callers_list() {
        List<String> ids = new ArrayList<>(List.of("b1"));
        Supports s = new Supports(false, false, ids);
        ids.add("b2");

        assertThat(s.bundleIds()).containsExactly("b1");
        assertThatThrownBy(() -> s.bundleIds().add("b3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void device_info_knows_only_its_eight_attributes() {
        DeviceInfo info = DeviceInfo.builder().set("model", "T1000").hwVersion("rev B").build();

        assertThat(DeviceInfo.KEYS).hasSize(8);
        assertThat(info.get("model")).hasValue("T1000");
        assertThat(info.get("colour")).isEmpty();
        assertThat(info.toBuilder().build()).isEqualTo(info);
        assertThat(info.withFwVersion("2.0").fwVersion()).hasValue("2.0");
        assertThat(info.withFwVersion("2.0").model()).hasValue("T1000");
        assertThat(DeviceInfo.EMPTY.get("serialNumber")).isEmpty();
        assertThatThrownBy(() -> DeviceInfo.builder().set("colour", "red"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deviceInfo has no attribute 'colour'; known: [serialNumber, manufacturer, model, "
                        + "deviceClass, description, fwVersion, hwVersion, descriptiveLocation]");
    }

    @Test
    void manage_lifetime_is_0_or_at_least_an_hour() {
        assertThat(Manage.checkLifetime(0)).isZero();
        assertThat(Manage.checkLifetime(3600)).isEqualTo(3600);
        assertThat(Manage.checkLifetime(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
        for (long bad : new long[] {1, 3599, -1, Integer.MAX_VALUE + 1L}) {
            assertThatThrownBy(() -> new Manage("m", OptionalLong.of(bad), Optional.empty(), Optional.empty(),
                    Optional.empty())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("lifetime must be 0 (never dormant) or between 3600 and 2147483647 seconds, got " + bad);
        }
    }

    @Test
    void notify_and_device_update_need_at_least_one_field() {
        assertThatThrownBy(() -> new Notify(Optional.of("n"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a notify needs at least one field");
        assertThatThrownBy(() -> new DeviceUpdate(Optional.empty(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a device/update needs at least one field");
    }

    @Test
    void observe_and_cancel_field_names_must_not_be_empty() {
        assertThatThrownBy(() -> Observe.of("o", "location", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("field names must not be empty");
        assertThatThrownBy(() -> Cancel.of("c", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("field names must not be empty");
        assertThat(Observe.of("o").fields()).isEmpty();
    }

    @Test
    void a_typed_attribute_cannot_hide_in_an_other_field() {
        for (String typed : List.of(FieldValue.FIRMWARE, FieldValue.LOCATION, FieldValue.DEVICE_INFO,
                FieldValue.METADATA)) {
            assertThat(FieldValue.isTyped(typed)).isTrue();
            assertThatThrownBy(() -> FieldValue.other(typed, new JsonString("x")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field '" + typed + "' has a typed record; use it instead of OtherField");
        }
        assertThat(FieldValue.other("mgmt.firmware.state", new JsonString("x")).field()).isEqualTo("mgmt.firmware.state");
    }

    @Test
    void typed_fields_name_themselves() {
        assertThat(new FirmwareField(FirmwareInfo.EMPTY).field()).isEqualTo("mgmt.firmware");
        assertThat(new LocationField(Location.of(0, 0)).field()).isEqualTo("location");
        assertThat(new DeviceInfoField(DeviceInfo.EMPTY).field()).isEqualTo("deviceInfo");
        assertThat(new MetadataField(JsonObject.EMPTY).field()).isEqualTo("metadata");
    }

    @Test
    void message_lists_are_immutable_copies() {
        List<FieldValue> fields = new ArrayList<>(List.of(new MetadataField(JsonObject.EMPTY)));
        Notify n = new Notify(Optional.empty(), fields);
        fields.clear();

        assertThat(n.fields()).hasSize(1);
        assertThatThrownBy(() -> n.fields().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void missing_parts_are_named() {
        assertThatThrownBy(() -> new Reboot(null)).isInstanceOf(NullPointerException.class).hasMessage("reqId");
        assertThatThrownBy(() -> new AddLog("r", null)).isInstanceOf(NullPointerException.class).hasMessage("entry");
        assertThatThrownBy(() -> new UpdateLocation("r", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("location");
        assertThatThrownBy(() -> new CustomAction("r", null, List.of())).isInstanceOf(NullPointerException.class)
                .hasMessage("topic");
        assertThatThrownBy(() -> new Parameter(null, new JsonString("v"))).isInstanceOf(NullPointerException.class)
                .hasMessage("name");
    }

    static Stream<Arguments> messages() {
        CustomActionTopic custom = new CustomActionTopic("b", "a");
        return Stream.of(
                Arguments.of(new Manage("r", OptionalLong.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty()), DmTopic.MANAGE, Optional.of("r")),
                Arguments.of(new Unmanage("r"), DmTopic.UNMANAGE, Optional.of("r")),
                Arguments.of(new UpdateLocation("r", Location.of(0, 0)), DmTopic.UPDATE_LOCATION, Optional.of("r")),
                Arguments.of(new AddErrorCode("r", 1), DmTopic.ADD_ERROR_CODE, Optional.of("r")),
                Arguments.of(new ClearErrorCodes("r"), DmTopic.CLEAR_ERROR_CODES, Optional.of("r")),
                Arguments.of(new AddLog("r", new LogEntry("m", new Timestamp("2018-05-01T10:15:30Z"),
                        Optional.empty(), LogSeverity.ERROR)), DmTopic.ADD_LOG, Optional.of("r")),
                Arguments.of(new ClearLog("r"), DmTopic.CLEAR_LOG, Optional.of("r")),
                Arguments.of(new Notify(Optional.empty(), List.of(new MetadataField(JsonObject.EMPTY))),
                        DmTopic.NOTIFY, Optional.empty()),
                Arguments.of(DeviceResponse.of("r", Rc.OK), DmTopic.DEVICE_RESPONSE, Optional.of("r")),
                Arguments.of(PlatformResponse.of("r", Rc.OK), DmTopic.PLATFORM_RESPONSE, Optional.of("r")),
                Arguments.of(new DeviceUpdate(Optional.empty(), List.of(new MetadataField(JsonObject.EMPTY))),
                        DmTopic.DEVICE_UPDATE, Optional.empty()),
                Arguments.of(Observe.of("r", "location"), DmTopic.OBSERVE, Optional.of("r")),
                Arguments.of(Cancel.of("r", "location"), DmTopic.CANCEL, Optional.of("r")),
                Arguments.of(new Reboot("r"), DmTopic.REBOOT, Optional.of("r")),
                Arguments.of(new FactoryReset("r"), DmTopic.FACTORY_RESET, Optional.of("r")),
                Arguments.of(new FirmwareDownload("r"), DmTopic.FIRMWARE_DOWNLOAD, Optional.of("r")),
                Arguments.of(new FirmwareUpdate("r"), DmTopic.FIRMWARE_UPDATE, Optional.of("r")),
                Arguments.of(new CustomAction("r", custom, List.of()), custom, Optional.of("r")));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("messages")
    void every_message_knows_its_topic_and_request_id(Message m, Topic topic, Optional<String> reqId) {
        assertThat(m.topic()).isEqualTo(topic);
        assertThat(m.requestId()).isEqualTo(reqId);
    }

    @Test
    void log_severities_have_the_codes_of_section_3_6() {
        assertThat(LogSeverity.fromCode(0)).hasValue(LogSeverity.INFORMATIONAL);
        assertThat(LogSeverity.fromCode(1)).hasValue(LogSeverity.WARNING);
        assertThat(LogSeverity.fromCode(2)).hasValue(LogSeverity.ERROR);
        assertThat(LogSeverity.fromCode(3)).isEmpty();
        assertThat(LogSeverity.ERROR.code()).isEqualTo(2);
    }

    @Test
    void log_data_that_is_not_base64_has_no_bytes() {
        LogEntry raw = new LogEntry("m", new Timestamp("2018-05-01T10:15:30Z"), Optional.of("not base64!"),
                LogSeverity.INFORMATIONAL);

        assertThat(raw.dataBytes()).isEmpty();
        assertThat(LogEntry.of("m", raw.timestamp(), (byte[]) null, LogSeverity.INFORMATIONAL).data()).isEmpty();
    }
}
