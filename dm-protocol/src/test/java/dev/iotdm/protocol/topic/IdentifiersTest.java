package dev.iotdm.protocol.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Each identifier rule and the message it gives (protocol.md §1.4, §8.1). */
class IdentifiersTest {

    @Test
    void a_topic_level_is_non_empty_at_most_1024_characters_without_separators_or_wildcards() {
        assertThat(Identifiers.checkTopicLevel("status")).isEmpty();
        assertThat(Identifiers.checkTopicLevel("a b.ü~")).isEmpty();
        assertThat(Identifiers.checkTopicLevel("x".repeat(1024))).isEmpty();
        assertThat(Identifiers.checkTopicLevel(null)).hasValue("must not be empty");
        assertThat(Identifiers.checkTopicLevel("")).hasValue("must not be empty");
        assertThat(Identifiers.checkTopicLevel("x".repeat(1025))).hasValue("is longer than 1024 characters");
        assertThat(Identifiers.checkTopicLevel("a/b")).hasValue("must not contain '/'");
        assertThat(Identifiers.checkTopicLevel("a+")).hasValue("must not contain '+'");
        assertThat(Identifiers.checkTopicLevel("#")).hasValue("must not contain '#'");
        assertThat(Identifiers.checkTopicLevel("a\0")).hasValue("must not contain 'NUL'");
    }

    @Test
    void a_device_or_type_id_is_at_most_36_letters_digits_dots_underscores_and_dashes() {
        assertThat(Identifiers.checkDeviceId("raspberry-pi_3.b")).isEmpty();
        assertThat(Identifiers.checkDeviceId("d".repeat(36))).isEmpty();
        assertThat(Identifiers.checkDeviceId("d".repeat(37))).hasValue("is longer than 36 characters");
        assertThat(Identifiers.checkDeviceId("")).hasValue("must not be empty");
        assertThat(Identifiers.checkDeviceId("a:b")).hasValue("may contain only letters, digits, '.', '_' and '-'");
        assertThat(Identifiers.checkDeviceId("café")).hasValue("may contain only letters, digits, '.', '_' and '-'");
    }

    @Test
    void a_bundle_or_action_id_is_at_most_255_of_the_same_characters() {
        assertThat(Identifiers.checkBundleId("acme-plugins-v1")).isEmpty();
        assertThat(Identifiers.checkBundleId("b".repeat(255))).isEmpty();
        assertThat(Identifiers.checkBundleId("b".repeat(256))).hasValue("is longer than 255 characters");
        assertThat(Identifiers.checkBundleId("a/b")).hasValue("may contain only letters, digits, '.', '_' and '-'");
    }

    @Test
    void an_org_id_is_letters_and_digits_only() {
        assertThat(Identifiers.checkOrgId("abc123")).isEmpty();
        assertThat(Identifiers.checkOrgId("quickstart")).isEmpty();
        assertThat(Identifiers.checkOrgId("abc-123")).hasValue("may contain only letters and digits");
        assertThat(Identifiers.checkOrgId(null)).hasValue("must not be empty");
    }

    @Test
    void require_returns_the_value_or_throws_naming_the_field_and_the_value() {
        assertThat(Identifiers.requireTopicLevel("eventId", "status")).isEqualTo("status");
        assertThat(Identifiers.requireDeviceId("deviceId", "d-1")).isEqualTo("d-1");
        assertThat(Identifiers.requireBundleId("bundleId", "b1")).isEqualTo("b1");
        assertThat(Identifiers.requireOrgId("orgId", "abc123")).isEqualTo("abc123");

        assertThatThrownBy(() -> Identifiers.requireDeviceId("typeId", "a b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("typeId may contain only letters, digits, '.', '_' and '-': 'a b'");
        assertThatThrownBy(() -> Identifiers.requireOrgId("orgId", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("orgId must not be empty");
        assertThatThrownBy(() -> Identifiers.requireTopicLevel("format", "a\nb/c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("format must not contain '/': 'a\\u000ab/c'");
    }

    @Test
    void values_in_messages_are_cut_to_80_characters_and_control_characters_escaped() {
        String longValue = "x".repeat(100);
        assertThatThrownBy(() -> Identifiers.requireDeviceId("deviceId", longValue))
                .hasMessage("deviceId is longer than 36 characters: '" + "x".repeat(80) + "...'");

        assertThat(Identifiers.printable("a\tb\u007f")).isEqualTo("a\\u0009b\\u007f");
        assertThat(Identifiers.printable("x".repeat(80))).isEqualTo("x".repeat(80));
        String controls = "\u0001".repeat(30);
        assertThat(Identifiers.printable(controls)).isEqualTo("\\u0001".repeat(14) + "...");
    }
}
