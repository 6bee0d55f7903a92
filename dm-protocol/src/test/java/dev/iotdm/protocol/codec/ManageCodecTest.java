package dev.iotdm.protocol.codec;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.codec.Wire.compact;
import static dev.iotdm.protocol.codec.Wire.decode;
import static dev.iotdm.protocol.codec.Wire.encode;

import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Supports;
import dev.iotdm.protocol.message.Unmanage;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Golden tests of manage and unmanage (protocol.md §3.1, §3.2, §8.2). */
class ManageCodecTest {

    private static final String MANAGE = "iotdevice-1/mgmt/manage";
    private static final String UNMANAGE = "iotdevice-1/mgmt/unmanage";
    private static final String PLATFORM_RESPONSE = "iotdm-1/response";

    private static final DeviceInfo YARD_SENSOR = DeviceInfo.builder()
            .serialNumber("SN-0042")
            .manufacturer("Acme")
            .model("T1000")
            .deviceClass("sensor")
            .description("yard sensor")
            .fwVersion("1.0.3")
            .hwVersion("rev B")
            .descriptiveLocation("building 7")
            .build();

    @Test
    void manage_example_of_section_3_1_decodes_to_every_part_and_is_our_canonical_form() {
        String wire = """
                {
                  "d": {
                    "lifetime": 7200,
                    "supports": { "deviceActions": true, "firmwareActions": true, "acme-plugins-v1": true },
                    "deviceInfo": { "serialNumber": "SN-0042", "manufacturer": "Acme", "model": "T1000",
                                    "deviceClass": "sensor", "description": "yard sensor", "fwVersion": "1.0.3",
                                    "hwVersion": "rev B", "descriptiveLocation": "building 7" },
                    "metadata": { "owner": "ops" }
                  },
                  "reqId": "0b7c2f0e-4d1c-4a54-9d43-1f1f4a0c9a11"
                }""";
        Manage expected = new Manage("0b7c2f0e-4d1c-4a54-9d43-1f1f4a0c9a11",
                OptionalLong.of(7200),
                Optional.of(Supports.of(true, true, "acme-plugins-v1")),
                Optional.of(YARD_SENSOR),
                Optional.of(JsonObject.builder().put("owner", "ops").build()));

        assertThat(decode(MANAGE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact(wire));
    }

    @Test
    void manage_response_of_section_3_1_is_a_platform_response_with_rc_200() {
        String wire = """
                {"rc":200,"reqId":"0b7c2f0e-…"}""";
        PlatformResponse expected = PlatformResponse.of("0b7c2f0e-…", Rc.OK);

        assertThat(decode(PLATFORM_RESPONSE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(wire);
    }

    @Test
    void manage_without_d_decodes_to_a_manage_with_nothing_optional_and_encodes_without_d() {
        String wire = """
                {"reqId":"m-1"}""";
        Manage expected = new Manage("m-1", OptionalLong.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(decode(MANAGE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(wire);
    }

    @Test
    void manage_with_lifetime_0_keeps_the_explicit_never_dormant_value() {
        String wire = """
                {"d":{"lifetime":0},"reqId":"m-2"}""";
        Manage expected = new Manage("m-2", OptionalLong.of(0), Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(decode(MANAGE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(wire);
    }

    @Test
    void manage_advertising_only_a_bundle_as_in_section_8_2_reads_the_flags_as_false_and_encodes_them() {
        String wire = """
                {
                  "d": { "supports": { "acme-plugins-v1": true } },
                  "reqId": "m-3"
                }""";
        Manage expected = new Manage("m-3", OptionalLong.empty(),
                Optional.of(Supports.of(false, false, "acme-plugins-v1")), Optional.empty(), Optional.empty());

        assertThat(decode(MANAGE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact("""
                {
                  "d": {
                    "supports": {
                      "deviceActions": false,
                      "firmwareActions": false,
                      "acme-plugins-v1": true
                    }
                  },
                  "reqId": "m-3"
                }"""));
    }

    @Test
    void manage_with_several_bundles_keeps_their_order_and_drops_bundles_sent_as_false() {
        String wire = """
                {
                  "d": {
                    "supports": {
                      "zeta-v2": true,
                      "deviceActions": true,
                      "off-v1": false,
                      "alpha-v1": true,
                      "firmwareActions": false
                    }
                  },
                  "reqId": "m-4"
                }""";
        Manage expected = new Manage("m-4", OptionalLong.empty(),
                Optional.of(Supports.of(true, false, "zeta-v2", "alpha-v1")), Optional.empty(), Optional.empty());

        assertThat(decode(MANAGE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact("""
                {
                  "d": {
                    "supports": {
                      "deviceActions": true,
                      "firmwareActions": false,
                      "zeta-v2": true,
                      "alpha-v1": true
                    }
                  },
                  "reqId": "m-4"
                }"""));
    }

    @Test
    void manage_with_a_partial_device_info_sends_only_the_attributes_that_have_values() {
        String wire = """
                {
                  "d": {
                    "deviceInfo": {
                      "serialNumber": "SN-1",
                      "fwVersion": "2.0"
                    }
                  },
                  "reqId": "m-5"
                }""";
        Manage expected = new Manage("m-5", OptionalLong.empty(), Optional.empty(),
                Optional.of(DeviceInfo.builder().serialNumber("SN-1").fwVersion("2.0").build()), Optional.empty());

        assertThat(decode(MANAGE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact(wire));
    }

    @Test
    void manage_metadata_is_free_form_json_kept_exactly_with_numbers_as_written() {
        String wire = """
                {
                  "d": {
                    "metadata": {
                      "owner": "ops",
                      "rack": { "row": 3, "slots": [ 1, 2.50, -0.0, 1e3 ] },
                      "spare": null,
                      "active": true
                    }
                  },
                  "reqId": "m-6"
                }""";
        JsonObject metadata = JsonObject.builder()
                .put("owner", "ops")
                .put("rack", JsonObject.builder()
                        .put("row", 3)
                        .put("slots", JsonArray.of(new JsonNumber("1"), new JsonNumber("2.50"), new JsonNumber("-0.0"),
                                new JsonNumber("1e3")))
                        .build())
                .put("spare", dev.iotdm.protocol.json.JsonNull.INSTANCE)
                .put("active", true)
                .build();
        Manage expected = new Manage("m-6", OptionalLong.empty(), Optional.empty(), Optional.empty(),
                Optional.of(metadata));

        assertThat(decode(MANAGE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact(wire));
    }

    @Test
    void manage_ignores_keys_it_does_not_know_at_every_level() {
        String wire = """
                {
                  "d": {
                    "lifetime": 3600,
                    "colour": "blue",
                    "deviceInfo": { "model": "T1000", "firmwareColour": "red" }
                  },
                  "reqId": "m-7",
                  "rc": "not for requests",
                  "message": 42,
                  "ts": "2018-05-01T10:15:30Z"
                }""";
        Manage expected = new Manage("m-7", OptionalLong.of(3600), Optional.empty(),
                Optional.of(DeviceInfo.builder().model("T1000").build()), Optional.empty());

        assertThat(decode(MANAGE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact("""
                {
                  "d": {
                    "lifetime": 3600,
                    "deviceInfo": { "model": "T1000" }
                  },
                  "reqId": "m-7"
                }"""));
    }

    @Test
    void unmanage_example_of_section_3_2_and_its_response() {
        String request = """
                { "reqId": "9f1d…" }""";
        String response = """
                {"rc":200,"reqId":"9f1d…"}""";

        assertThat(decode(UNMANAGE, request)).decodesTo(new Unmanage("9f1d…")).withoutNormalisations();
        assertThat(encode(new Unmanage("9f1d…"))).isEqualTo(compact(request));
        assertThat(decode(PLATFORM_RESPONSE, response)).decodesTo(PlatformResponse.of("9f1d…", Rc.OK))
                .withoutNormalisations();
    }

    @Test
    void unmanage_with_an_empty_d_ignores_it() {
        assertThat(decode(UNMANAGE, """
                {"d":{},"reqId":"u-1"}""")).decodesTo(new Unmanage("u-1")).withoutNormalisations();
    }
}
