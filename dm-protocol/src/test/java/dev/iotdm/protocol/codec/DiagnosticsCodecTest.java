package dev.iotdm.protocol.codec;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.codec.Wire.compact;
import static dev.iotdm.protocol.codec.Wire.decode;
import static dev.iotdm.protocol.codec.Wire.encode;

import dev.iotdm.protocol.message.AddErrorCode;
import dev.iotdm.protocol.message.AddLog;
import dev.iotdm.protocol.message.ClearErrorCodes;
import dev.iotdm.protocol.message.ClearLog;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LogEntry;
import dev.iotdm.protocol.message.LogSeverity;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Timestamp;
import dev.iotdm.protocol.message.UpdateLocation;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Golden tests of location, error codes and logs (protocol.md §3.3-§3.7). */
class DiagnosticsCodecTest {

    private static final String LOCATION = "iotdevice-1/device/update/location";
    private static final String ADD_ERROR_CODE = "iotdevice-1/add/diag/errorCodes";
    private static final String CLEAR_ERROR_CODES = "iotdevice-1/clear/diag/errorCodes";
    private static final String ADD_LOG = "iotdevice-1/add/diag/log";
    private static final String CLEAR_LOG = "iotdevice-1/clear/diag/log";

    @Test
    void location_example_of_section_3_3_decodes_and_our_canonical_form_writes_doubles() {
        String wire = """
                { "d": { "latitude": 30.28565, "longitude": -97.73921, "elevation": 10, "accuracy": 5,
                         "measuredDateTime": "2018-05-01T10:15:30Z" }, "reqId": "5e0c…" }""";
        UpdateLocation expected = new UpdateLocation("5e0c…", Location.of(30.28565, -97.73921)
                .withElevation(10)
                .withAccuracy(5)
                .withMeasuredDateTime(new Timestamp("2018-05-01T10:15:30Z")));

        assertThat(decode(LOCATION, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact("""
                {
                  "d": {
                    "latitude": 30.28565,
                    "longitude": -97.73921,
                    "elevation": 10.0,
                    "accuracy": 5.0,
                    "measuredDateTime": "2018-05-01T10:15:30Z"
                  },
                  "reqId": "5e0c…"
                }"""));
    }

    @Test
    void location_with_only_the_required_coordinates_omits_every_optional_value() {
        String wire = """
                {"d":{"latitude":-90.0,"longitude":180.0},"reqId":"l-1"}""";
        UpdateLocation expected = new UpdateLocation("l-1", Location.of(-90, 180));

        assertThat(decode(LOCATION, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(wire);
    }

    @Test
    void location_values_of_zero_are_sent_because_an_omitted_value_deletes_the_stored_one() {
        UpdateLocation zeros = new UpdateLocation("l-2", Location.of(0, 0).withElevation(0).withAccuracy(0));

        assertThat(encode(zeros)).isEqualTo(compact("""
                {
                  "d": {
                    "latitude": 0.0,
                    "longitude": 0.0,
                    "elevation": 0.0,
                    "accuracy": 0.0
                  },
                  "reqId": "l-2"
                }"""));
        assertThat(decode(LOCATION, encode(zeros))).decodesTo(zeros).withoutNormalisations();
    }

    @Test
    void location_with_the_templates_updated_date_time_as_sent_by_the_c_client_is_accepted() {
        String wire = """
                {
                  "d": {
                    "latitude": 30.2,
                    "longitude": -97.7,
                    "measuredDateTime": "2018-05-01T10:15:30Z",
                    "updatedDateTime": "2018-05-01T10:15:31Z"
                  },
                  "reqId": "l-3"
                }""";
        UpdateLocation expected = new UpdateLocation("l-3", new Location(30.2, -97.7, OptionalDouble.empty(),
                OptionalDouble.empty(), Optional.of(new Timestamp("2018-05-01T10:15:30Z")),
                Optional.of(new Timestamp("2018-05-01T10:15:31Z"))));

        assertThat(decode(LOCATION, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact(wire));
    }

    @Test
    void add_error_code_example_of_section_3_4() {
        String wire = """
                { "d": { "errorCode": 42 }, "reqId": "…" }""";
        AddErrorCode expected = new AddErrorCode("…", 42);

        assertThat(decode(ADD_ERROR_CODE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact(wire));
    }

    @Test
    void error_codes_cover_the_whole_int_range() {
        AddErrorCode min = new AddErrorCode("e-1", Integer.MIN_VALUE);
        AddErrorCode max = new AddErrorCode("e-2", Integer.MAX_VALUE);

        assertThat(encode(min)).isEqualTo("{\"d\":{\"errorCode\":-2147483648},\"reqId\":\"e-1\"}");
        assertThat(decode(ADD_ERROR_CODE, encode(min))).decodesTo(min).withoutNormalisations();
        assertThat(decode(ADD_ERROR_CODE, encode(max))).decodesTo(max).withoutNormalisations();
    }

    @Test
    void clear_error_codes_example_of_section_3_5() {
        String wire = """
                { "reqId": "…" }""";

        assertThat(decode(CLEAR_ERROR_CODES, wire)).decodesTo(new ClearErrorCodes("…")).withoutNormalisations();
        assertThat(encode(new ClearErrorCodes("…"))).isEqualTo(compact(wire));
    }

    @Test
    void add_log_example_of_section_3_6_keeps_the_base64_data_and_decodes_its_bytes() {
        String wire = """
                { "d": { "message": "disk nearly full", "timestamp": "2018-05-01T10:15:30Z",
                         "data": "AAECAw==", "severity": 1 }, "reqId": "…" }""";
        AddLog expected = new AddLog("…", new LogEntry("disk nearly full", new Timestamp("2018-05-01T10:15:30Z"),
                Optional.of("AAECAw=="), LogSeverity.WARNING));

        assertThat(decode(ADD_LOG, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact(wire));
        assertThat(expected.entry().dataBytes()).hasValueSatisfying(b -> assertThat(b).containsExactly(0, 1, 2, 3));
    }

    @Test
    void add_log_built_from_bytes_base64_encodes_them_for_the_wire() {
        AddLog log = new AddLog("g-1", LogEntry.of("boot", new Timestamp("2018-05-01T10:15:30.123Z"),
                new byte[] {0, 1, 2, 3}, LogSeverity.ERROR));

        assertThat(encode(log)).isEqualTo(compact("""
                {
                  "d": {
                    "message": "boot",
                    "timestamp": "2018-05-01T10:15:30.123Z",
                    "data": "AAECAw==",
                    "severity": 2
                  },
                  "reqId": "g-1"
                }"""));
    }

    @Test
    void add_log_without_data_omits_it() {
        String wire = """
                {"d":{"message":"started","timestamp":"2018-05-01T10:15:30Z","severity":0},"reqId":"g-2"}""";
        AddLog expected = new AddLog("g-2", new LogEntry("started", new Timestamp("2018-05-01T10:15:30Z"),
                Optional.empty(), LogSeverity.INFORMATIONAL));

        assertThat(decode(ADD_LOG, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(wire);
        assertThat(expected.entry().dataBytes()).isEmpty();
    }

    @Test
    void add_log_string_data_is_utf8_then_base64() {
        LogEntry entry = LogEntry.of("m", new Timestamp("2018-05-01T10:15:30Z"), "some data", LogSeverity.WARNING);

        assertThat(entry.data()).hasValue("c29tZSBkYXRh");
        assertThat(LogEntry.of("m", entry.timestamp(), (String) null, LogSeverity.WARNING).data()).isEmpty();
    }

    @Test
    void clear_log_example_of_section_3_7() {
        String wire = """
                { "reqId": "…" }""";

        assertThat(decode(CLEAR_LOG, wire)).decodesTo(new ClearLog("…")).withoutNormalisations();
        assertThat(encode(new ClearLog("…"))).isEqualTo(compact(wire));
    }

    @ParameterizedTest(name = "rc {0}")
    @ValueSource(ints = {200, 400, 404, 409})
    void platform_answers_to_diagnostics_carry_the_documented_codes(int rc) {
        String wire = "{\"rc\":" + rc + ",\"reqId\":\"5e0c…\"}";
        PlatformResponse expected = PlatformResponse.of("5e0c…", Rc.of(rc));

        assertThat(decode("iotdm-1/response", wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(wire);
        assertThat(expected.rc().known()).isPresent();
    }
}
