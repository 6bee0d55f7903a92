package dev.iotdm.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.protocol.topic.Direction;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answer invariants on hand-written transcripts. */
class InvariantsTest {

    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
    private static final String CLIENT = "d:org1:t:d1";

    private static TranscriptEntry toDevice(String topic, String json) {
        return new TranscriptEntry(T, Direction.PLATFORM_TO_DEVICE, CLIENT, topic, json.getBytes(StandardCharsets.UTF_8),
                1, false);
    }

    private static TranscriptEntry toPlatform(String topic, String json) {
        return new TranscriptEntry(T, Direction.DEVICE_TO_PLATFORM, CLIENT, topic, json.getBytes(StandardCharsets.UTF_8),
                1, false);
    }

    @Test
    void an_identical_second_answer_is_redelivery_and_not_a_problem() {
        List<TranscriptEntry> messages = List.of(
                toDevice("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"r1\"}"),
                toPlatform("iotdevice-1/response", "{\"rc\":202,\"reqId\":\"r1\"}"),
                toPlatform("iotdevice-1/response", "{\"reqId\":\"r1\",\"rc\":202}"));

        assertThat(Invariants.answers(messages, Direction.PLATFORM_TO_DEVICE, Invariants.DEVICE_RESPONSE)).isEmpty();
    }

    @Test
    void a_different_second_answer_to_one_req_id_is_a_problem() {
        List<TranscriptEntry> messages = List.of(
                toDevice("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"r1\"}"),
                toPlatform("iotdevice-1/response", "{\"rc\":202,\"reqId\":\"r1\"}"),
                toPlatform("iotdevice-1/response", "{\"rc\":500,\"reqId\":\"r1\"}"));

        assertThat(Invariants.answers(messages, Direction.PLATFORM_TO_DEVICE, Invariants.DEVICE_RESPONSE))
                .extracting(Problem::invariant).containsExactly("answers differ");
    }

    @Test
    void a_device_request_the_platform_never_answers_is_a_problem() {
        List<TranscriptEntry> messages = List.of(
                toPlatform("iotdevice-1/mgmt/manage", "{\"reqId\":\"m1\",\"d\":{\"lifetime\":3600}}"),
                toPlatform("iotdevice-1/add/diag/errorCodes", "{\"reqId\":\"e1\",\"d\":{\"errorCode\":3}}"),
                toDevice("iotdm-1/response", "{\"rc\":200,\"reqId\":\"m1\"}"));

        assertThat(Invariants.answers(messages, Direction.DEVICE_TO_PLATFORM, Invariants.PLATFORM_RESPONSE))
                .extracting(Problem::detail).containsExactly("the platform never answered device request e1");
    }

    @Test
    void notifies_are_not_requests_that_need_an_answer_from_the_device() {
        List<TranscriptEntry> messages = List.of(
                toPlatform("iotdevice-1/notify", "{\"reqId\":\"n1\",\"d\":{\"fields\":[]}}"));

        assertThat(Invariants.answers(messages, Direction.DEVICE_TO_PLATFORM, Invariants.PLATFORM_RESPONSE)).isEmpty();
    }
}
