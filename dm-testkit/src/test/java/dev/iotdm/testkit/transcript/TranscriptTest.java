package dev.iotdm.testkit.transcript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.pbt.Seeds;
import dev.iotdm.protocol.topic.Direction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptTest {

    private static final Instant T0 = Instant.parse("2026-11-25T13:08:15.747Z");
    private static final String CLIENT = "d:org1:sensor:dev1";

    private static TranscriptEntry entry(Direction d, String topic, byte[] payload, int qos, boolean retain) {
        return new TranscriptEntry(T0.plusMillis(5), d, CLIENT, topic, payload, qos, retain);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Transcript sample() {
        Transcript t = new Transcript();
        t.connected(T0, CLIENT, Optional.of(false));
        // Python's spacing must survive: the payload is kept as exact text.
        t.add(entry(Direction.DEVICE_TO_PLATFORM, "iotdevice-1/mgmt/manage",
                utf8("{\"reqId\": \"m1\", \"d\": {\"lifetime\": 3600}}"), 1, false));
        t.add(entry(Direction.PLATFORM_TO_DEVICE, "iotdm-1/response", utf8("{\"rc\":200,\"reqId\":\"m1\"}"), 1, false));
        t.add(entry(Direction.DEVICE_TO_PLATFORM, "iot-2/evt/blob/fmt/bin", new byte[] {(byte) 0xff, 0, 1, (byte) 0xc3}, 0,
                true));
        t.add(entry(Direction.DEVICE_TO_PLATFORM, "iot-2/evt/line/fmt/txt", utf8("two\nlines é"), 2, false));
        t.connected(T0.plusSeconds(1), CLIENT, Optional.empty());
        t.disconnected(T0.plusSeconds(2), CLIENT);
        return t;
    }

    @Test
    void json_lines_round_trip_every_item_exactly() {
        Transcript t = sample();
        Transcript back = Transcript.parseJsonLines(t.toJsonLines());
        assertThat(back.items()).isEqualTo(t.items());
        assertThat(back.toJsonLines()).isEqualTo(t.toJsonLines());
    }

    @Test
    void json_lines_have_one_object_per_item_with_the_documented_fields() {
        List<String> lines = sample().toJsonLines().lines().toList();
        assertThat(lines).hasSize(7);
        assertThat(lines.get(0)).isEqualTo(
                "{\"kind\":\"connect\",\"time\":\"2026-11-25T13:08:15.747Z\",\"clientId\":\"" + CLIENT
                        + "\",\"sessionPresent\":false}");
        assertThat(lines.get(1)).isEqualTo("{\"kind\":\"message\",\"time\":\"2026-11-25T13:08:15.752Z\","
                + "\"direction\":\"D->P\",\"clientId\":\"" + CLIENT + "\",\"topic\":\"iotdevice-1/mgmt/manage\","
                + "\"payload\":\"{\\\"reqId\\\": \\\"m1\\\", \\\"d\\\": {\\\"lifetime\\\": 3600}}\","
                + "\"payloadEncoding\":\"utf8\",\"qos\":1,\"retain\":false,\"dup\":false}");
        assertThat(lines.get(3)).contains("\"payload\":\"/wABww==\"", "\"payloadEncoding\":\"base64\"",
                "\"retain\":true");
        assertThat(lines.get(6)).isEqualTo("{\"kind\":\"disconnect\",\"time\":\"2026-11-25T13:08:17.747Z\","
                + "\"clientId\":\"" + CLIENT + "\"}");
    }

    @Test
    void a_redelivery_keeps_its_dup_flag_in_json_lines_and_text_and_a_line_without_dup_is_a_first_delivery() {
        Transcript t = new Transcript();
        t.add(new TranscriptEntry(T0, Direction.DEVICE_TO_PLATFORM, CLIENT, "iotdevice-1/response",
                utf8("{\"rc\":200,\"reqId\":\"r1\"}"), 1, false, true));
        String line = t.toJsonLines().strip();
        assertThat(line).endsWith("\"qos\":1,\"retain\":false,\"dup\":true}");
        assertThat(Transcript.parseJsonLines(t.toJsonLines()).items()).isEqualTo(t.items());
        assertThat(t.toText().strip()).isEqualTo("2026-11-25T13:08:15.747Z D->P " + CLIENT
                + " iotdevice-1/response q1 DUP {\"rc\":200,\"reqId\":\"r1\"}");

        TranscriptEntry old = (TranscriptEntry) Transcript.parseJsonLines(line.replace(",\"dup\":true", ""))
                .items().get(0);
        assertThat(old.duplicate()).isFalse();
    }

    @Test
    void text_has_one_readable_line_per_item_with_compact_json() {
        List<String> lines = sample().toText().lines().toList();
        assertThat(lines).containsExactly(
                "2026-11-25T13:08:15.747Z CONNECT " + CLIENT + " sessionPresent=false",
                "2026-11-25T13:08:15.752Z D->P " + CLIENT + " iotdevice-1/mgmt/manage q1 {\"reqId\":\"m1\",\"d\":{\"lifetime\":3600}}",
                "2026-11-25T13:08:15.752Z P->D " + CLIENT + " iotdm-1/response q1 {\"rc\":200,\"reqId\":\"m1\"}",
                "2026-11-25T13:08:15.752Z D->P " + CLIENT + " iot-2/evt/blob/fmt/bin q0 RETAIN base64:/wABww==",
                "2026-11-25T13:08:15.752Z D->P " + CLIENT + " iot-2/evt/line/fmt/txt q2 two\\nlines é",
                "2026-11-25T13:08:16.747Z CONNECT " + CLIENT,
                "2026-11-25T13:08:17.747Z DISCONNECT " + CLIENT);
    }

    @Test
    void random_payloads_round_trip_byte_for_byte() {
        long seed = Seeds.runSeed();
        SplittableRandom random = new SplittableRandom(seed);
        Transcript t = new Transcript();
        for (int i = 0; i < Seeds.tries(300); i++) {
            byte[] payload = new byte[random.nextInt(40)];
            for (int j = 0; j < payload.length; j++) {
                payload[j] = (byte) (random.nextBoolean() ? 0x20 + random.nextInt(0x5f) : random.nextInt(256));
            }
            t.add(new TranscriptEntry(T0.plusNanos(random.nextLong(1_000_000_000_000L)),
                    random.nextBoolean() ? Direction.DEVICE_TO_PLATFORM : Direction.PLATFORM_TO_DEVICE, CLIENT,
                    "iot-2/evt/e" + i + "/fmt/bin", payload, random.nextInt(3), random.nextBoolean(),
                    random.nextBoolean()));
        }
        assertThat(Transcript.parseJsonLines(t.toJsonLines()).items()).as(Seeds.replayHint(seed)).isEqualTo(t.items());
    }

    @Test
    void a_file_round_trips(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.jsonl");
        sample().writeJsonLines(file);
        assertThat(Transcript.readJsonLines(file).items()).isEqualTo(sample().items());
        Files.writeString(file, "{\"kind\":\"message\"}\n");
        assertThatThrownBy(() -> Transcript.readJsonLines(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("line 1");
    }

    @Test
    void bad_lines_are_rejected_naming_the_line_and_field() {
        String good = sample().toJsonLines();
        assertThatThrownBy(() -> Transcript.parseJsonLines(good + "\n{\"kind\":\"connect\",\"time\":\"yesterday\","
                + "\"clientId\":\"c\"}")).hasMessageContaining("line 9").hasMessageContaining("'time'");
        assertThatThrownBy(() -> Transcript.parseJsonLines(good.replace("\"qos\":1", "\"qos\":3")))
                .hasMessageContaining("line 2").hasMessageContaining("'qos' must be 0, 1 or 2");
        assertThatThrownBy(() -> Transcript.parseJsonLines(good.replace("D->P", "sideways")))
                .hasMessageContaining("'direction'");
        assertThatThrownBy(() -> Transcript.parseJsonLines("not json")).hasMessageStartingWith("line 1: ");
        assertThatThrownBy(() -> Transcript.parseJsonLines("{\"kind\":\"party\"}")).hasMessageContaining("'kind'");
    }

    @Test
    void listeners_see_each_later_item_in_order_and_a_failing_listener_does_not_stop_recording() {
        Transcript t = new Transcript();
        List<TranscriptItem> seen = new ArrayList<>();
        t.addListener(item -> {
            throw new IllegalStateException("broken printer");
        });
        TranscriptListener recorder = seen::add;
        t.addListener(recorder);
        Transcript s = sample();
        s.items().forEach(t::addItem);
        assertThat(seen).isEqualTo(s.items());
        t.removeListener(recorder);
        t.disconnected(T0, CLIENT);
        assertThat(seen).hasSize(s.size());
        assertThat(t.size()).isEqualTo(s.size() + 1);
    }

    @Test
    void the_printing_listener_prints_text_lines() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Transcript t = new Transcript();
        t.addListener(Transcript.printingTo(new PrintStream(out, true, StandardCharsets.UTF_8)));
        t.disconnected(T0, CLIENT);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("2026-11-25T13:08:15.747Z DISCONNECT " + CLIENT
                + System.lineSeparator());
    }

    @Test
    void concurrent_adders_lose_nothing_and_listeners_see_the_transcript_order() throws Exception {
        Transcript t = new Transcript();
        List<TranscriptItem> seen = new ArrayList<>(); // guarded by the transcript's lock
        t.addListener(seen::add);
        int threads = 4;
        int perThread = 500;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int n = 0; n < threads; n++) {
                String client = "d:o:t:" + n;
                done.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < perThread; i++) {
                        t.add(new TranscriptEntry(T0, Direction.DEVICE_TO_PLATFORM, client, "iot-2/evt/e/fmt/json",
                                utf8("{\"i\":" + i + "}"), 0, false));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(t.size()).isEqualTo(threads * perThread);
        assertThat(t.entries()).hasSize(threads * perThread);
        assertThat(seen).isEqualTo(t.items());
    }

    @Test
    void a_disconnect_marker_cannot_carry_a_session_flag() {
        assertThatThrownBy(() -> new ConnectionMarker(T0, CLIENT, ConnectionMarker.Kind.DISCONNECT, Optional.of(true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sessionPresent");
    }
}
