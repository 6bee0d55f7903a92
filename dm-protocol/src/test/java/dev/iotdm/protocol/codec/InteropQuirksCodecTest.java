package dev.iotdm.protocol.codec;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.codec.Wire.compact;
import static dev.iotdm.protocol.codec.Wire.decode;
import static dev.iotdm.protocol.codec.Wire.encode;

import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.AddLog;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.DeviceUpdate;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LogEntry;
import dev.iotdm.protocol.message.LogSeverity;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.MetadataField;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Supports;
import dev.iotdm.protocol.message.Timestamp;
import dev.iotdm.protocol.message.UpdateLocation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * What the four old clients of protocol.md §14 put on the wire: each payload decodes to the
 * canonical meaning, with the leniency named, and our canonical encoding of it is stated.
 */
class InteropQuirksCodecTest {

    private static final String MANAGE = "iotdevice-1/mgmt/manage";
    private static final String LOCATION = "iotdevice-1/device/update/location";
    private static final String ADD_LOG = "iotdevice-1/add/diag/log";
    private static final String NOTIFY = "iotdevice-1/notify";
    private static final String DEVICE_RESPONSE = "iotdevice-1/response";

    private static String withGeneratedReqId(Notify n) {
        return Wire.withReqIdPlaceholder(encode(new Notify(Optional.of(Wire.generatedReqId()), n.fields())));
    }

    // ---- manage -------------------------------------------------------------------------------

    @Test
    void ibmiotf_manage_with_null_device_info_attributes_python_spacing_and_empty_metadata() {
        String wire = "{\"d\": {\"lifetime\": 3600, \"supports\": {\"deviceActions\": true, \"firmwareActions\": true}, "
                + "\"deviceInfo\": {\"serialNumber\": \"SN-7\", \"manufacturer\": null, \"model\": null, "
                + "\"deviceClass\": null, \"description\": null, \"fwVersion\": \"1.0\", \"hwVersion\": null, "
                + "\"descriptiveLocation\": null}, \"metadata\": {}}, \"reqId\": \"py-1\"}";
        Manage expected = new Manage("py-1", OptionalLong.of(3600), Optional.of(Supports.of(true, true)),
                Optional.of(DeviceInfo.builder().serialNumber("SN-7").fwVersion("1.0").build()),
                Optional.of(JsonObject.EMPTY));

        assertThat(decode(MANAGE, wire)).decodesTo(expected).withNormalisations(Normalisation.DEVICE_INFO_NULLS);
        assertThat(encode(expected)).isEqualTo(compact("""
                {
                  "d": {
                    "lifetime": 3600,
                    "supports": { "deviceActions": true, "firmwareActions": true },
                    "deviceInfo": { "serialNumber": "SN-7", "fwVersion": "1.0" },
                    "metadata": {}
                  },
                  "reqId": "py-1"
                }"""));
    }

    @Test
    void wiotp_manage_with_an_empty_device_info_object_is_read_as_sent() {
        // An empty deviceInfo is well-formed: it replaces the stored one with nothing (§12.24).
        String wire = "{\"d\": {\"lifetime\": 3600, \"supports\": {\"deviceActions\": true, "
                + "\"firmwareActions\": true}, \"deviceInfo\": {}, \"metadata\": {}}, \"reqId\": \"wp-1\"}";
        Manage expected = new Manage("wp-1", OptionalLong.of(3600), Optional.of(Supports.of(true, true)),
                Optional.of(DeviceInfo.EMPTY), Optional.of(JsonObject.EMPTY));

        assertThat(decode(MANAGE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo("{\"d\":{\"lifetime\":3600,\"supports\":{\"deviceActions\":true,"
                + "\"firmwareActions\":true},\"deviceInfo\":{},\"metadata\":{}},\"reqId\":\"wp-1\"}");
    }

    @Test
    void iot_java_manage_with_lifetime_last_is_reordered_in_our_encoding() {
        String wire = """
                {"d":{"supports":{"deviceActions":true,"firmwareActions":false,"acme-plugins-v1":true},"deviceInfo":{"serialNumber":"J-1","model":"jx"},"metadata":{"k":"v"},"lifetime":7200},"reqId":"j-1"}""";
        Manage expected = new Manage("j-1", OptionalLong.of(7200),
                Optional.of(Supports.of(true, false, "acme-plugins-v1")),
                Optional.of(DeviceInfo.builder().serialNumber("J-1").model("jx").build()),
                Optional.of(JsonObject.builder().put("k", "v").build()));

        assertThat(decode(MANAGE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo("{\"d\":{\"lifetime\":7200,\"supports\":{\"deviceActions\":true,"
                + "\"firmwareActions\":false,\"acme-plugins-v1\":true},\"deviceInfo\":{\"serialNumber\":\"J-1\","
                + "\"model\":\"jx\"},\"metadata\":{\"k\":\"v\"}},\"reqId\":\"j-1\"}");
    }

    @Test
    void iot_java_manage_without_lifetime_means_never_dormant() {
        String wire = """
                {"d":{"supports":{"deviceActions":false,"firmwareActions":false}},"reqId":"j-2"}""";

        assertThat(decode(MANAGE, wire)).decodesTo(new Manage("j-2", OptionalLong.empty(),
                Optional.of(Supports.NONE), Optional.empty(), Optional.empty())).withoutNormalisations();
    }

    @Test
    void node_manage_with_only_lifetime_and_supports_in_compact_key_order_is_canonical() {
        // Node published DM at QoS 0: irrelevant to the payload, which is already our canonical form.
        String wire = """
                {"d":{"lifetime":3600,"supports":{"deviceActions":true,"firmwareActions":true}},"reqId":"n-1"}""";
        Manage expected = new Manage("n-1", OptionalLong.of(3600), Optional.of(Supports.of(true, true)),
                Optional.empty(), Optional.empty());

        assertThat(decode(MANAGE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(wire);
    }

    @Test
    void c_manage_with_supports_flags_as_integers_is_read_as_booleans() {
        String wire = """
                {"d":{"lifetime":0,"supports":{"deviceActions":1,"firmwareActions":0},"deviceInfo":{"serialNumber":"C-1","manufacturer":"","model":""}},"reqId":"c-1"}""";
        Manage expected = new Manage("c-1", OptionalLong.of(0), Optional.of(Supports.of(true, false)),
                Optional.of(DeviceInfo.builder().serialNumber("C-1").manufacturer("").model("").build()),
                Optional.empty());

        assertThat(decode(MANAGE, wire)).decodesTo(expected).withNormalisations(Normalisation.SUPPORTS_AS_INTEGERS);
        assertThat(encode(expected)).isEqualTo("{\"d\":{\"lifetime\":0,\"supports\":{\"deviceActions\":true,"
                + "\"firmwareActions\":false},\"deviceInfo\":{\"serialNumber\":\"C-1\",\"manufacturer\":\"\","
                + "\"model\":\"\"}},\"reqId\":\"c-1\"}");
    }

    // ---- location -----------------------------------------------------------------------------

    @Test
    void ibmiotf_location_with_python_isoformat_microseconds_keeps_the_text() {
        String wire = "{\"d\": {\"latitude\": 30.2, \"longitude\": -97.7, \"elevation\": 10, "
                + "\"measuredDateTime\": \"2026-11-25T13:08:15.747566+00:00\"}, \"reqId\": \"py-2\"}";
        UpdateLocation expected = new UpdateLocation("py-2", Location.of(30.2, -97.7).withElevation(10)
                .withMeasuredDateTime(new Timestamp("2026-11-25T13:08:15.747566+00:00")));

        assertThat(decode(LOCATION, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo("{\"d\":{\"latitude\":30.2,\"longitude\":-97.7,\"elevation\":10.0,"
                + "\"measuredDateTime\":\"2026-11-25T13:08:15.747566+00:00\"},\"reqId\":\"py-2\"}");
    }

    @Test
    void iot_java_location_with_doubles_and_an_offset_in_seconds() {
        String wire = """
                {"d":{"longitude":-97.7,"latitude":30.2,"elevation":10.0,"accuracy":5.0,"measuredDateTime":"2026-11-25T13:10:25+00:00"},"reqId":"j-3"}""";
        UpdateLocation expected = new UpdateLocation("j-3", Location.of(30.2, -97.7).withElevation(10)
                .withAccuracy(5).withMeasuredDateTime(new Timestamp("2026-11-25T13:10:25+00:00")));

        assertThat(decode(LOCATION, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo("{\"d\":{\"latitude\":30.2,\"longitude\":-97.7,\"elevation\":10.0,"
                + "\"accuracy\":5.0,\"measuredDateTime\":\"2026-11-25T13:10:25+00:00\"},\"reqId\":\"j-3\"}");
    }

    @Test
    void node_location_with_milliseconds_and_z_is_our_canonical_timestamp() {
        String wire = """
                {"d":{"latitude":30.2,"longitude":-97.7,"measuredDateTime":"2026-11-25T13:18:55.340Z"},"reqId":"n-2"}""";
        Timestamp ts = new Timestamp("2026-11-25T13:18:55.340Z");
        UpdateLocation expected = new UpdateLocation("n-2", Location.of(30.2, -97.7).withMeasuredDateTime(ts));

        assertThat(decode(LOCATION, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(wire);
        assertThat(Timestamp.of(ts.toInstant(java.time.ZoneOffset.UTC))).isEqualTo(ts);
    }

    // ---- logs ---------------------------------------------------------------------------------

    @Test
    void ibmiotf_log_with_a_zoneless_local_timestamp_and_raw_data_is_kept_as_sent() {
        String wire = "{\"d\": {\"message\": \"disk nearly full\", \"timestamp\": \"2026-11-25T13:08:16.748536\", "
                + "\"data\": \"some data\", \"severity\": 1}, \"reqId\": \"py-3\"}";
        AddLog expected = new AddLog("py-3", new LogEntry("disk nearly full",
                new Timestamp("2026-11-25T13:08:16.748536"), Optional.of("some data"), LogSeverity.WARNING));

        assertThat(decode(ADD_LOG, wire)).decodesTo(expected).withNormalisations(Normalisation.ZONELESS_TIMESTAMP);
        assertThat(expected.entry().timestamp().isZoneless()).isTrue();
        // Raw text is not base64: the bytes cannot be recovered, the text is kept.
        assertThat(expected.entry().dataBytes()).isEmpty();
        assertThat(encode(expected)).isEqualTo("{\"d\":{\"message\":\"disk nearly full\","
                + "\"timestamp\":\"2026-11-25T13:08:16.748536\",\"data\":\"some data\",\"severity\":1},"
                + "\"reqId\":\"py-3\"}");
    }

    @Test
    void iot_java_log_with_base64_data_decodes_its_bytes() {
        String wire = """
                {"d":{"message":"m","timestamp":"2026-11-25T13:10:26+00:00","data":"c29tZSBkYXRh","severity":2},"reqId":"j-4"}""";
        AddLog expected = new AddLog("j-4", new LogEntry("m", new Timestamp("2026-11-25T13:10:26+00:00"),
                Optional.of("c29tZSBkYXRh"), LogSeverity.ERROR));

        assertThat(decode(ADD_LOG, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(expected.entry().dataBytes()).hasValueSatisfying(
                b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("some data"));
        assertThat(encode(expected)).isEqualTo(wire);
    }

    // ---- responses ----------------------------------------------------------------------------

    @Test
    void iot_java_response_to_a_device_update_push_with_a_null_req_id_is_read_as_no_req_id() {
        String wire = """
                {"rc":204,"reqId":null}""";
        DeviceResponse expected = new DeviceResponse(Rc.CHANGED, Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(decode(DEVICE_RESPONSE, wire)).decodesTo(expected).withNormalisations(Normalisation.NULL_REQ_ID);
        assertThat(encode(expected)).isEqualTo("{\"rc\":204}");
    }

    @Test
    void node_response_to_a_device_update_push_without_req_id() {
        String wire = """
                {"rc":204}""";
        DeviceResponse expected = new DeviceResponse(Rc.CHANGED, Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(decode(DEVICE_RESPONSE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(wire);
    }

    @Test
    void c_and_csharp_response_with_rc_as_a_string_is_read_as_a_number() {
        String wire = """
                {"rc":"202","message":"Device action initiated immediately","reqId":"c1"}""";
        DeviceResponse expected = DeviceResponse.of("c1", Rc.ACCEPTED, "Device action initiated immediately");

        assertThat(decode(DEVICE_RESPONSE, wire)).decodesTo(expected).withNormalisations(Normalisation.RC_AS_STRING);
        assertThat(encode(expected)).isEqualTo(
                "{\"rc\":202,\"reqId\":\"c1\",\"message\":\"Device action initiated immediately\"}");
    }

    @Test
    void python_action_response_with_an_empty_message_keeps_it() {
        String wire = "{\"rc\": 202, \"message\": \"\", \"reqId\": \"c3\"}";
        DeviceResponse expected = DeviceResponse.of("c3", Rc.ACCEPTED, "");

        assertThat(decode(DEVICE_RESPONSE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo("{\"rc\":202,\"reqId\":\"c3\",\"message\":\"\"}");
    }

    @Test
    void iot_java_action_response_with_the_req_id_first_and_no_message() {
        String wire = """
                {"reqId":"c4","rc":501}""";

        assertThat(decode(DEVICE_RESPONSE, wire)).decodesTo(DeviceResponse.of("c4", Rc.NOT_IMPLEMENTED))
                .withoutNormalisations();
        assertThat(encode(DeviceResponse.of("c4", Rc.NOT_IMPLEMENTED))).isEqualTo("{\"rc\":501,\"reqId\":\"c4\"}");
    }

    @Test
    void python_observe_response_without_d_has_no_observed_values() {
        String wire = """
                {"rc":200,"message":"","reqId":"o-1"}""";
        DeviceResponse expected = DeviceResponse.of("o-1", Rc.OK, "");

        assertThat(decode(DEVICE_RESPONSE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(ResponseViews.observedValues(expected)).isEmpty();
        assertThat(encode(expected)).isEqualTo("{\"rc\":200,\"reqId\":\"o-1\",\"message\":\"\"}");
    }

    @Test
    void node_observe_response_with_an_empty_firmware_value_reads_as_an_empty_firmware_object() {
        String wire = """
                {"rc":200,"reqId":"o-2","d":{"fields":[{"field":"mgmt.firmware","value":{}}]}}""";
        DecodeResult r = decode(DEVICE_RESPONSE, wire);

        assertThat(r).withoutNormalisations();
        DeviceResponse response = (DeviceResponse) ((Decoded) r).message();
        assertThat(ResponseViews.observedValues(response)).containsExactly(new FirmwareField(FirmwareInfo.EMPTY));
        assertThat(encode(response)).isEqualTo(wire);
    }

    @Test
    void iot_java_observe_response_with_d_first_and_the_whole_firmware_object() {
        String wire = """
                {"d":{"fields":[{"field":"mgmt.firmware","value":{"version":"2.0","name":"fw","uri":"https://h/fw.bin","verifier":"abc","state":0,"updateStatus":0}}]},"reqId":"o-3","rc":200}""";
        DecodeResult r = decode(DEVICE_RESPONSE, wire);

        assertThat(r).withoutNormalisations();
        DeviceResponse response = (DeviceResponse) ((Decoded) r).message();
        assertThat(ResponseViews.observedValues(response)).containsExactly(new FirmwareField(
                FirmwareInfo.ofImage("2.0", "fw", "https://h/fw.bin", "abc").withState(FirmwareState.IDLE)
                        .withUpdateStatus(UpdateStatus.SUCCESS)));
        assertThat(encode(response)).isEqualTo("{\"rc\":200,\"reqId\":\"o-3\",\"d\":{\"fields\":[{\"field\":"
                + "\"mgmt.firmware\",\"value\":{\"version\":\"2.0\",\"name\":\"fw\",\"uri\":\"https://h/fw.bin\","
                + "\"verifier\":\"abc\",\"state\":0,\"updateStatus\":0}}]}}");
    }

    // ---- notify -------------------------------------------------------------------------------

    @Test
    void python_firmware_notify_without_req_id_gains_our_generated_req_id() {
        String wire = """
                {"d":{"fields":[{"field":"mgmt.firmware","value":{"state":1}}]}}""";
        Notify expected = new Notify(Optional.empty(),
                List.of(new FirmwareField(FirmwareInfo.ofState(FirmwareState.DOWNLOADING))));

        assertThat(decode(NOTIFY, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(withGeneratedReqId(expected)).isEqualTo(
                "{\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"state\":1}}]},\"reqId\":\"<reqId>\"}");
    }

    @Test
    void python_update_status_notify_forces_state_idle_alongside() {
        String wire = "{\"d\": {\"fields\": [{\"field\": \"mgmt.firmware\", \"value\": {\"state\": 0, "
                + "\"updateStatus\": 1}}]}}";
        Notify expected = new Notify(Optional.empty(), List.of(new FirmwareField(
                FirmwareInfo.ofState(FirmwareState.IDLE).withUpdateStatus(UpdateStatus.IN_PROGRESS))));

        assertThat(decode(NOTIFY, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(withGeneratedReqId(expected)).isEqualTo("{\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\","
                + "\"value\":{\"state\":0,\"updateStatus\":1}}]},\"reqId\":\"<reqId>\"}");
    }

    @Test
    void iot_java_first_notify_carries_the_whole_firmware_object() {
        String wire = """
                {"d":{"fields":[{"field":"mgmt.firmware","value":{"name":"fw","version":"2.0","uri":"https://h/fw.bin","verifier":"abc","state":1}}]}}""";
        Notify expected = new Notify(Optional.empty(), List.of(new FirmwareField(
                FirmwareInfo.ofImage("2.0", "fw", "https://h/fw.bin", "abc").withState(FirmwareState.DOWNLOADING))));

        assertThat(decode(NOTIFY, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(withGeneratedReqId(expected)).isEqualTo("{\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\","
                + "\"value\":{\"version\":\"2.0\",\"name\":\"fw\",\"uri\":\"https://h/fw.bin\",\"verifier\":\"abc\","
                + "\"state\":1}}]},\"reqId\":\"<reqId>\"}");
    }

    @Test
    void python_notify_field_change_in_the_single_field_shape_without_req_id() {
        String wire = "{\"d\": {\"field\": \"metadata\", \"value\": {\"owner\": \"ops\"}}}";
        Notify expected = new Notify(Optional.empty(),
                List.of(new MetadataField(JsonObject.builder().put("owner", "ops").build())));

        assertThat(decode(NOTIFY, wire)).decodesTo(expected).withNormalisations(Normalisation.NOTIFY_SINGLE_FIELD);
        assertThat(withGeneratedReqId(expected)).isEqualTo(
                "{\"d\":{\"fields\":[{\"field\":\"metadata\",\"value\":{\"owner\":\"ops\"}}]},\"reqId\":\"<reqId>\"}");
    }

    // ---- platform pushes ----------------------------------------------------------------------

    @Test
    void metadata_push_without_req_id_is_a_device_update_that_wants_no_answer() {
        String wire = """
                {"d":{"fields":[{"field":"metadata","value":{"owner":"ops"}}]}}""";
        DeviceUpdate expected = new DeviceUpdate(Optional.empty(),
                List.<FieldValue>of(new MetadataField(JsonObject.builder().put("owner", "ops").build())));

        assertThat(decode("iotdm-1/device/update", wire)).decodesTo(expected).withoutNormalisations();
        assertThat(expected.requestId()).isEmpty();
        assertThat(encode(expected)).isEqualTo(wire);
    }

    @Test
    void several_leniencies_in_one_payload_are_listed_in_order_of_first_occurrence_once_each() {
        String wire = """
                {"reqId":null,"rc":"200","d":{"fields":[{"field":"mgmt.firmware","value":{"updatedDateTime":""}},{"field":"mgmt.firmware","value":{"updatedDateTime":""}}]}}""";

        assertThat(decode(DEVICE_RESPONSE, wire)).withNormalisations(Normalisation.NULL_REQ_ID,
                Normalisation.RC_AS_STRING);
        assertThat(decode(NOTIFY, """
                {"d":{"field":"location","value":{"latitude":1,"longitude":2,"measuredDateTime":"2018-05-01T10:15:30"}},"reqId":null}"""))
                .withNormalisations(Normalisation.ZONELESS_TIMESTAMP, Normalisation.NOTIFY_SINGLE_FIELD,
                        Normalisation.NULL_REQ_ID);
    }
}
