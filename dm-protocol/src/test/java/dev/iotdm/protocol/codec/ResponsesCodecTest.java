package dev.iotdm.protocol.codec;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThatThrownBy;
import static dev.iotdm.protocol.codec.Wire.compact;
import static dev.iotdm.protocol.codec.Wire.decode;
import static dev.iotdm.protocol.codec.Wire.encode;

import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Golden tests of the response envelope both ways and of the typed views of its d (§2.1, §4, §5). */
class ResponsesCodecTest {

    private static final String DEVICE_RESPONSE = "iotdevice-1/response";
    private static final String PLATFORM_RESPONSE = "iotdm-1/response";

    @Test
    void response_with_every_envelope_part_in_the_templates_order_is_written_rc_req_id_message_d() {
        String wire = """
                { "rc": 500, "message": "optional text", "d": { "detail": 1 }, "reqId": "q-1" }""";
        PlatformResponse expected = new PlatformResponse(Rc.INTERNAL_ERROR, Optional.of("q-1"),
                Optional.of("optional text"), Optional.of(JsonValue.parse("{\"detail\":1}")));

        assertThat(decode(PLATFORM_RESPONSE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact("""
                {
                  "rc": 500,
                  "reqId": "q-1",
                  "message": "optional text",
                  "d": { "detail": 1 }
                }"""));
    }

    @Test
    void platform_response_with_the_req_id_first_as_the_c_parser_expects_is_canonical_in_meaning() {
        String wire = """
                {"reqId":"q-2","rc":409}""";
        PlatformResponse expected = PlatformResponse.of("q-2", Rc.CONFLICT);

        assertThat(decode(PLATFORM_RESPONSE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo("{\"rc\":409,\"reqId\":\"q-2\"}");
    }

    @Test
    void device_update_failure_of_section_4_2_lists_the_names_of_the_failed_fields() {
        String wire = """
                { "rc": 404, "reqId": "f1e2…", "d": { "fields": [ "metadata" ] } }""";
        DeviceResponse expected = DeviceResponse.of("f1e2…", Rc.NOT_FOUND)
                .withD(ResponseViews.failedFieldNamesData(List.of("metadata")));

        assertThat(decode(DEVICE_RESPONSE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(ResponseViews.failedFieldNames(expected)).containsExactly("metadata");
        assertThat(encode(expected)).isEqualTo(compact(wire));
    }

    @Test
    void device_update_failure_with_500_and_a_message() {
        String wire = """
                {"rc":500,"reqId":"f-9","message":"flash write failed","d":{"fields":["deviceInfo","location"]}}""";
        DeviceResponse expected = DeviceResponse.of("f-9", Rc.INTERNAL_ERROR, "flash write failed")
                .withD(ResponseViews.failedFieldNamesData(List.of("deviceInfo", "location")));

        assertThat(decode(DEVICE_RESPONSE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(ResponseViews.failedFieldNames(expected)).containsExactly("deviceInfo", "location");
        assertThat(encode(expected)).isEqualTo(wire);
    }

    @Test
    void observe_failure_of_section_4_3_lists_entries_with_only_field() {
        String wire = """
                {
                  "rc": 404,
                  "reqId": "909b…",
                  "d": { "fields": [ { "field": "mgmt.firmware" }, { "field": "location" } ] }
                }""";
        DeviceResponse expected = DeviceResponse.of("909b…", Rc.NOT_FOUND)
                .withD(JsonValue.parse("{\"fields\":[{\"field\":\"mgmt.firmware\"},{\"field\":\"location\"}]}"));

        assertThat(decode(DEVICE_RESPONSE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(ResponseViews.failedFieldNames(expected)).containsExactly("mgmt.firmware", "location");
        assertThat(encode(expected)).isEqualTo(compact(wire));
    }

    @Test
    void observed_values_of_a_response_without_d_are_empty() {
        assertThat(ResponseViews.observedValues(DeviceResponse.of("x", Rc.OK))).isEmpty();
        assertThat(ResponseViews.failedFieldNames(DeviceResponse.of("x", Rc.NOT_FOUND))).isEmpty();
    }

    @Test
    void observed_values_written_by_the_codec_read_back_typed() {
        List<dev.iotdm.protocol.message.FieldValue> values =
                List.of(new FirmwareField(FirmwareInfo.ofState(FirmwareState.DOWNLOADED)));

        assertThat(ResponseViews.observedValuesData(values).toJson())
                .isEqualTo("{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"state\":2}}]}");
        assertThat(ResponseViews.observedValues(DeviceResponse.of("x", Rc.OK)
                .withD(ResponseViews.observedValuesData(values)))).isEqualTo(values);
    }

    @Test
    void a_d_of_the_wrong_shape_for_the_view_is_reported_with_its_path() {
        DeviceResponse array = DeviceResponse.of("x", Rc.OK).withD(JsonValue.parse("[1]"));
        DeviceResponse badName = DeviceResponse.of("x", Rc.NOT_FOUND).withD(JsonValue.parse("{\"fields\":[1]}"));
        DeviceResponse badValue = DeviceResponse.of("x", Rc.OK)
                .withD(JsonValue.parse("{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"state\":9}}]}"));

        assertThatThrownBy(() -> ResponseViews.observedValues(array))
                .isInstanceOf(InvalidResponseDataException.class)
                .hasMessage("response data is not as expected: d: expected an object, got an array");
        assertThatThrownBy(() -> ResponseViews.failedFieldNames(badName))
                .isInstanceOf(InvalidResponseDataException.class)
                .hasMessage("response data is not as expected: d.fields[0]: expected an object or a string, "
                        + "got an integer");
        assertThatThrownBy(() -> ResponseViews.observedValues(badValue))
                .isInstanceOf(InvalidResponseDataException.class)
                .hasMessage("response data is not as expected: d.fields[0].value.state: 9 is outside [0, 2]");
    }

    @Test
    void an_rc_the_protocol_does_not_define_survives_decoding_and_encoding() {
        String wire = """
                {"rc":299,"reqId":"q-3"}""";
        DeviceResponse expected = DeviceResponse.of("q-3", Rc.of(299));

        assertThat(decode(DEVICE_RESPONSE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(expected.rc().known()).isEmpty();
        assertThat(encode(expected)).isEqualTo(wire);
    }

    @Test
    void response_data_may_be_any_json_and_is_kept_as_written() {
        String wire = """
                {"rc":200,"reqId":"q-4","d":[1,"two",{"three":3.0}]}""";

        assertThat(decode(DEVICE_RESPONSE, wire))
                .decodesTo(DeviceResponse.of("q-4", Rc.OK).withD(JsonValue.parse("[1,\"two\",{\"three\":3.0}]")))
                .withoutNormalisations();
    }

    @Test
    void platform_response_with_a_message_and_data() {
        PlatformResponse r = PlatformResponse.of("q-5", Rc.BAD_REQUEST, "lifetime too short")
                .withD(JsonValue.parse("{\"min\":3600}"));

        assertThat(encode(r)).isEqualTo("{\"rc\":400,\"reqId\":\"q-5\",\"message\":\"lifetime too short\","
                + "\"d\":{\"min\":3600}}");
        assertThat(decode(PLATFORM_RESPONSE, encode(r))).decodesTo(r).withoutNormalisations();
        assertThat(r.requestId()).hasValue("q-5");
    }
}
