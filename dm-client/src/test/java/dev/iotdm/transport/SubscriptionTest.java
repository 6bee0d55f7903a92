package dev.iotdm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
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

    @Test
    void every_short_filter_gets_the_verdict_of_the_split_based_check() {
        // Every filter of up to 5 characters over the characters the rules are about: the one-pass
        // check must accept and refuse (with the same message) exactly what splitting did.
        List<String> filters = new ArrayList<>(List.of(""));
        List<String> last = List.of("");
        for (int len = 1; len <= 5; len++) {
            List<String> next = new ArrayList<>();
            for (String f : last) {
                for (char c : new char[] {'a', '/', '#', '+', '\0'}) {
                    next.add(f + c);
                }
            }
            filters.addAll(next);
            last = next;
        }
        for (String f : filters) {
            assertThat(verdict(f)).as("filter '%s'", f).isEqualTo(splitVerdict(f));
        }
    }

    private static String verdict(String filter) {
        try {
            new Subscription(filter, Qos.AT_LEAST_ONCE);
            return "ok";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The check as it was before it became one pass (issue #15), kept as the reference. */
    private static String splitVerdict(String filter) {
        if (filter.isEmpty()) {
            return "topicFilter must not be empty";
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.indexOf('\0') >= 0) {
                return "topicFilter must not contain NUL: '" + filter + "'";
            }
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return "topicFilter may use '#' only as the whole last level: '" + filter + "'";
            }
            if (level.contains("+") && !level.equals("+")) {
                return "topicFilter may use '+' only as a whole level: '" + filter + "'";
            }
        }
        return "ok";
    }
}
