package dev.iotdm.protocol.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.iotdm.pbt.Gen;
import dev.iotdm.protocol.testing.MessageGens;
import dev.iotdm.pbt.Property;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link Topic}: every typed topic formats to a name that parses back to it,
 * parsing any string never throws and keeps the name, and typed topics cannot be built from
 * levels the protocol forbids. Replay a failure with {@code -Dpbt.seed=<seed>}.
 */
class TopicProperties {

    /** Pieces of real topic names, so that random concatenations hit real topics and their near misses. */
    private static final Gen<String> FRAGMENTS = Gen.elements("iotdm-1", "iotdevice-1", "iot-2", "evt", "cmd",
            "fmt", "mgmt", "custom", "initiate", "device", "firmware", "response", "notify", "observe", "json",
            "a", "", "/", "//", "+", "#", "\u0000", " ", "\uD800", "\uDC00", "\uD83D\uDE00");

    /** Near misses of real topics, arbitrary Unicode, and char sequences with unpaired surrogates. */
    private static final Gen<String> ANY_NAMES = Gen.oneOf(
            Gen.listOf(FRAGMENTS, 1, 9).map(parts -> String.join("", parts)),
            Gen.listOf(Gen.oneOf(FRAGMENTS, Gen.constant("/")), 1, 12).map(parts -> String.join("", parts)),
            Gen.unicodeStrings(0, 40),
            Gen.listOf(Gen.integers(0, 0xFFFF), 0, 20).map(TopicProperties::chars),
            Gen.oneOf(Gen.constant("iot-2/evt/"), Gen.constant("iot-2/cmd/"), Gen.constant("iotdm-1/mgmt/custom/"))
                    .flatMap(prefix -> Gen.unicodeStrings(1020, 1030).map(s -> prefix + s + "/fmt/json")));

    private static String chars(List<Integer> units) {
        StringBuilder b = new StringBuilder();
        units.forEach(u -> b.append((char) (int) u));
        return b.toString();
    }

    @Test
    void every_typed_topic_parses_back_from_its_name_to_an_equal_topic() {
        Property.forAll(MessageGens.typedTopics()).tries(300).check(t -> {
            Topic parsed = Topic.parse(t.topicName());

            assertThat(parsed).isEqualTo(t);
            assertThat(parsed.direction()).isNotNull();
            assertThat(parsed.toString()).isEqualTo(t.topicName());
        });
    }

    @Test
    void a_topic_is_device_to_platform_exactly_when_its_name_is_in_the_device_namespaces() {
        Property.forAll(MessageGens.typedTopics()).tries(300).check(t -> {
            boolean devicePublishes = t.topicName().startsWith("iotdevice-1/") || t.topicName().startsWith("iot-2/evt/");

            assertThat(t.direction()).isEqualTo(devicePublishes ? Direction.DEVICE_TO_PLATFORM : Direction.PLATFORM_TO_DEVICE);
        });
    }

    @Test
    void parsing_any_string_never_throws_keeps_the_name_and_is_stable() {
        Property.forAll(Gen.oneOf(ANY_NAMES, MessageGens.anyTopic().map(Topic::topicName))).tries(300).check(name -> {
            Topic parsed = Topic.parse(name);

            assertThat(parsed.topicName()).isEqualTo(name);
            assertThat(Topic.parse(parsed.topicName())).isEqualTo(parsed);
            assertThat(parsed.direction() == null).isEqualTo(parsed instanceof UnknownTopic);
        });
    }

    @Test
    void unknown_topics_stay_unknown_and_keep_their_name() {
        Property.forAll(MessageGens.unknownTopics()).tries(200).check(u -> {
            assertThat(Topic.parse(u.topicName())).isEqualTo(u);
            assertThat(u.isDmNamespace()).isEqualTo(u.topicName().startsWith("iotdm-1/"));
        });
    }

    @Test
    void a_level_with_a_separator_a_wildcard_or_nul_is_refused_naming_the_field() {
        Gen<String> forbidden = Gen.elements("/", "+", "#", "\u0000");
        Gen<String> badLevels = Gen.oneOf(
                Gen.constant(""),
                Gen.unicodeStrings(Identifiers.MAX_TOPIC_LEVEL_LENGTH + 1, Identifiers.MAX_TOPIC_LEVEL_LENGTH + 8)
                        .map(s -> s.replaceAll("[/+#\u0000]", "_")),
                c -> Gen.unicodeStrings(0, 5).generate(c) + forbidden.generate(c) + Gen.unicodeStrings(0, 5).generate(c));
        Property.forAll(badLevels, MessageGens.topicLevels()).tries(200).check((bad, good) -> {
            assertThatIllegalArgumentException().isThrownBy(() -> new EventTopic(bad, good)).withMessageContaining("eventId");
            assertThatIllegalArgumentException().isThrownBy(() -> new EventTopic(good, bad)).withMessageContaining("format");
            assertThatIllegalArgumentException().isThrownBy(() -> new CommandTopic(bad, good))
                    .withMessageContaining("commandId");
            assertThatIllegalArgumentException().isThrownBy(() -> new CustomActionTopic(bad, "a"))
                    .withMessageContaining("bundleId");
            assertThatIllegalArgumentException().isThrownBy(() -> new CustomActionTopic("a", bad))
                    .withMessageContaining("actionId");
        });
    }
}
