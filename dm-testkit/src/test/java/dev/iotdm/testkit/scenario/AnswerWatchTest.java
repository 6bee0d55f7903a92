package dev.iotdm.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.protocol.topic.Direction;
import dev.iotdm.testkit.transcript.Transcript;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A step ends on answers, seen as they are appended to the transcript. */
class AnswerWatchTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final String CLIENT = "d:org1:t:d1";

    private static TranscriptEntry entry(Direction direction, String topic, String json) {
        return new TranscriptEntry(T0, direction, CLIENT, topic, json.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    /** A transcript holding one request. */
    private static Transcript transcriptWith(Direction direction, String topic, String json) {
        Transcript transcript = new Transcript();
        transcript.add(entry(direction, topic, json));
        return transcript;
    }

    @Test
    void an_answer_appended_by_another_thread_ends_the_wait_with_nothing_open() throws Exception {
        Transcript transcript = transcriptWith(Direction.PLATFORM_TO_DEVICE, "iotdm-1/observe/cancel",
                "{\"reqId\":\"p-26\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\"}]}}");
        try (AnswerWatch watch = new AnswerWatch(transcript)) {
            assertThat(watch.unanswered()).extracting(Problem::detail)
                    .containsExactly("the device never answered platform request p-26");
            CompletableFuture<List<Problem>> waited = CompletableFuture.supplyAsync(() -> {
                try {
                    return watch.awaitAnswered(System.nanoTime() + Duration.ofSeconds(30).toNanos());
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            transcript.add(entry(Direction.DEVICE_TO_PLATFORM, "iotdevice-1/response", "{\"reqId\":\"p-26\",\"rc\":200}"));

            assertThat(waited.get(30, TimeUnit.SECONDS)).isEmpty();
            assertThat(watch.changes()).isEqualTo(1);
        }
    }

    @Test
    void a_request_never_answered_is_returned_at_the_deadline() throws Exception {
        Transcript transcript = transcriptWith(Direction.DEVICE_TO_PLATFORM, "iotdevice-1/add/diag/errorCodes",
                "{\"reqId\":\"d-1\",\"d\":{\"errorCode\":1}}");
        try (AnswerWatch watch = new AnswerWatch(transcript)) {
            assertThat(watch.awaitAnswered(System.nanoTime() + Duration.ofMillis(50).toNanos()))
                    .extracting(Problem::detail).containsExactly("the platform never answered device request d-1");
        }
    }

    @Test
    void a_closed_watch_counts_no_more_appends() {
        Transcript transcript = new Transcript();
        AnswerWatch watch = new AnswerWatch(transcript);
        watch.close();
        transcript.add(entry(Direction.DEVICE_TO_PLATFORM, "iotdevice-1/response", "{\"reqId\":\"p-1\",\"rc\":200}"));
        assertThat(watch.changes()).isZero();
    }
}
