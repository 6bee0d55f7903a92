package dev.iotdm.protocol.codec;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.codec.Wire.compact;
import static dev.iotdm.protocol.codec.Wire.decode;
import static dev.iotdm.protocol.codec.Wire.encode;

import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.FirmwareDownload;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.FirmwareUpdate;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.Rc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Golden tests of the firmware requests, responses and notifies (protocol.md §4.7, §4.8, §6). */
class FirmwareCodecTest {

    private static final String DOWNLOAD = "iotdm-1/mgmt/initiate/firmware/download";
    private static final String UPDATE = "iotdm-1/mgmt/initiate/firmware/update";
    private static final String NOTIFY = "iotdevice-1/notify";
    private static final String DEVICE_RESPONSE = "iotdevice-1/response";

    @Test
    void firmware_download_request_of_section_4_7_is_only_a_req_id() {
        String wire = """
                {"reqId":"…"}""";

        assertThat(decode(DOWNLOAD, wire)).decodesTo(new FirmwareDownload("…")).withoutNormalisations();
        assertThat(encode(new FirmwareDownload("…"))).isEqualTo(wire);
    }

    @Test
    void firmware_update_request_of_section_4_8_is_only_a_req_id() {
        String wire = """
                {"reqId":"…"}""";

        assertThat(decode(UPDATE, wire)).decodesTo(new FirmwareUpdate("…")).withoutNormalisations();
        assertThat(encode(new FirmwareUpdate("…"))).isEqualTo(wire);
    }

    @Test
    void download_refused_in_the_wrong_state_answers_400_with_the_python_message() {
        String wire = """
                {"rc":400,"reqId":"r3","message":"Cannot download as the device is not in idle state"}""";
        DeviceResponse expected = DeviceResponse.of("r3", Rc.BAD_REQUEST,
                "Cannot download as the device is not in idle state");

        assertThat(decode(DEVICE_RESPONSE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(wire);
    }

    @Test
    void update_refused_before_a_download_answers_400_with_the_python_message() {
        String wire = """
                {"rc":400,"reqId":"r6","message":"Firmware is still not successfully downloaded."}""";
        DeviceResponse expected = DeviceResponse.of("r6", Rc.BAD_REQUEST,
                "Firmware is still not successfully downloaded.");

        assertThat(decode(DEVICE_RESPONSE, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(wire);
    }

    @Test
    void unsupported_and_failed_firmware_actions_answer_501_and_500() {
        assertThat(encode(DeviceResponse.of("r3", Rc.NOT_IMPLEMENTED))).isEqualTo("{\"rc\":501,\"reqId\":\"r3\"}");
        assertThat(encode(DeviceResponse.of("r3", Rc.INTERNAL_ERROR, "no space left")))
                .isEqualTo("{\"rc\":500,\"reqId\":\"r3\",\"message\":\"no space left\"}");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(FirmwareState.class)
    void every_firmware_state_notifies_as_its_code(FirmwareState state) {
        String wire = "{\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"state\":" + state.code()
                + "}}]},\"reqId\":\"s\"}";
        Notify expected = Notify.of("s", new FirmwareField(FirmwareInfo.ofState(state)));

        assertThat(decode(NOTIFY, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(wire);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(UpdateStatus.class)
    void every_update_status_notifies_as_its_code(UpdateStatus status) {
        String wire = "{\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"updateStatus\":" + status.code()
                + "}}]},\"reqId\":\"u\"}";
        Notify expected = Notify.of("u", new FirmwareField(FirmwareInfo.ofUpdateStatus(status)));

        assertThat(decode(NOTIFY, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(wire);
    }

    @Test
    void download_failure_notifies_state_and_update_status_together() {
        String wire = """
                {
                  "d": {
                    "fields": [
                      { "field": "mgmt.firmware", "value": { "state": 0, "updateStatus": 4 } }
                    ]
                  },
                  "reqId": "v"
                }""";
        Notify expected = Notify.of("v", new FirmwareField(
                FirmwareInfo.ofState(FirmwareState.IDLE).withUpdateStatus(UpdateStatus.VERIFICATION_FAILED)));

        assertThat(decode(NOTIFY, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact(wire));
    }

    @Test
    void firmware_info_helpers_compare_and_copy_the_image_parameters() {
        FirmwareInfo image = FirmwareInfo.ofImage("2.0", "fw", "https://h/fw.bin", "abc");
        FirmwareInfo state = FirmwareInfo.ofState(FirmwareState.DOWNLOADED);

        assertThat(state.withImageOf(image).sameImageAs(image)).isTrue();
        assertThat(state.withImageOf(image).state()).hasValue(FirmwareState.DOWNLOADED);
        assertThat(state.sameImageAs(image)).isFalse();
        assertThat(FirmwareInfo.EMPTY.isEmpty()).isTrue();
        assertThat(state.isEmpty()).isFalse();
    }
}
