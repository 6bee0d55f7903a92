package dev.iotdm.protocol.codec;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThatThrownBy;
import static dev.iotdm.protocol.codec.Wire.decode;

import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Rc;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Payloads the codec must refuse: each gives a {@link DecodeError} with the exact problem and
 * detail, the reqId when it could be read, and the right answer (400, 404 or none). Never an
 * exception.
 */
class BadInputCodecTest {

    private static final String UNMANAGE = "iotdevice-1/mgmt/unmanage";
    private static final String MANAGE = "iotdevice-1/mgmt/manage";
    private static final String LOCATION = "iotdevice-1/device/update/location";
    private static final String ERROR_CODE = "iotdevice-1/add/diag/errorCodes";
    private static final String LOG = "iotdevice-1/add/diag/log";
    private static final String NOTIFY = "iotdevice-1/notify";
    private static final String DEVICE_RESPONSE = "iotdevice-1/response";
    private static final String PLATFORM_RESPONSE = "iotdm-1/response";
    private static final String DEVICE_UPDATE = "iotdm-1/device/update";
    private static final String OBSERVE = "iotdm-1/observe";
    private static final String CUSTOM = "iotdm-1/mgmt/custom/acme-v1/install";

    /** A bad request payload whose reqId "x" is readable, so it is answered 400. */
    record Bad(String topic, String payload, Problem problem, String detail) {
        @Override
        public String toString() {
            return topic + " " + payload;
        }
    }

    private static Bad bad(String topic, String payload, Problem problem, String detail) {
        return new Bad(topic, payload, problem, detail);
    }

    private static DecodeResult check(Bad c) {
        DecodeResult r = decode(c.topic(), c.payload());
        assertThat(r).failsWith(c.problem(), c.detail());
        return r;
    }

    private static String loc(String members) {
        return "{\"reqId\":\"x\",\"d\":{" + members + "}}";
    }

    private static String fw(String value) {
        return "{\"reqId\":\"x\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":" + value + "}]}}";
    }

    static Stream<Bad> wrongTypes() {
        Problem w = Problem.WRONG_TYPE;
        return Stream.of(
                bad(MANAGE, "{\"reqId\":\"x\",\"d\":[]}", w, "d: expected an object, got an array"),
                bad(MANAGE, loc("\"lifetime\":\"3600\""), w, "d.lifetime: expected an integer, got a string"),
                bad(MANAGE, loc("\"lifetime\":3600.5"), w, "d.lifetime: expected an integer, got a fractional number"),
                bad(MANAGE, loc("\"supports\":[]"), w, "d.supports: expected an object, got an array"),
                bad(MANAGE, loc("\"supports\":{\"deviceActions\":\"yes\"}"), w,
                        "d.supports.deviceActions: expected a boolean, got a string"),
                bad(MANAGE, loc("\"supports\":{\"firmwareActions\":2}"), w,
                        "d.supports.firmwareActions: expected a boolean, got an integer"),
                bad(MANAGE, loc("\"supports\":{\"acme-v1\":null}"), w, "d.supports.acme-v1: expected a boolean, got null"),
                bad(MANAGE, loc("\"deviceInfo\":\"T1000\""), w, "d.deviceInfo: expected an object, got a string"),
                bad(MANAGE, loc("\"deviceInfo\":{\"model\":5}"), w, "d.deviceInfo.model: expected a string, got an integer"),
                bad(MANAGE, loc("\"metadata\":[]"), w, "d.metadata: expected an object, got an array"),
                bad(LOCATION, loc("\"latitude\":\"30\",\"longitude\":1"), w, "d.latitude: expected a number, got a string"),
                bad(LOCATION, loc("\"latitude\":1,\"longitude\":null"), w, "d.longitude: expected a number, got null"),
                bad(LOCATION, loc("\"latitude\":1,\"longitude\":1,\"elevation\":true"), w,
                        "d.elevation: expected a number, got a boolean"),
                bad(LOCATION, loc("\"latitude\":1,\"longitude\":1,\"accuracy\":{}"), w,
                        "d.accuracy: expected a number, got an object"),
                bad(LOCATION, loc("\"latitude\":1,\"longitude\":1,\"measuredDateTime\":5"), w,
                        "d.measuredDateTime: expected a string, got an integer"),
                bad(LOCATION, loc("\"latitude\":1,\"longitude\":1,\"updatedDateTime\":[]"), w,
                        "d.updatedDateTime: expected a string, got an array"),
                bad(ERROR_CODE, loc("\"errorCode\":\"42\""), w, "d.errorCode: expected an integer, got a string"),
                bad(ERROR_CODE, loc("\"errorCode\":42.0"), w, "d.errorCode: expected an integer, got a fractional number"),
                bad(LOG, loc("\"message\":1"), w, "d.message: expected a string, got an integer"),
                bad(LOG, loc("\"timestamp\":0"), w, "d.timestamp: expected a string, got an integer"),
                bad(LOG, loc("\"data\":[0,1]"), w, "d.data: expected a string, got an array"),
                bad(LOG, loc("\"severity\":\"1\""), w, "d.severity: expected an integer, got a string"),
                bad(NOTIFY, "{\"reqId\":\"x\",\"d\":\"state\"}", w, "d: expected an object, got a string"),
                bad(NOTIFY, loc("\"fields\":{}"), w, "d.fields: expected an array, got an object"),
                bad(NOTIFY, loc("\"fields\":[1]"), w, "d.fields[0]: expected an object, got an integer"),
                bad(NOTIFY, loc("\"fields\":[{\"field\":1,\"value\":1}]"), w,
                        "d.fields[0].field: expected a string, got an integer"),
                bad(NOTIFY, fw("\"downloading\""), w, "d.fields[0].value: expected an object, got a string"),
                bad(NOTIFY, fw("{\"version\":2}"), w, "d.fields[0].value.version: expected a string, got an integer"),
                bad(NOTIFY, fw("{\"name\":false}"), w, "d.fields[0].value.name: expected a string, got a boolean"),
                bad(NOTIFY, fw("{\"uri\":{}}"), w, "d.fields[0].value.uri: expected a string, got an object"),
                bad(NOTIFY, fw("{\"verifier\":null}"), w, "d.fields[0].value.verifier: expected a string, got null"),
                bad(NOTIFY, fw("{\"state\":\"1\"}"), w, "d.fields[0].value.state: expected an integer, got a string"),
                bad(NOTIFY, fw("{\"updateStatus\":1.0}"), w,
                        "d.fields[0].value.updateStatus: expected an integer, got a fractional number"),
                bad(NOTIFY, fw("{\"updatedDateTime\":null}"), w,
                        "d.fields[0].value.updatedDateTime: expected a string, got null"),
                bad(DEVICE_UPDATE, loc("\"fields\":[{\"field\":\"location\",\"value\":[1,2]}]"), w,
                        "d.fields[0].value: expected an object, got an array"),
                bad(DEVICE_UPDATE, loc("\"fields\":[{\"field\":\"deviceInfo\",\"value\":\"T1000\"}]"), w,
                        "d.fields[0].value: expected an object, got a string"),
                bad(DEVICE_UPDATE, loc("\"fields\":[{\"field\":\"metadata\",\"value\":\"ops\"}]"), w,
                        "d.fields[0].value: expected an object, got a string"),
                bad(DEVICE_UPDATE, loc("\"fields\":[{\"value\":\"ops\",\"field\":\"metadata\"}]"), w,
                        "d.fields[0].value: expected an object, got a string"),
                bad(OBSERVE, "{\"reqId\":\"x\",\"d\":[]}", w, "d: expected an object, got an array"),
                bad(OBSERVE, loc("\"fields\":\"mgmt.firmware\""), w, "d.fields: expected an array, got a string"),
                bad(OBSERVE, loc("\"fields\":[1]"), w, "d.fields[0]: expected an object or a string, got an integer"),
                bad(OBSERVE, loc("\"fields\":[{\"field\":1}]"), w, "d.fields[0].field: expected a string, got an integer"),
                bad(CUSTOM, loc("\"fields\":{}"), w, "d.fields: expected an array, got an object"),
                bad(CUSTOM, loc("\"fields\":[\"pA\"]"), w, "d.fields[0]: expected an object, got a string"),
                bad(CUSTOM, loc("\"fields\":[{\"field\":1,\"value\":1}]"), w,
                        "d.fields[0].field: expected a string, got an integer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongTypes")
    void a_value_of_the_wrong_json_type_is_refused_naming_the_field_and_answered_400(Bad c) {
        assertThat(check(c)).carryingReqId("x").answeredWith(Rc.BAD_REQUEST);
    }

    static Stream<Bad> missingFields() {
        Problem m = Problem.MISSING_FIELD;
        return Stream.of(
                bad(LOCATION, "{\"reqId\":\"x\"}", m, "d: missing"),
                bad(LOCATION, loc("\"longitude\":1"), m, "d.latitude: missing"),
                bad(LOCATION, loc("\"latitude\":1"), m, "d.longitude: missing"),
                bad(ERROR_CODE, loc(""), m, "d.errorCode: missing"),
                bad(LOG, loc("\"timestamp\":\"2018-05-01T10:15:30Z\",\"severity\":0"), m, "d.message: missing"),
                bad(LOG, loc("\"message\":\"m\",\"severity\":0"), m, "d.timestamp: missing"),
                bad(LOG, loc("\"message\":\"m\",\"timestamp\":\"2018-05-01T10:15:30Z\""), m, "d.severity: missing"),
                bad(NOTIFY, "{\"reqId\":\"x\"}", m, "d: missing"),
                bad(NOTIFY, loc(""), m, "d.fields: missing"),
                bad(NOTIFY, loc("\"fields\":[]"), m, "d.fields: must hold at least one field"),
                bad(NOTIFY, loc("\"fields\":[{\"value\":1}]"), m, "d.fields[0].field: missing"),
                bad(NOTIFY, loc("\"fields\":[{\"field\":\"location\"}]"), m, "d.fields[0].value: missing"),
                bad(NOTIFY, loc("\"field\":\"location\""), m, "d.value: missing"),
                bad(NOTIFY, loc("\"value\":3"), m, "d.field: missing"),
                bad(DEVICE_UPDATE, loc("\"fields\":[]"), m, "d.fields: must hold at least one field"),
                bad(OBSERVE, "{\"reqId\":\"x\"}", m, "d: missing"),
                bad(OBSERVE, loc(""), m, "d.fields: missing"),
                bad(OBSERVE, loc("\"fields\":[{\"name\":\"mgmt.firmware\"}]"), m, "d.fields[0].field: missing"),
                bad(CUSTOM, loc("\"fields\":[{\"value\":\"pA\"}]"), m, "d.fields[0].field: missing"),
                bad(CUSTOM, loc("\"fields\":[{\"field\":\"pluginId\"}]"), m, "d.fields[0].value: missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingFields")
    void a_missing_required_field_is_named_and_answered_400(Bad c) {
        assertThat(check(c)).carryingReqId("x").answeredWith(Rc.BAD_REQUEST);
    }

    static Stream<Bad> outOfRange() {
        Problem o = Problem.OUT_OF_RANGE;
        return Stream.of(
                bad(LOCATION, loc("\"latitude\":91,\"longitude\":0"), o, "d.latitude: 91 is outside [-90, 90]"),
                bad(LOCATION, loc("\"latitude\":-90.5,\"longitude\":0"), o, "d.latitude: -90.5 is outside [-90, 90]"),
                bad(LOCATION, loc("\"latitude\":0,\"longitude\":180.0001"), o,
                        "d.longitude: 180.0001 is outside [-180, 180]"),
                bad(LOCATION, loc("\"latitude\":0,\"longitude\":-181"), o, "d.longitude: -181 is outside [-180, 180]"),
                bad(LOCATION, loc("\"latitude\":0,\"longitude\":0,\"accuracy\":-1"), o, "d.accuracy: -1 is below 0"),
                bad(LOCATION, loc("\"latitude\":0,\"longitude\":0,\"elevation\":1e999"), o,
                        "d.elevation: 1e999 is beyond the range of a double"),
                bad(LOG, loc("\"message\":\"m\",\"timestamp\":\"2018-05-01T10:15:30Z\",\"severity\":3"), o,
                        "d.severity: 3 is outside [0, 2]"),
                bad(LOG, loc("\"message\":\"m\",\"timestamp\":\"2018-05-01T10:15:30Z\",\"severity\":-1"), o,
                        "d.severity: -1 is outside [0, 2]"),
                bad(NOTIFY, fw("{\"state\":3}"), o, "d.fields[0].value.state: 3 is outside [0, 2]"),
                bad(NOTIFY, fw("{\"updateStatus\":7}"), o, "d.fields[0].value.updateStatus: 7 is outside [0, 6]"),
                bad(DEVICE_UPDATE, fw("{\"state\":-1}"), o, "d.fields[0].value.state: -1 is outside [0, 2]"),
                bad(MANAGE, loc("\"lifetime\":1"), o, "d.lifetime: must be 0 or at least 3600 seconds, got 1"),
                bad(MANAGE, loc("\"lifetime\":3599"), o, "d.lifetime: must be 0 or at least 3600 seconds, got 3599"),
                bad(MANAGE, loc("\"lifetime\":-3600"), o, "d.lifetime: -3600 is outside [0, 2147483647]"),
                bad(MANAGE, loc("\"lifetime\":2147483648"), o, "d.lifetime: 2147483648 is outside [0, 2147483647]"),
                bad(ERROR_CODE, loc("\"errorCode\":2147483648"), o,
                        "d.errorCode: 2147483648 is outside [-2147483648, 2147483647]"),
                bad(ERROR_CODE, loc("\"errorCode\":-2147483649"), o,
                        "d.errorCode: -2147483649 is outside [-2147483648, 2147483647]"),
                bad(ERROR_CODE, loc("\"errorCode\":99999999999999999999999"), o,
                        "d.errorCode: 99999999999999999999999 is outside [-2147483648, 2147483647]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRange")
    void a_number_out_of_range_is_refused_with_the_range_and_answered_400(Bad c) {
        assertThat(check(c)).carryingReqId("x").answeredWith(Rc.BAD_REQUEST);
    }

    static Stream<Bad> invalidValues() {
        Problem v = Problem.INVALID_VALUE;
        return Stream.of(
                bad(LOG, loc("\"message\":\"m\",\"timestamp\":\"yesterday\",\"severity\":1"), v,
                        "d.timestamp: not an ISO 8601 date-time: 'yesterday'"),
                bad(LOCATION, loc("\"latitude\":0,\"longitude\":0,\"measuredDateTime\":\"2018-13-01T10:15:30Z\""), v,
                        "d.measuredDateTime: not an ISO 8601 date-time: '2018-13-01T10:15:30Z'"),
                bad(LOCATION, loc("\"latitude\":0,\"longitude\":0,\"measuredDateTime\":\"2018-05-01\""), v,
                        "d.measuredDateTime: not an ISO 8601 date-time: '2018-05-01'"),
                bad(LOCATION, loc("\"latitude\":0,\"longitude\":0,\"measuredDateTime\":\"2018-05-01 10:15:30Z\""), v,
                        "d.measuredDateTime: not an ISO 8601 date-time: '2018-05-01 10:15:30Z'"),
                bad(LOCATION, loc("\"latitude\":0,\"longitude\":0,\"measuredDateTime\":\"2018-05-01T10:15:30\\n\""), v,
                        "d.measuredDateTime: not an ISO 8601 date-time: '2018-05-01T10:15:30\\u000a'"),
                bad(NOTIFY, fw("{\"updatedDateTime\":\"soon\"}"), v,
                        "d.fields[0].value.updatedDateTime: not an ISO 8601 date-time: 'soon'"),
                bad(MANAGE, loc("\"supports\":{\"bad id\":true}"), v,
                        "d.supports.bad id: not a valid bundle id: may contain only letters, digits, '.', '_' and '-'"),
                bad(MANAGE, loc("\"supports\":{\"" + "b".repeat(256) + "\":true}"), v,
                        "d.supports." + "b".repeat(61) + "...: not a valid bundle id: is longer than 255 characters"),
                bad(MANAGE, loc("\"supports\":{\"a\\tb\":true}"), v,
                        "d.supports.a\\u0009b: not a valid bundle id: may contain only letters, digits, '.', '_' and '-'"),
                bad(NOTIFY, loc("\"fields\":[{\"field\":\"\",\"value\":1}]"), v,
                        "d.fields[0].field: field name must not be empty"),
                bad(OBSERVE, loc("\"fields\":[\"\"]"), v, "d.fields[0]: field name must not be empty"),
                bad(OBSERVE, loc("\"fields\":[{\"field\":\"\"}]"), v, "d.fields[0]: field name must not be empty"),
                bad(NOTIFY, loc("\"fields\":[{\"field\":\"location\",\"value\":{\"latitude\":1,\"longitude\":2}}],"
                        + "\"field\":\"metadata\""), v,
                        "d: both a fields array and a single field"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void a_value_of_the_right_type_that_is_not_valid_is_refused_and_answered_400(Bad c) {
        assertThat(check(c)).carryingReqId("x").answeredWith(Rc.BAD_REQUEST);
    }

    // ---- envelope -----------------------------------------------------------------------------

    @Test
    void a_request_without_req_id_is_refused_and_cannot_be_answered() {
        assertThat(check(bad(UNMANAGE, "{}", Problem.MISSING_FIELD, "reqId: missing")))
                .withoutReqId().onRequestTopic(true).notAnswered();
        assertThat(check(bad(MANAGE, "{\"d\":{\"lifetime\":3600},\"reqId\":null}", Problem.MISSING_FIELD,
                "reqId: missing"))).withoutReqId().notAnswered();
    }

    @Test
    void a_req_id_that_is_not_a_string_is_refused_and_cannot_be_answered() {
        assertThat(check(bad(UNMANAGE, "{\"reqId\":7}", Problem.WRONG_TYPE, "reqId: expected a string, got an integer")))
                .withoutReqId().notAnswered();
    }

    @Test
    void a_response_without_rc_is_refused_and_never_answered() {
        assertThat(check(bad(DEVICE_RESPONSE, "{\"reqId\":\"x\"}", Problem.MISSING_FIELD, "rc: missing")))
                .carryingReqId("x").onRequestTopic(false).notAnswered();
        assertThat(check(bad(PLATFORM_RESPONSE, "{\"reqId\":\"x\",\"message\":\"ok\"}", Problem.MISSING_FIELD,
                "rc: missing"))).carryingReqId("x").onRequestTopic(false).notAnswered();
    }

    @Test
    void a_response_code_outside_three_digits_is_refused_and_never_answered() {
        assertThat(check(bad(DEVICE_RESPONSE, "{\"rc\":99,\"reqId\":\"x\"}", Problem.OUT_OF_RANGE,
                "rc: 99 is outside [100, 999]"))).carryingReqId("x").notAnswered();
        assertThat(check(bad(PLATFORM_RESPONSE, "{\"rc\":1000,\"reqId\":\"x\"}", Problem.OUT_OF_RANGE,
                "rc: 1000 is outside [100, 999]"))).carryingReqId("x").notAnswered();
        assertThat(check(bad(PLATFORM_RESPONSE, "{\"rc\":12345678901234567890,\"reqId\":\"x\"}", Problem.OUT_OF_RANGE,
                "rc: 12345678901234567890 is outside [100, 999]"))).notAnswered();
    }

    @Test
    void a_response_code_string_that_is_not_three_digits_is_refused() {
        for (String rc : new String[] {"abc", "99", "2020", "099", " 200", "2e2"}) {
            assertThat(check(bad(DEVICE_RESPONSE, "{\"rc\":\"" + rc + "\",\"reqId\":\"x\"}", Problem.INVALID_VALUE,
                    "rc: not a numeric response code: '" + rc + "'"))).carryingReqId("x").notAnswered();
        }
    }

    @Test
    void response_envelope_parts_of_the_wrong_type_are_refused() {
        assertThat(check(bad(DEVICE_RESPONSE, "{\"rc\":true,\"reqId\":\"x\"}", Problem.WRONG_TYPE,
                "rc: expected an integer, got a boolean"))).notAnswered();
        assertThat(check(bad(DEVICE_RESPONSE, "{\"rc\":200.0,\"reqId\":\"x\"}", Problem.WRONG_TYPE,
                "rc: expected an integer, got a fractional number"))).notAnswered();
        assertThat(check(bad(DEVICE_RESPONSE, "{\"rc\":200,\"reqId\":\"x\",\"message\":5}", Problem.WRONG_TYPE,
                "message: expected a string, got an integer"))).carryingReqId("x").notAnswered();
    }

    // ---- JSON syntax --------------------------------------------------------------------------

    @Test
    void truncated_json_is_malformed_and_answered_400_when_the_req_id_came_first() {
        assertThat(check(bad(UNMANAGE, "{\"reqId\":\"x\"", Problem.MALFORMED_JSON,
                "Unexpected end-of-input: expected close marker for Object at line 1, column 13")))
                .carryingReqId("x").answeredWith(Rc.BAD_REQUEST);
        assertThat(check(bad(LOCATION, "{\"reqId\":\"x\",\"d\":{\"latitude\":30.2", Problem.MALFORMED_JSON,
                "Unexpected end-of-input: expected close marker for Object at line 1, column 34")))
                .carryingReqId("x");
        assertThat(check(bad(UNMANAGE, "{\"req", Problem.MALFORMED_JSON,
                "Unexpected end-of-input in field name at line 1, column 6"))).withoutReqId().notAnswered();
    }

    @Test
    void trailing_content_after_the_object_is_malformed() {
        assertThat(check(bad(UNMANAGE, "{\"reqId\":\"x\"} {}", Problem.MALFORMED_JSON,
                "trailing content after the JSON object"))).carryingReqId("x").answeredWith(Rc.BAD_REQUEST);
        assertThat(check(bad(UNMANAGE, "{\"reqId\":\"x\"}garbage", Problem.MALFORMED_JSON,
                "Unrecognized token 'garbage': was expecting (JSON String, Number, Array, Object or token 'null', "
                        + "'true' or 'false') at line 1, column 21"))).carryingReqId("x");
    }

    @Test
    void syntax_errors_name_where_they_are() {
        assertThat(check(bad(UNMANAGE, "{\"reqId\":\"x\",}", Problem.MALFORMED_JSON,
                "Unexpected character ('}' (code 125)): was expecting double-quote to start field name "
                        + "at line 1, column 14"))).carryingReqId("x");
        assertThat(check(bad(UNMANAGE, "{reqId:\"x\"}", Problem.MALFORMED_JSON,
                "Unexpected character ('r' (code 114)): was expecting double-quote to start field name "
                        + "at line 1, column 2"))).withoutReqId();
        assertThat(check(bad(UNMANAGE, "{\n  \"reqId\": 'x'\n}", Problem.MALFORMED_JSON,
                "Unexpected character (''' (code 39)): expected a valid value (JSON String, Number, Array, Object "
                        + "or token 'null', 'true' or 'false') at line 2, column 12"))).withoutReqId();
    }

    @Test
    void an_empty_payload_is_malformed() {
        assertThat(check(bad(UNMANAGE, "", Problem.MALFORMED_JSON, "empty payload"))).withoutReqId().notAnswered();
        assertThat(check(bad(UNMANAGE, " \n\t ", Problem.MALFORMED_JSON, "empty payload"))).withoutReqId();
    }

    @Test
    void a_payload_that_is_not_an_object_has_the_wrong_type() {
        assertThat(check(bad(UNMANAGE, "[]", Problem.WRONG_TYPE, "expected an object, got an array")))
                .withoutReqId().notAnswered();
        assertThat(check(bad(UNMANAGE, "\"x\"", Problem.WRONG_TYPE, "expected an object, got a string")));
        assertThat(check(bad(UNMANAGE, "null", Problem.WRONG_TYPE, "expected an object, got null")));
        assertThat(check(bad(UNMANAGE, "42", Problem.WRONG_TYPE, "expected an object, got an integer")));
    }

    @Test
    void a_duplicate_key_at_any_level_is_refused() {
        assertThat(check(bad(UNMANAGE, "{\"reqId\":\"x\",\"reqId\":\"y\"}", Problem.DUPLICATE_KEY,
                "Duplicate field 'reqId' at line 1, column 21"))).carryingReqId("x").answeredWith(Rc.BAD_REQUEST);
        assertThat(check(bad(MANAGE, "{\"reqId\":\"x\",\"d\":{\"metadata\":{\"k\":1,\"k\":2}}}", Problem.DUPLICATE_KEY,
                "Duplicate field 'k' at line 1, column 40"))).carryingReqId("x");
    }

    // ---- strings ------------------------------------------------------------------------------

    private static byte[] withByte(String json, char marker, int... bytes) {
        byte[] in = json.getBytes(StandardCharsets.UTF_8);
        int at = json.indexOf(marker);
        byte[] out = new byte[in.length - 1 + bytes.length];
        System.arraycopy(in, 0, out, 0, at);
        for (int i = 0; i < bytes.length; i++) {
            out[at + i] = (byte) bytes[i];
        }
        System.arraycopy(in, at + 1, out, at + bytes.length, in.length - at - 1);
        return out;
    }

    @Test
    void invalid_utf8_anywhere_in_the_payload_is_refused_naming_the_byte() {
        String metadata = "{\"reqId\":\"x\",\"d\":{\"metadata\":{\"k\":\"a#b\"}}}";
        String ignored = "{\"reqId\":\"x\",\"zzz\":\"a#b\"}";

        assertThat(decode(MANAGE, withByte(metadata, '#', 0xff)))
                .failsWith(Problem.INVALID_STRING, "invalid UTF-8 at byte 36 (0xff)")
                .carryingReqId("x").answeredWith(Rc.BAD_REQUEST);
        assertThat(decode(MANAGE, withByte(metadata, '#', 0xc3, 0x28)))
                .failsWith(Problem.INVALID_STRING, "invalid UTF-8 at byte 36 (0xc3)").carryingReqId("x");
        assertThat(decode(UNMANAGE, withByte(ignored, '#', 0xff)))
                .failsWith(Problem.INVALID_STRING, "invalid UTF-8 at byte 21 (0xff)").carryingReqId("x");
        assertThat(decode(UNMANAGE, withByte(ignored, '#', 0xe2, 0x82)))
                .failsWith(Problem.INVALID_STRING, "invalid UTF-8 at byte 21 (0xe2)");
        assertThat(decode(UNMANAGE, withByte("{\"reqId\":\"x\"}#", '#', 0xe2, 0x82)))
                .failsWith(Problem.INVALID_STRING, "invalid UTF-8 at byte 13 (0xe2)");
    }

    @Test
    void overlong_forms_encoded_surrogates_and_code_points_beyond_unicode_are_not_utf8() {
        String metadata = "{\"reqId\":\"x\",\"d\":{\"metadata\":{\"k\":\"a#b\"}}}";

        // C0 AF and E0 80 AF are overlong forms of '/': a lenient decoder would smuggle a slash in.
        assertThat(decode(MANAGE, withByte(metadata, '#', 0xc0, 0xaf)))
                .failsWith(Problem.INVALID_STRING, "invalid UTF-8 at byte 36 (0xc0)").carryingReqId("x");
        assertThat(decode(MANAGE, withByte(metadata, '#', 0xe0, 0x80, 0xaf)))
                .failsWith(Problem.INVALID_STRING, "invalid UTF-8 at byte 36 (0xe0)");
        assertThat(decode(MANAGE, withByte(metadata, '#', 0xed, 0xa0, 0x80)))
                .failsWith(Problem.INVALID_STRING, "invalid UTF-8 at byte 36 (0xed)");
        assertThat(decode(MANAGE, withByte(metadata, '#', 0xf4, 0x90, 0x80, 0x80)))
                .failsWith(Problem.INVALID_STRING, "invalid UTF-8 at byte 36 (0xf4)");
        // A real 4-byte character is fine and kept.
        assertThat(decode(MANAGE, withByte(metadata, '#', 0xf0, 0x9f, 0x98, 0x80))).decodesTo(new Manage("x",
                OptionalLong.empty(), Optional.empty(), Optional.empty(),
                Optional.of(JsonObject.builder().put("k", "a\uD83D\uDE00b").build())));
    }

    @Test
    void utf16_and_utf32_payloads_are_refused_because_payloads_are_utf8() {
        String json = "{\"reqId\":\"x\"}";

        assertThat(decode(UNMANAGE, json.getBytes(StandardCharsets.UTF_16LE)))
                .failsWith(Problem.INVALID_STRING, "NUL at byte 1: payloads are UTF-8 JSON");
        assertThat(decode(UNMANAGE, json.getBytes(StandardCharsets.UTF_16BE)))
                .failsWith(Problem.INVALID_STRING, "NUL at byte 0: payloads are UTF-8 JSON");
        assertThat(decode(UNMANAGE, json.getBytes(StandardCharsets.UTF_16)))
                .failsWith(Problem.INVALID_STRING, "invalid UTF-8 at byte 0 (0xfe)");
        assertThat(decode(UNMANAGE, json.getBytes(java.nio.charset.Charset.forName("UTF-32"))))
                .failsWith(Problem.INVALID_STRING, "NUL at byte 0: payloads are UTF-8 JSON");
        // A UTF-8 byte order mark is tolerated (RFC 8259 §8.1).
        assertThat(decode(UNMANAGE, ("\uFEFF" + json).getBytes(StandardCharsets.UTF_8)))
                .decodesTo(new dev.iotdm.protocol.message.Unmanage("x"));
    }

    @Test
    void a_raw_control_character_in_a_string_is_malformed_json() {
        assertThat(check(bad(UNMANAGE, "{\"reqId\":\"x\u0001\"}", Problem.MALFORMED_JSON,
                "Illegal unquoted character ((CTRL-CHAR, code 1)): has to be escaped using backslash to be included "
                        + "in string value at line 1, column 12"))).withoutReqId();
    }

    @Test
    void a_lone_surrogate_escape_is_refused_where_it_would_be_kept() {
        assertThat(check(bad(MANAGE, "{\"reqId\":\"x\",\"d\":{\"metadata\":{\"k\":\"\\uD800\"}}}",
                Problem.INVALID_STRING, "string with an unpaired surrogate escape at line 1, column 43")))
                .carryingReqId("x").answeredWith(Rc.BAD_REQUEST);
        assertThat(check(bad(MANAGE, "{\"reqId\":\"\\uDC00x\"}", Problem.INVALID_STRING,
                "reqId: string with an unpaired surrogate escape"))).withoutReqId().notAnswered();
        assertThat(check(bad(LOG, loc("\"message\":\"\\uD83D\",\"timestamp\":\"2018-05-01T10:15:30Z\",\"severity\":0"),
                Problem.INVALID_STRING, "d.message: string with an unpaired surrogate escape"))).carryingReqId("x");
        // A correctly paired escape is an ordinary character.
        assertThat(decode(LOG, loc("\"message\":\"\\uD83D\\uDE00\",\"timestamp\":\"2018-05-01T10:15:30Z\","
                + "\"severity\":0"))).isInstanceOf(Decoded.class);
    }

    // ---- limits -------------------------------------------------------------------------------

    @Test
    void a_nesting_bomb_in_metadata_is_stopped_at_the_depth_limit() {
        String bomb = "[".repeat(10_000) + "]".repeat(10_000);

        assertThat(check(bad(MANAGE, "{\"reqId\":\"x\",\"d\":{\"metadata\":{\"k\":" + bomb + "}}}",
                Problem.LIMIT_EXCEEDED, "Document nesting depth (65) exceeds the maximum allowed (64)")))
                .carryingReqId("x").answeredWith(Rc.BAD_REQUEST);
        // The reqId scan has no depth limit of its own: a reqId after the bomb is still found.
        assertThat(check(bad(MANAGE, "{\"d\":{\"metadata\":{\"k\":" + bomb + "}},\"reqId\":\"x\"}",
                Problem.LIMIT_EXCEEDED, "Document nesting depth (65) exceeds the maximum allowed (64)")))
                .carryingReqId("x").answeredWith(Rc.BAD_REQUEST);
    }

    @Test
    void a_number_longer_than_the_limit_is_refused() {
        assertThat(check(bad(MANAGE, loc("\"lifetime\":" + "9".repeat(1001)), Problem.LIMIT_EXCEEDED,
                "Number value length (1001) exceeds the maximum allowed (1000)"))).carryingReqId("x");
    }

    @Test
    void a_string_longer_than_the_limit_is_refused_when_the_payload_limit_allows_it() {
        Codec roomy = Codec.withLimits(1_000_000, 1_000_000);
        String payload = loc("\"message\":\"" + "m".repeat(300_000) + "\",\"timestamp\":\"2018-05-01T10:15:30Z\","
                + "\"severity\":0");

        DecodeResult r = roomy.decode(LOG, payload.getBytes(StandardCharsets.UTF_8));

        assertThat(r).failsWith(Problem.LIMIT_EXCEEDED,
                "String value length (300000) exceeds the maximum allowed (262144)").carryingReqId("x");
    }

    @Test
    void a_payload_over_131072_bytes_is_refused_before_parsing() {
        String head = "{\"reqId\":\"x\",\"d\":{\"metadata\":{\"pad\":\"";
        String tail = "\"}}}";
        String exactly = head + "p".repeat(Codec.DEFAULT_MAX_PAYLOAD_BYTES - head.length() - tail.length()) + tail;
        String over = head + "p".repeat(Codec.DEFAULT_MAX_PAYLOAD_BYTES - head.length() - tail.length() + 1) + tail;

        assertThat(decode(MANAGE, exactly)).isInstanceOf(Decoded.class);
        assertThat(check(bad(MANAGE, over, Problem.PAYLOAD_TOO_LARGE,
                "131073 bytes is over the limit of 131072 bytes")))
                // Not parsed, but the reqId in its first bytes is read: answered 400 naming the limit.
                .carryingReqId("x").onRequestTopic(true).answeredWith(Rc.BAD_REQUEST);
        String buried = "{\"d\":{\"pad\":\"" + "p".repeat(Codec.DEFAULT_MAX_PAYLOAD_BYTES) + "\"},\"reqId\":\"late\"}";
        assertThat(check(bad(MANAGE, buried, Problem.PAYLOAD_TOO_LARGE,
                (buried.length()) + " bytes is over the limit of 131072 bytes")))
                // A reqId beyond the first bytes is not looked for: the scan stays bounded.
                .withoutReqId().notAnswered();
        assertThat(decode("iot-2/evt/big/fmt/bin", new byte[131073]))
                .failsWith(Problem.PAYLOAD_TOO_LARGE, "131073 bytes is over the limit of 131072 bytes")
                .onRequestTopic(false);
    }

    @Test
    void the_inbound_limit_is_configurable() {
        Codec small = Codec.withLimits(1024, 4096);
        byte[] payload = ("{\"reqId\":\"r\",\"pad\":\"" + "p".repeat(1007) + "\"}").getBytes(StandardCharsets.UTF_8);

        assertThat(payload).hasSize(1029);
        assertThat(small.maxInboundBytes()).isEqualTo(1024);
        assertThat(small.maxOutboundBytes()).isEqualTo(4096);
        assertThat(small.decode(UNMANAGE, payload))
                .failsWith(Problem.PAYLOAD_TOO_LARGE, "1029 bytes is over the limit of 1024 bytes");
        assertThat(Codec.standard().decode(UNMANAGE, payload)).isInstanceOf(Decoded.class);
    }

    @Test
    void limits_below_1024_bytes_are_a_caller_error() {
        assertThatThrownBy(() -> Codec.withLimits(1023, 2048))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payload limits must be at least 1024 bytes, got inbound 1023 and outbound 2048");
        assertThatThrownBy(() -> Codec.withLimits(2048, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payload limits must be at least 1024 bytes, got inbound 2048 and outbound 0");
    }

    @Test
    void encoding_over_the_outbound_limit_throws_before_anything_is_returned() {
        Codec small = Codec.withLimits(4096, 1024);
        Manage big = new Manage("m-big", OptionalLong.empty(), Optional.empty(), Optional.empty(),
                Optional.of(JsonObject.builder().put("pad", new JsonString("p".repeat(1000))).build()));

        assertThatThrownBy(() -> small.encode(big))
                .isInstanceOfSatisfying(MessageTooLargeException.class, e -> {
                    assertThat(e.topic()).isEqualTo(MANAGE);
                    assertThat(e.size()).isEqualTo(1045);
                    assertThat(e.limit()).isEqualTo(1024);
                })
                .hasMessage("payload for iotdevice-1/mgmt/manage is 1045 bytes, over the limit of 1024 bytes");
        assertThat(Codec.standard().encode(big).size()).isEqualTo(1045);
    }

    // ---- topics -------------------------------------------------------------------------------

    @Test
    void an_unknown_platform_dm_topic_with_a_req_id_is_answered_404() {
        assertThat(check(bad("iotdm-1/mgmt/initiate/device/shutdown", "{\"reqId\":\"x\"}", Problem.UNKNOWN_TOPIC,
                "not a topic of the protocol"))).carryingReqId("x").onRequestTopic(true).answeredWith(Rc.NOT_FOUND);
        assertThat(check(bad("iotdm-1/mgmt/custom/acme-v1/install/now", "{\"d\":{},\"reqId\":\"x\"}",
                Problem.UNKNOWN_TOPIC, "not a topic of the protocol"))).answeredWith(Rc.NOT_FOUND);
        assertThat(check(bad("iotdm-1/observe/", "{\"reqId\":\"x\"}", Problem.UNKNOWN_TOPIC,
                "not a topic of the protocol"))).answeredWith(Rc.NOT_FOUND);
    }

    @Test
    void an_unknown_device_dm_topic_with_a_req_id_is_answered_404_by_the_platform() {
        assertThat(check(bad("iotdevice-1/add/diag/warnings", "{\"d\":{},\"reqId\":\"x\"}", Problem.UNKNOWN_TOPIC,
                "not a topic of the protocol"))).carryingReqId("x").answeredWith(Rc.NOT_FOUND);
    }

    @Test
    void an_unknown_dm_topic_without_a_readable_req_id_is_not_answered() {
        assertThat(check(bad("iotdm-1/mgmt/initiate/device/shutdown", "{}", Problem.UNKNOWN_TOPIC,
                "not a topic of the protocol"))).withoutReqId().onRequestTopic(true).notAnswered();
        assertThat(check(bad("iotdm-1/mgmt/initiate/device/shutdown", "not json", Problem.UNKNOWN_TOPIC,
                "not a topic of the protocol"))).withoutReqId().notAnswered();
    }

    @Test
    void an_unknown_topic_outside_the_dm_namespaces_is_never_answered() {
        for (String topic : new String[] {"foo/bar", "iot-2/evt/a/b/fmt/json", "iot-2/cmd/+/fmt/json", ""}) {
            assertThat(check(bad(topic, "{\"reqId\":\"x\"}", Problem.UNKNOWN_TOPIC, "not a topic of the protocol")))
                    .carryingReqId("x").onRequestTopic(false).notAnswered();
        }
    }

    @Test
    void a_malformed_response_is_reported_but_never_answered() {
        DecodeResult r = decode(DEVICE_RESPONSE, "{\"reqId\":\"x\",\"rc\":");

        assertThat(r).failsWith(Problem.MALFORMED_JSON,
                "Unexpected end-of-input within/between Object entries at line 1, column 19")
                .carryingReqId("x").onRequestTopic(false).notAnswered();
    }

    @Test
    void no_topic_or_no_payload_is_an_error_value_not_an_exception() {
        assertThat(Wire.CODEC.decode(null, new byte[0]))
                .failsWith(Problem.MALFORMED_JSON, "no topic or no payload").notAnswered();
        assertThat(Wire.CODEC.decode(UNMANAGE, null))
                .failsWith(Problem.MALFORMED_JSON, "no topic or no payload").notAnswered();
    }

    @Test
    void a_decode_error_describes_itself_in_one_line() {
        DecodeError e = (DecodeError) decode(LOCATION, "{\"reqId\":\"x\"}");

        assertThat(e.toString()).isEqualTo("DecodeError[iotdevice-1/device/update/location: MISSING_FIELD: d: missing, "
                + "reqId x]");
    }

    @Test
    void every_problem_has_a_representative_payload() {
        java.util.Map<Problem, Bad> representatives = new java.util.EnumMap<>(Problem.class);
        representatives.put(Problem.PAYLOAD_TOO_LARGE, bad(UNMANAGE, "{\"reqId\":\"" + "r".repeat(131_061) + "\"}",
                Problem.PAYLOAD_TOO_LARGE, "131073 bytes is over the limit of 131072 bytes"));
        representatives.put(Problem.UNKNOWN_TOPIC, bad("iotdm-1/bogus", "{\"reqId\":\"x\"}", Problem.UNKNOWN_TOPIC,
                "not a topic of the protocol"));
        representatives.put(Problem.MALFORMED_JSON, bad(UNMANAGE, "{\"reqId\":\"x\"} {}", Problem.MALFORMED_JSON,
                "trailing content after the JSON object"));
        representatives.put(Problem.INVALID_STRING, bad(UNMANAGE, "{\"reqId\":\"\\uD800\"}", Problem.INVALID_STRING,
                "reqId: string with an unpaired surrogate escape"));
        representatives.put(Problem.LIMIT_EXCEEDED, bad(MANAGE, loc("\"metadata\":{\"k\":" + "[".repeat(70)
                + "]".repeat(70) + "}"), Problem.LIMIT_EXCEEDED,
                "Document nesting depth (65) exceeds the maximum allowed (64)"));
        representatives.put(Problem.DUPLICATE_KEY, bad(UNMANAGE, "{\"reqId\":\"x\",\"reqId\":\"x\"}",
                Problem.DUPLICATE_KEY, "Duplicate field 'reqId' at line 1, column 21"));
        representatives.put(Problem.WRONG_TYPE, bad(UNMANAGE, "[]", Problem.WRONG_TYPE,
                "expected an object, got an array"));
        representatives.put(Problem.MISSING_FIELD, bad(UNMANAGE, "{}", Problem.MISSING_FIELD, "reqId: missing"));
        representatives.put(Problem.OUT_OF_RANGE, bad(DEVICE_RESPONSE, "{\"rc\":99}", Problem.OUT_OF_RANGE,
                "rc: 99 is outside [100, 999]"));
        representatives.put(Problem.INVALID_VALUE, bad(DEVICE_RESPONSE, "{\"rc\":\"ok\"}", Problem.INVALID_VALUE,
                "rc: not a numeric response code: 'ok'"));

        assertThat(representatives.keySet()).containsExactlyInAnyOrder(Problem.values());
        representatives.values().forEach(BadInputCodecTest::check);
    }
}
