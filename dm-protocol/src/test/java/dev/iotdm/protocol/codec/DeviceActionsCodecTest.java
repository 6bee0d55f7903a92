package dev.iotdm.protocol.codec;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.codec.Wire.decode;
import static dev.iotdm.protocol.codec.Wire.encode;

import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.FactoryReset;
import dev.iotdm.protocol.message.Reboot;
import dev.iotdm.protocol.message.Rc;
import org.junit.jupiter.api.Test;

/** Golden tests of reboot and factory reset (protocol.md §4.5, §4.6, §7). */
class DeviceActionsCodecTest {

    private static final String REBOOT = "iotdm-1/mgmt/initiate/device/reboot";
    private static final String FACTORY_RESET = "iotdm-1/mgmt/initiate/device/factory_reset";
    private static final String DEVICE_RESPONSE = "iotdevice-1/response";

    @Test
    void reboot_request_of_section_4_5_is_only_a_req_id() {
        String wire = """
                {"reqId":"…"}""";

        assertThat(decode(REBOOT, wire)).decodesTo(new Reboot("…")).withoutNormalisations();
        assertThat(encode(new Reboot("…"))).isEqualTo(wire);
    }

    @Test
    void factory_reset_request_of_section_4_6_is_only_a_req_id() {
        String wire = """
                {"reqId":"…"}""";

        assertThat(decode(FACTORY_RESET, wire)).decodesTo(new FactoryReset("…")).withoutNormalisations();
        assertThat(encode(new FactoryReset("…"))).isEqualTo(wire);
    }

    @Test
    void reboot_with_data_ignores_it_like_an_unknown_key() {
        assertThat(decode(REBOOT, """
                {"reqId":"c9","d":{"delay":5}}""")).decodesTo(new Reboot("c9")).withoutNormalisations();
    }

    @Test
    void a_failed_attempt_answers_500_with_a_message() {
        String wire = """
                {"rc":500,"reqId":"c1","message":"Device action attempt fails"}""";
        DeviceResponse expected = DeviceResponse.of("c1", Rc.INTERNAL_ERROR, "Device action attempt fails");

        assertThat(decode(DEVICE_RESPONSE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(wire);
    }

    @Test
    void an_accepted_action_answers_202_before_acting() {
        DeviceResponse accepted = DeviceResponse.of("c1", Rc.ACCEPTED);

        assertThat(encode(accepted)).isEqualTo("{\"rc\":202,\"reqId\":\"c1\"}");
        assertThat(accepted.rc().isSuccess()).isTrue();
    }
}
