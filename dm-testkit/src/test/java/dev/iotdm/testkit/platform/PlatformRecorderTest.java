package dev.iotdm.testkit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.protocol.topic.Direction;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PlatformRecorderTest {

    private static final String DEVICE = "d:org1:t:a";

    private static TranscriptEntry entry(Instant t, Direction d, String topic, String json, boolean retain) {
        return new TranscriptEntry(t, d, DEVICE, topic, json.getBytes(StandardCharsets.UTF_8), 1, retain);
    }

    @Test
    void what_the_platform_sees_is_recorded_and_checked() {
        PlatformRecorder recorder = new PlatformRecorder();
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        recorder.onConnect(t, DEVICE);
        recorder.onMessage(entry(t, Direction.DEVICE_TO_PLATFORM, "iotdevice-1/mgmt/manage",
                "{\"d\":{\"lifetime\":0},\"reqId\":\"m1\"}", false));
        recorder.onMessage(entry(t, Direction.PLATFORM_TO_DEVICE, "iotdm-1/response", "{\"rc\":200,\"reqId\":\"m1\"}",
                false));
        assertThat(recorder.transcript().entries()).hasSize(2);
        assertThat(recorder.report().isClean()).isTrue();

        recorder.onMessage(entry(t, Direction.DEVICE_TO_PLATFORM, "iot-2/evt/status/fmt/json", "{}", true));
        assertThat(recorder.report().isClean()).isFalse();
        assertThat(recorder.report().violations()).extracting(v -> v.clientId()).containsOnly(DEVICE);
    }
}
