package dev.iotdm.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.topic.Direction;
import dev.iotdm.testkit.fault.PublishTally;
import dev.iotdm.testkit.scenario.Pending;
import dev.iotdm.testkit.scenario.ScenarioStep;
import dev.iotdm.testkit.scenario.ScenarioWorld;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import dev.iotdm.transport.MqttVersion;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A step with a redelivered request ends only once the device answered the redelivery too: the
 * repeated answer is device traffic that no platform operation waits for, and a step that ended
 * before it left the answer in flight into the next step (CI, seed 20261206, scenario 49 on
 * netty-3_1_1/mosquitto: "the step ended with publishes in flight: [device transport: 7 in, 6 on]").
 *
 * <p>The device here is slow on purpose, so the windows the settle condition must cover are wide
 * rather than microseconds: the copy goes 300 ms after the broker took the first (after the device
 * answered it), and the device runs each task 100 ms after it took the message in (after its
 * transport acknowledged it).
 */
class RedeliverySettleTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"netty", "paho"})
    void a_step_with_a_redelivered_request_ends_after_the_repeated_answer(String transport) {
        try (TransportRow row = TransportRow.slow(transport, MqttVersion.MQTT_5, Duration.ofMillis(300),
                Duration.ofMillis(100)); ScenarioWorld world = row.newWorld()) {
            world.inject(new ScenarioStep.DuplicateDelivery());
            world.settle(List.of());
            Pending update = world.start(new ScenarioStep.DeviceUpdate("metadata", 0));
            world.settle(List.of(update));

            List<TranscriptEntry> entries = world.transcript().entries();
            String reqId = entries.stream().filter(e -> e.topic().equals("iotdm-1/device/update"))
                    .map(RedeliverySettleTest::reqId).flatMap(Optional::stream).findFirst().orElseThrow();
            // One request on the platform's record, answered twice the same way: once, and again for its copy.
            assertThat(entries.stream().filter(e -> e.direction() == Direction.DEVICE_TO_PLATFORM
                    && e.topic().equals("iotdevice-1/response") && reqId(e).equals(Optional.of(reqId))))
                    .hasSize(2).extracting(TranscriptEntry::payloadText).containsOnly(
                            entries.stream().filter(e -> e.topic().equals("iotdevice-1/response")
                                    && reqId(e).equals(Optional.of(reqId))).findFirst().orElseThrow().payloadText());
            assertThat(world.publishTallies()).isNotEmpty().allMatch(PublishTally::settled);
            assertThat(world.publishTallies()).filteredOn(t -> t.leg().equals("duplicate copies"))
                    .containsExactly(new PublishTally("duplicate copies", 1, 1, 0));
        }
    }

    private static Optional<String> reqId(TranscriptEntry e) {
        try {
            JsonValue v = JsonValue.parse(e.payload());
            return v instanceof JsonObject o ? o.get("reqId").filter(JsonString.class::isInstance)
                    .map(s -> ((JsonString) s).value()) : Optional.empty();
        } catch (IllegalArgumentException notJson) {
            return Optional.empty();
        }
    }
}
