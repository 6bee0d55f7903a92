package dev.iotdm.testkit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.pbt.Seeds;
import dev.iotdm.protocol.topic.Direction;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whatever a device or platform sends, in whatever order, the checker never throws, keeps its
 * report consistent and only emits rules of the book.
 */
class RuleCheckerRobustnessProperties {

    private static final List<String> TOPICS = List.of("iotdevice-1/mgmt/manage", "iotdevice-1/mgmt/unmanage",
            "iotdevice-1/notify", "iotdevice-1/response", "iotdevice-1/add/diag/log", "iotdm-1/response",
            "iotdm-1/observe", "iotdm-1/cancel", "iotdm-1/device/update", "iotdm-1/mgmt/initiate/firmware/download",
            "iotdm-1/mgmt/initiate/firmware/update", "iotdm-1/mgmt/initiate/device/reboot", "iotdm-1/mgmt/custom/b/a",
            "iotdm-1/unknown", "iot-2/evt/e/fmt/json", "elsewhere");

    private static final List<String> FRAGMENTS = List.of("{", "}", "\"reqId\":", "\"r1\"", "\"r2\"", ",", "\"rc\":",
            "200", "\"202\"", "\"d\":", "{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"state\":2}}]}",
            "{\"lifetime\":3600,\"supports\":{\"deviceActions\":1}}", "null", "[", "]", "\"\\ud800\"", "1e999");

    @Test
    void random_conversations_never_break_the_checker() {
        long seed = Seeds.runSeed();
        int tries = Seeds.tries(200);
        SplittableRandom random = new SplittableRandom(seed);
        RuleBook book = RuleBook.standard();
        for (int t = 0; t < tries; t++) {
            RuleChecker checker = new RuleChecker();
            Instant now = Instant.parse("2026-11-25T10:00:00Z");
            for (int i = 0; i < 60; i++) {
                now = now.plusSeconds(random.nextInt(4000));
                String client = "d:o:t:" + random.nextInt(2);
                int what = random.nextInt(10);
                if (what == 0) {
                    checker.onConnect(now, client);
                } else if (what == 1) {
                    checker.onDisconnect(now, client);
                } else {
                    String topic = TOPICS.get(random.nextInt(TOPICS.size()));
                    StringBuilder payload = new StringBuilder();
                    int parts = random.nextInt(12);
                    for (int p = 0; p < parts; p++) {
                        payload.append(FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
                    }
                    checker.onMessage(new TranscriptEntry(now, topic.startsWith("iotdm-1") ? Direction.PLATFORM_TO_DEVICE
                            : Direction.DEVICE_TO_PLATFORM, client, topic,
                            payload.toString().getBytes(StandardCharsets.UTF_8), random.nextInt(3), random.nextInt(20) == 0));
                }
            }
            CheckReport r = checker.report();
            assertThat(checker.internalFailures()).as("replay with -Dpbt.seed=%d: inputs the checker failed on", seed).isZero();
            for (Violation v : r.violations()) {
                assertThat(book.rule(v.ruleId())).as("replay with -Dpbt.seed=%d: %s", seed, v).isPresent();
                assertThat(RuleChecker.CHECKED_RULE_IDS).as("replay with -Dpbt.seed=%d", seed).contains(v.ruleId());
                assertThat(r.exercised()).as("replay with -Dpbt.seed=%d: a violated rule counts as exercised", seed).contains(v.ruleId());
            }
            assertThat(r.exercised()).as("replay with -Dpbt.seed=%d", seed).doesNotContainAnyElementsOf(r.notExercised());
            assertThat(union(r)).as("replay with -Dpbt.seed=%d", seed).containsAll(book.checkableIds());
        }
    }

    private static java.util.Set<String> union(CheckReport r) {
        java.util.Set<String> all = new java.util.TreeSet<>(r.exercised());
        all.addAll(r.notExercised());
        return all;
    }
}
