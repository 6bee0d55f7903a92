package dev.iotdm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubscriptionTest {

    @ParameterizedTest
    @ValueSource(strings = {"iotdm-1/#", "iot-2/cmd/+/fmt/+", "#", "+", "a/b", "/", "a//b"})
    void valid_filters_are_accepted(String filter) {
        assertThat(new Subscription(filter, Qos.AT_LEAST_ONCE).topicFilter()).isEqualTo(filter);
    }

    @Test
    void hash_anywhere_but_the_whole_last_level_is_refused() {
        assertThatThrownBy(() -> new Subscription("a/#/b", Qos.AT_LEAST_ONCE))
                .hasMessage("topicFilter may use '#' only as the whole last level: 'a/#/b'");
        assertThatThrownBy(() -> new Subscription("a/b#", Qos.AT_LEAST_ONCE))
                .hasMessage("topicFilter may use '#' only as the whole last level: 'a/b#'");
    }

    @Test
    void plus_inside_a_level_is_refused() {
        assertThatThrownBy(() -> new Subscription("a/b+/c", Qos.AT_MOST_ONCE))
                .hasMessage("topicFilter may use '+' only as a whole level: 'a/b+/c'");
    }

    @Test
    void empty_filter_is_refused() {
        assertThatThrownBy(() -> new Subscription("", Qos.AT_MOST_ONCE)).hasMessage("topicFilter must not be empty");
    }

    @Test
    void refused_results_carry_failure_codes_only() {
        assertThat(new SubscribeResult.Refused(0x80).isGranted()).isFalse();
        assertThat(new SubscribeResult.Granted(Qos.AT_MOST_ONCE).isGranted()).isTrue();
        assertThatThrownBy(() -> new SubscribeResult.Refused(1))
                .hasMessage("reasonCode must be a failure code 0x80..0xFF, was 0x1");
    }
}
