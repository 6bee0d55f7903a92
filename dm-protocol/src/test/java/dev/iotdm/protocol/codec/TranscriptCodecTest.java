package dev.iotdm.protocol.codec;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.codec.Wire.decode;
import static dev.iotdm.protocol.codec.Wire.encode;

import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.message.Cancel;
import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.DeviceUpdate;
import dev.iotdm.protocol.message.FactoryReset;
import dev.iotdm.protocol.message.FirmwareDownload;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.FirmwareUpdate;
import dev.iotdm.protocol.message.Message;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.Observe;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Reboot;
import dev.iotdm.protocol.topic.Direction;
import dev.iotdm.protocol.topic.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every line of the §6.4 firmware transcript and the §7 device-action transcript, pasted as they
 * stand in protocol.md: each decodes to the expected message, travels in the direction its arrow
 * says, and is exactly our canonical encoding (notifies gain the reqId our device adds, §12.3).
 */
class TranscriptCodecTest {

    private static final String FIRMWARE_RUN = """
            P→D iotdm-1/device/update   {"reqId":"r1","d":{"fields":[{"field":"mgmt.firmware","value":{"version":"2.0","name":"fw","uri":"https://h/fw.bin","verifier":"abc","state":0,"updateStatus":0,"updatedDateTime":""}}]}}
            D→P iotdevice-1/response    {"rc":204,"reqId":"r1"}
            P→D iotdm-1/observe         {"reqId":"r2","d":{"fields":[{"field":"mgmt.firmware"}]}}
            D→P iotdevice-1/response    {"rc":200,"reqId":"r2","d":{"fields":[{"field":"mgmt.firmware","value":{"state":0,"updateStatus":0}}]}}
            P→D iotdm-1/mgmt/initiate/firmware/download {"reqId":"r3"}
            D→P iotdevice-1/response    {"rc":202,"reqId":"r3"}
            D→P iotdevice-1/notify      {"d":{"fields":[{"field":"mgmt.firmware","value":{"state":1}}]}}
            D→P iotdevice-1/notify      {"d":{"fields":[{"field":"mgmt.firmware","value":{"state":2}}]}}
            P→D iotdm-1/cancel          {"reqId":"r4","d":{"fields":[{"field":"mgmt.firmware"}]}}
            D→P iotdevice-1/response    {"rc":200,"reqId":"r4"}
                        ... later, REST firmware/update ...
            P→D iotdm-1/observe         {"reqId":"r5","d":{"fields":[{"field":"mgmt.firmware"}]}}
            D→P iotdevice-1/response    {"rc":200,"reqId":"r5","d":{"fields":[{"field":"mgmt.firmware","value":{"state":2,"updateStatus":0}}]}}
            P→D iotdm-1/mgmt/initiate/firmware/update {"reqId":"r6"}
            D→P iotdevice-1/response    {"rc":202,"reqId":"r6"}
            D→P iotdevice-1/notify      {"d":{"fields":[{"field":"mgmt.firmware","value":{"updateStatus":1}}]}}
            D→P iotdevice-1/notify      {"d":{"fields":[{"field":"mgmt.firmware","value":{"state":0,"updateStatus":0}}]}}
            P→D iotdm-1/cancel          {"reqId":"r7","d":{"fields":[{"field":"mgmt.firmware"}]}}
            D→P iotdevice-1/response    {"rc":200,"reqId":"r7"}
            """;

    private static final String DEVICE_ACTIONS = """
            P→D iotdm-1/mgmt/initiate/device/reboot          {"reqId":"c1"}
            P→D iotdm-1/mgmt/initiate/device/factory_reset   {"reqId":"c2"}
            D→P iotdevice-1/response                         {"rc":202,"reqId":"c1"}
            D→P iotdevice-1/response                         {"rc":501,"reqId":"c2","message":"factory reset not supported"}
            """;

    private static FirmwareField firmware(FirmwareInfo info) {
        return new FirmwareField(info);
    }

    private static DeviceResponse observed(String reqId, FirmwareInfo value) {
        return DeviceResponse.of(reqId, Rc.OK).withD(ResponseViews.observedValuesData(List.of(firmware(value))));
    }

    private static final List<Message> FIRMWARE_RUN_MESSAGES = List.of(
            DeviceUpdate.of("r1", firmware(FirmwareInfo.ofImage("2.0", "fw", "https://h/fw.bin", "abc")
                    .withState(FirmwareState.IDLE).withUpdateStatus(UpdateStatus.SUCCESS))),
            DeviceResponse.of("r1", Rc.CHANGED),
            Observe.of("r2", "mgmt.firmware"),
            observed("r2", FirmwareInfo.ofState(FirmwareState.IDLE).withUpdateStatus(UpdateStatus.SUCCESS)),
            new FirmwareDownload("r3"),
            DeviceResponse.of("r3", Rc.ACCEPTED),
            new Notify(Optional.empty(), List.of(firmware(FirmwareInfo.ofState(FirmwareState.DOWNLOADING)))),
            new Notify(Optional.empty(), List.of(firmware(FirmwareInfo.ofState(FirmwareState.DOWNLOADED)))),
            Cancel.of("r4", "mgmt.firmware"),
            DeviceResponse.of("r4", Rc.OK),
            Observe.of("r5", "mgmt.firmware"),
            observed("r5", FirmwareInfo.ofState(FirmwareState.DOWNLOADED).withUpdateStatus(UpdateStatus.SUCCESS)),
            new FirmwareUpdate("r6"),
            DeviceResponse.of("r6", Rc.ACCEPTED),
            new Notify(Optional.empty(), List.of(firmware(FirmwareInfo.ofUpdateStatus(UpdateStatus.IN_PROGRESS)))),
            new Notify(Optional.empty(), List.of(firmware(
                    FirmwareInfo.ofState(FirmwareState.IDLE).withUpdateStatus(UpdateStatus.SUCCESS)))),
            Cancel.of("r7", "mgmt.firmware"),
            DeviceResponse.of("r7", Rc.OK));

    private static final List<Message> DEVICE_ACTION_MESSAGES = List.of(
            new Reboot("c1"),
            new FactoryReset("c2"),
            DeviceResponse.of("c1", Rc.ACCEPTED),
            DeviceResponse.of("c2", Rc.NOT_IMPLEMENTED, "factory reset not supported"));

    /** One transcript line: arrow, topic, payload. */
    record Line(int number, Direction direction, String topic, String payload) {
        @Override
        public String toString() {
            return "line " + number + " " + topic;
        }
    }

    private static List<Line> lines(String transcript) {
        List<Line> out = new ArrayList<>();
        int number = 0;
        for (String raw : transcript.split("\n")) {
            number++;
            String line = raw.strip();
            if (!line.startsWith("P→D ") && !line.startsWith("D→P ")) {
                continue; // the "... later ..." narration
            }
            String[] parts = line.substring(4).strip().split("\\s+", 2);
            out.add(new Line(number, line.startsWith("P→D") ? Direction.PLATFORM_TO_DEVICE
                    : Direction.DEVICE_TO_PLATFORM, parts[0], parts[1]));
        }
        return out;
    }

    private static Stream<Arguments> paired(String transcript, List<Message> messages) {
        List<Line> lines = lines(transcript);
        if (lines.size() != messages.size()) {
            throw new IllegalStateException(lines.size() + " transcript lines but " + messages.size() + " messages");
        }
        return java.util.stream.IntStream.range(0, lines.size())
                .mapToObj(i -> Arguments.of(lines.get(i), messages.get(i)));
    }

    static Stream<Arguments> firmwareRun() {
        return paired(FIRMWARE_RUN, FIRMWARE_RUN_MESSAGES);
    }

    static Stream<Arguments> deviceActions() {
        return paired(DEVICE_ACTIONS, DEVICE_ACTION_MESSAGES);
    }

    @Test
    void transcripts_have_every_line_of_protocol_md() {
        assertThat(lines(FIRMWARE_RUN)).hasSize(18);
        assertThat(lines(DEVICE_ACTIONS)).hasSize(4);
    }

    @ParameterizedTest(name = "§6.4 {0}")
    @MethodSource("firmwareRun")
    void firmware_run_of_section_6_4_line_decodes_and_is_our_canonical_encoding(Line line, Message expected) {
        checkLine(line, expected);
    }

    @ParameterizedTest(name = "§7 {0}")
    @MethodSource("deviceActions")
    void device_actions_of_section_7_line_decodes_and_is_our_canonical_encoding(Line line, Message expected) {
        checkLine(line, expected);
    }

    private static void checkLine(Line line, Message expected) {
        assertThat(Topic.parse(line.topic()).direction()).isEqualTo(line.direction());
        assertThat(decode(line.topic(), line.payload())).decodesTo(expected).withoutNormalisations();
        assertThat(Wire.CODEC.encode(expected).topic()).isEqualTo(line.topic());
        if (expected instanceof Notify n && n.reqId().isEmpty()) {
            // Old clients sent no reqId on notify; ours always carries a generated one (§12.3).
            Notify ours = new Notify(Optional.of(Wire.generatedReqId()), n.fields());
            String payloadWithReqId = line.payload().substring(0, line.payload().length() - 1)
                    + ",\"reqId\":\"" + Wire.REQ_ID_PLACEHOLDER + "\"}";
            assertThat(Wire.withReqIdPlaceholder(encode(ours))).isEqualTo(payloadWithReqId);
        } else {
            assertThat(encode(expected)).isEqualTo(line.payload());
        }
    }
}
