package dev.iotdm.protocol.codec;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.codec.Wire.compact;
import static dev.iotdm.protocol.codec.Wire.decode;
import static dev.iotdm.protocol.codec.Wire.encode;

import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.Cancel;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.DeviceInfoField;
import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.DeviceUpdate;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LocationField;
import dev.iotdm.protocol.message.MetadataField;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.Observe;
import dev.iotdm.protocol.message.OtherField;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Timestamp;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Golden tests of device/update, observe, cancel and notify (protocol.md §3.8, §4.2-§4.4). */
class AttributesCodecTest {

    private static final String DEVICE_UPDATE = "iotdm-1/device/update";
    private static final String OBSERVE = "iotdm-1/observe";
    private static final String CANCEL = "iotdm-1/cancel";
    private static final String NOTIFY = "iotdevice-1/notify";
    private static final String DEVICE_RESPONSE = "iotdevice-1/response";

    // ---- device/update (§4.2) -----------------------------------------------------------------

    @Test
    void device_update_example_of_section_4_2_writes_the_whole_firmware_object() {
        String wire = """
                { "reqId": "f1e2…",
                  "d": { "fields": [
                    { "field": "mgmt.firmware",
                      "value": { "version": "1.0.4", "name": "t1000-fw", "uri": "https://example.com/fw/1.0.4.bin",
                                 "verifier": "9b2f…", "state": 0, "updateStatus": 0, "updatedDateTime": "" } } ] } }""";
        DeviceUpdate expected = DeviceUpdate.of("f1e2…", new FirmwareField(
                FirmwareInfo.ofImage("1.0.4", "t1000-fw", "https://example.com/fw/1.0.4.bin", "9b2f…")
                        .withState(FirmwareState.IDLE)
                        .withUpdateStatus(UpdateStatus.SUCCESS)));

        // "" is the platform's documented initial updatedDateTime: canonical in a device/update.
        assertThat(decode(DEVICE_UPDATE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact(wire));
    }

    @Test
    void device_update_firmware_value_always_carries_all_seven_keys_for_python_clients() {
        DeviceUpdate onlyUri = DeviceUpdate.of("f-2",
                new FirmwareField(FirmwareInfo.ofImage(null, null, "https://h/fw.bin", null)));

        assertThat(encode(onlyUri)).isEqualTo(compact("""
                {
                  "reqId": "f-2",
                  "d": {
                    "fields": [
                      {
                        "field": "mgmt.firmware",
                        "value": {
                          "uri": "https://h/fw.bin",
                          "updatedDateTime": ""
                        }
                      }
                    ]
                  }
                }"""));
    }

    @Test
    void device_update_firmware_with_a_platform_time_keeps_it() {
        String wire = """
                {
                  "reqId": "f-3",
                  "d": {
                    "fields": [
                      {
                        "field": "mgmt.firmware",
                        "value": { "state": 2, "updateStatus": 0, "updatedDateTime": "2018-05-01T10:15:31.000Z" }
                      }
                    ]
                  }
                }""";
        DeviceUpdate expected = DeviceUpdate.of("f-3", new FirmwareField(new FirmwareInfo(Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(FirmwareState.DOWNLOADED),
                Optional.of(UpdateStatus.SUCCESS), Optional.of(new Timestamp("2018-05-01T10:15:31.000Z")))));

        assertThat(decode(DEVICE_UPDATE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact(wire));
    }

    @Test
    void location_push_of_section_4_2_has_no_req_id_and_our_canonical_form_writes_doubles() {
        String wire = """
                { "d": { "fields": [ { "field": "location",
                   "value": { "latitude": 30.2, "longitude": -97.7, "elevation": 10, "accuracy": 3,
                              "measuredDateTime": "2018-05-01T10:15:30Z", "updatedDateTime": "2018-05-01T10:15:31Z" } } ] } }""";
        DeviceUpdate expected = new DeviceUpdate(Optional.empty(), List.of(new LocationField(
                new Location(30.2, -97.7, java.util.OptionalDouble.of(10), java.util.OptionalDouble.of(3),
                        Optional.of(new Timestamp("2018-05-01T10:15:30Z")),
                        Optional.of(new Timestamp("2018-05-01T10:15:31Z"))))));

        assertThat(decode(DEVICE_UPDATE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(expected.requestId()).isEmpty();
        assertThat(encode(expected)).isEqualTo(compact("""
                {
                  "d": {
                    "fields": [
                      {
                        "field": "location",
                        "value": {
                          "latitude": 30.2,
                          "longitude": -97.7,
                          "elevation": 10.0,
                          "accuracy": 3.0,
                          "measuredDateTime": "2018-05-01T10:15:30Z",
                          "updatedDateTime": "2018-05-01T10:15:31Z"
                        }
                      }
                    ]
                  }
                }"""));
    }

    @Test
    void device_update_of_metadata_device_info_and_an_unmodelled_field_in_one_request() {
        String wire = """
                {
                  "reqId": "f-4",
                  "d": {
                    "fields": [
                      { "field": "metadata", "value": { "owner": "ops", "tier": 2 } },
                      { "field": "deviceInfo", "value": { "serialNumber": "SN-0042", "descriptiveLocation": "building 8" } },
                      { "field": "mgmt.dormant", "value": false }
                    ]
                  }
                }""";
        DeviceUpdate expected = DeviceUpdate.of("f-4",
                new MetadataField(JsonObject.builder().put("owner", "ops").put("tier", 2).build()),
                new DeviceInfoField(DeviceInfo.builder().serialNumber("SN-0042").descriptiveLocation("building 8")
                        .build()),
                FieldValue.other("mgmt.dormant", JsonValue.parse("false")));

        assertThat(decode(DEVICE_UPDATE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact(wire));
    }

    @Test
    void device_update_in_the_oldest_single_field_template_is_normalised_to_a_fields_array() {
        String wire = """
                { "reqId": "f-5", "d": { "field": "metadata", "value": { "owner": "ops" } } }""";
        DeviceUpdate expected = DeviceUpdate.of("f-5",
                new MetadataField(JsonObject.builder().put("owner", "ops").build()));

        assertThat(decode(DEVICE_UPDATE, wire)).decodesTo(expected)
                .withNormalisations(Normalisation.UPDATE_SINGLE_FIELD);
        assertThat(encode(expected)).isEqualTo(compact("""
                { "reqId": "f-5", "d": { "fields": [ { "field": "metadata", "value": { "owner": "ops" } } ] } }"""));
    }

    @Test
    void field_entries_with_the_value_before_the_name_are_typed_by_the_name() {
        String wire = """
                {"reqId":"f-6","d":{"fields":[{"value":{"latitude":1.5,"longitude":2.5},"field":"location"}]}}""";

        assertThat(decode(DEVICE_UPDATE, wire))
                .decodesTo(DeviceUpdate.of("f-6", new LocationField(Location.of(1.5, 2.5))))
                .withoutNormalisations();
    }

    // ---- observe (§4.3) -----------------------------------------------------------------------

    @Test
    void observe_example_of_section_4_3_names_fields_as_objects() {
        String wire = """
                { "reqId": "909b…", "d": { "fields": [ { "field": "mgmt.firmware" } ] } }""";

        assertThat(decode(OBSERVE, wire)).decodesTo(Observe.of("909b…", "mgmt.firmware")).withoutNormalisations();
        assertThat(encode(Observe.of("909b…", "mgmt.firmware"))).isEqualTo(compact(wire));
    }

    @Test
    void observe_in_the_reference_template_shape_names_fields_as_strings() {
        String wire = """
                { "reqId": "909b…", "d": { "fields": [ "mgmt.firmware", "location" ] } }""";
        Observe expected = Observe.of("909b…", "mgmt.firmware", "location");

        assertThat(decode(OBSERVE, wire)).decodesTo(expected)
                .withNormalisations(Normalisation.FIELD_NAMES_AS_STRINGS);
        assertThat(encode(expected)).isEqualTo(compact("""
                {
                  "reqId": "909b…",
                  "d": { "fields": [ { "field": "mgmt.firmware" }, { "field": "location" } ] }
                }"""));
    }

    @Test
    void observe_response_of_section_4_3_carries_the_current_value_of_each_field() {
        String wire = """
                { "rc": 200, "reqId": "909b…",
                  "d": { "fields": [ { "field": "mgmt.firmware", "value": { "state": 0, "updateStatus": 0 } } ] } }""";
        List<FieldValue> values = List.of(new FirmwareField(
                FirmwareInfo.ofState(FirmwareState.IDLE).withUpdateStatus(UpdateStatus.SUCCESS)));
        DeviceResponse expected = DeviceResponse.of("909b…", Rc.OK).withD(ResponseViews.observedValuesData(values));

        assertThat(decode(DEVICE_RESPONSE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(ResponseViews.observedValues(expected)).isEqualTo(values);
        assertThat(encode(expected)).isEqualTo(compact(wire));
    }

    // ---- cancel (§4.4) ------------------------------------------------------------------------

    @Test
    void cancel_example_of_section_4_4_and_its_response() {
        String wire = """
                { "reqId": "d9ca…", "d": { "fields": [ { "field": "mgmt.firmware" } ] } }""";
        String response = """
                {"rc":200,"reqId":"d9ca…"}""";

        assertThat(decode(CANCEL, wire)).decodesTo(Cancel.of("d9ca…", "mgmt.firmware")).withoutNormalisations();
        assertThat(encode(Cancel.of("d9ca…", "mgmt.firmware"))).isEqualTo(compact(wire));
        assertThat(decode(DEVICE_RESPONSE, response)).decodesTo(DeviceResponse.of("d9ca…", Rc.OK))
                .withoutNormalisations();
        assertThat(encode(DeviceResponse.of("d9ca…", Rc.OK))).isEqualTo(response);
    }

    @Test
    void cancel_in_the_reference_template_shape_names_fields_as_strings() {
        assertThat(decode(CANCEL, """
                {"reqId":"d9ca…","d":{"fields":["mgmt.firmware"]}}"""))
                .decodesTo(Cancel.of("d9ca…", "mgmt.firmware"))
                .withNormalisations(Normalisation.FIELD_NAMES_AS_STRINGS);
    }

    @Test
    void cancel_with_a_message_when_rc_is_not_200() {
        String response = """
                {"rc":500,"reqId":"d9ca…","message":"observation store unavailable"}""";
        DeviceResponse expected = DeviceResponse.of("d9ca…", Rc.INTERNAL_ERROR, "observation store unavailable");

        assertThat(decode(DEVICE_RESPONSE, response)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(response);
    }

    // ---- notify (§3.8) ------------------------------------------------------------------------

    @Test
    void notify_fields_array_example_of_section_3_8_is_our_canonical_shape() {
        String wire = """
                { "d": { "fields": [ { "field": "mgmt.firmware", "value": { "state": 1 } } ] }, "reqId": "…optional…" }""";
        Notify expected = Notify.of("…optional…", new FirmwareField(FirmwareInfo.ofState(FirmwareState.DOWNLOADING)));

        assertThat(decode(NOTIFY, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact(wire));
    }

    @Test
    void notify_single_field_example_of_section_3_8_is_normalised_to_a_fields_array() {
        String wire = """
                { "d": { "field": "deviceInfo.fwVersion", "value": "1.0.4" }, "reqId": "…" }""";
        Notify expected = Notify.of("…", new OtherField("deviceInfo.fwVersion", new JsonString("1.0.4")));

        assertThat(decode(NOTIFY, wire)).decodesTo(expected).withNormalisations(Normalisation.NOTIFY_SINGLE_FIELD);
        assertThat(encode(expected)).isEqualTo(compact("""
                {
                  "d": { "fields": [ { "field": "deviceInfo.fwVersion", "value": "1.0.4" } ] },
                  "reqId": "…"
                }"""));
    }

    @Test
    void notify_of_several_attributes_changed_by_one_operation() {
        String wire = """
                {
                  "d": {
                    "fields": [
                      { "field": "mgmt.firmware", "value": { "state": 0, "updateStatus": 0 } },
                      { "field": "deviceInfo", "value": { "fwVersion": "2.0" } }
                    ]
                  },
                  "reqId": "n-1"
                }""";
        Notify expected = Notify.of("n-1",
                new FirmwareField(FirmwareInfo.ofState(FirmwareState.IDLE).withUpdateStatus(UpdateStatus.SUCCESS)),
                new DeviceInfoField(DeviceInfo.builder().fwVersion("2.0").build()));

        assertThat(decode(NOTIFY, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact(wire));
    }

    @Test
    void notify_with_an_empty_updated_date_time_from_a_device_is_a_leniency() {
        assertThat(decode(NOTIFY, """
                {"d":{"fields":[{"field":"mgmt.firmware","value":{"state":2,"updatedDateTime":""}}]},"reqId":"n-2"}"""))
                .decodesTo(Notify.of("n-2", new FirmwareField(FirmwareInfo.ofState(FirmwareState.DOWNLOADED))))
                .withNormalisations(Normalisation.EMPTY_TIMESTAMP);
    }
}
