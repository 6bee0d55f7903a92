package dev.iotdm.protocol.testing;

import dev.iotdm.pbt.Choices;
import dev.iotdm.pbt.Gen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.Message;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.Timestamp;
import dev.iotdm.protocol.testing.JsonMutations.Kind;
import dev.iotdm.protocol.testing.JsonMutations.Mutant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The message generators and payload mutations produce what they promise, edges included. */
class MessageGensTest {

    private static <T> List<T> sample(Gen<T> gen, int n) {
        SplittableRandom random = new SplittableRandom(11);
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(gen.generate(Choices.random(random.split())));
        }
        return out;
    }

    @Test
    void any_message_covers_every_message_type() {
        List<Message> messages = sample(MessageGens.anyMessage(), 600);

        assertThat(messages.stream().map(Object::getClass).distinct())
                .containsExactlyInAnyOrderElementsOf(MessageGens.byType().keySet());
    }

    @Test
    void timestamps_always_carry_a_zone_and_take_every_form() {
        List<String> texts = sample(MessageGens.timestamps(), 600).stream().map(Timestamp::text).toList();

        assertThat(sample(MessageGens.timestamps(), 300)).noneMatch(Timestamp::isZoneless);
        assertThat(texts).anyMatch(t -> t.matches(".*T\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"))
                .anyMatch(t -> t.matches(".*T\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d"))
                .anyMatch(t -> t.matches(".*\\.\\d{9}.*"))
                .anyMatch(t -> t.endsWith("+18:00") || t.endsWith("-18:00"));
        assertThat(sample(MessageGens.utcTimestamps(), 100)).allMatch(t -> t.text().endsWith("Z"));
    }

    @Test
    void locations_reach_the_poles_the_antimeridian_and_negative_zero() {
        List<Location> locations = sample(MessageGens.locations(), 1000);

        assertThat(locations).anyMatch(l -> l.latitude() == 90).anyMatch(l -> l.latitude() == -90)
                .anyMatch(l -> l.longitude() == 180).anyMatch(l -> l.longitude() == -180)
                .anyMatch(l -> Double.doubleToRawLongBits(l.latitude()) == Double.doubleToRawLongBits(-0.0))
                .anyMatch(l -> l.elevation().isEmpty()).anyMatch(l -> l.accuracy().isPresent())
                .anyMatch(l -> l.measuredDateTime().isPresent() && l.updatedDateTime().isEmpty());
    }

    @Test
    void notifies_carry_every_kind_of_field_with_and_without_req_id() {
        List<Notify> notifies = sample(MessageGens.notifies(), 300);

        assertThat(notifies.stream().flatMap(n -> n.fields().stream()).map(FieldValue::getClass).distinct())
                .hasSize(FieldValue.class.getPermittedSubclasses().length);
        assertThat(notifies).anyMatch(n -> n.reqId().isEmpty()).anyMatch(n -> n.reqId().isPresent());
    }

    @Test
    void responses_have_known_and_unknown_codes_and_every_optional_part_present_or_absent() {
        List<DeviceResponse> responses = sample(MessageGens.deviceResponses(), 500);

        assertThat(responses).anyMatch(r -> r.rc().known().isPresent()).anyMatch(r -> r.rc().known().isEmpty())
                .anyMatch(r -> r.reqId().isEmpty()).anyMatch(r -> r.message().isPresent())
                .anyMatch(r -> r.d().isPresent()).anyMatch(r -> r.d().isEmpty());
    }

    @Test
    void bundle_ids_and_topic_levels_reach_their_length_limits() {
        assertThat(sample(MessageGens.bundleIds(), 500)).anyMatch(id -> id.length() >= 250)
                .allMatch(id -> id.length() <= 255);
        assertThat(sample(MessageGens.topicLevels(), 500)).anyMatch(l -> l.length() > 1000)
                .allMatch(l -> l.length() <= 1024);
    }

    @Test
    void every_mutation_kind_changes_the_payload_and_structural_ones_keep_it_bounded() {
        byte[] valid = "{\"d\":{\"lifetime\":7200,\"metadata\":{\"a\":[1,true]}},\"reqId\":\"r1\"}"
                .getBytes(StandardCharsets.UTF_8);
        for (Kind kind : Kind.values()) {
            List<Mutant> mutants = sample(JsonMutations.of(valid, kind), 50);

            assertThat(mutants).as(kind.name()).allMatch(m -> m.kind() == kind)
                    .anyMatch(m -> !Arrays.equals(m.bytes(), valid))
                    .allMatch(m -> m.bytes().length < valid.length * 4 + 6 * JsonMutations.MAX_INSERTED_DEPTH + 2000);
        }
    }

    @Test
    void duplicated_keys_and_deep_nesting_are_refused_by_the_json_parser() {
        byte[] valid = "{\"d\":{\"a\":1},\"reqId\":\"r1\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(sample(JsonMutations.of(valid, Kind.DUPLICATE_KEY), 30)).allSatisfy(m ->
                assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse(m.bytes()))
                        .withMessageContaining("Duplicate"));
        assertThat(sample(JsonMutations.of(valid, Kind.DEEP_NESTING), 100)).anySatisfy(m ->
                assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse(m.bytes()))
                        .withMessageContaining("nesting"));
    }
}
