package dev.iotdm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QosAndSecretTest {

    @Test
    void qos_codes_round_trip_and_qos_2_is_unknown() {
        for (Qos q : Qos.values()) {
            assertThat(Qos.fromCode(q.code())).contains(q);
        }
        assertThat(Qos.AT_LEAST_ONCE.code()).isEqualTo(1);
        assertThat(Qos.fromCode(2)).isEmpty();
        assertThat(Qos.fromCode(-1)).isEmpty();
    }

    @Test
    void secret_never_shows_its_value_in_to_string() {
        Secret s = Secret.of("tok-123");
        assertThat(s.toString()).isEqualTo("Secret[***]").doesNotContain("tok");
        assertThat(Optional.of(s).toString()).doesNotContain("tok-123");
    }

    @Test
    void secret_reveals_its_value_and_utf8_bytes_only_on_request() {
        Secret s = Secret.of("päss");
        assertThat(s.reveal()).isEqualTo("päss");
        assertThat(s.revealUtf8()).isEqualTo("päss".getBytes(StandardCharsets.UTF_8));
        s.revealUtf8()[0] = 'X';
        assertThat(s.reveal()).isEqualTo("päss");
    }

    @Test
    void secrets_with_the_same_value_are_equal() {
        assertThat(Secret.of("a")).isEqualTo(Secret.of("a")).hasSameHashCodeAs(Secret.of("a"));
        assertThat(Secret.of("a")).isNotEqualTo(Secret.of("b"));
    }

    @Test
    void an_empty_secret_is_refused() {
        assertThatThrownBy(() -> Secret.of("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret value must not be empty");
    }
}
