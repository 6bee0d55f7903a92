package dev.iotdm.protocol.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {

    private static final ReconnectPolicy P = ReconnectPolicy.DEFAULT;

    @Test
    void defaults_are_one_second_to_two_minutes_doubling_with_twenty_percent_jitter() {
        assertThat(P.minDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(P.maxDelay()).isEqualTo(Duration.ofMinutes(2));
        assertThat(P.multiplier()).isEqualTo(2.0);
        assertThat(P.jitter()).isEqualTo(0.2);
        assertThat(P.stablePeriod()).isEqualTo(Duration.ofSeconds(60));
        assertThat(P.takeOverLosses()).isEqualTo(3);
        assertThat(P.takeOverWindow()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void base_delay_grows_by_the_multiplier_and_stops_at_the_maximum() {
        assertThat(P.baseDelay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(P.baseDelay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(P.baseDelay(7)).isEqualTo(Duration.ofSeconds(64));
        assertThat(P.baseDelay(8)).isEqualTo(Duration.ofMinutes(2));
        assertThat(P.baseDelay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void jitter_spreads_symmetrically_and_is_clamped_into_min_and_max() {
        Duration ten = Duration.ofSeconds(10);
        assertThat(P.jittered(ten, 0.0)).isEqualTo(Duration.ofSeconds(8));
        assertThat(P.jittered(ten, 0.5)).isEqualTo(ten);
        assertThat(P.jittered(Duration.ofSeconds(1), 0.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(P.jittered(Duration.ofMinutes(2), 0.99)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void invalid_components_are_rejected_naming_the_component() {
        Duration s = Duration.ofSeconds(1);
        assertRejected(() -> new ReconnectPolicy(null, s, 2, 0, s, 1, s), "minDelay");
        assertRejected(() -> new ReconnectPolicy(Duration.ZERO, s, 2, 0, s, 1, s), "minDelay");
        assertRejected(() -> new ReconnectPolicy(s, s.minusMillis(1), 2, 0, s, 1, s), "maxDelay");
        assertRejected(() -> new ReconnectPolicy(s, Duration.ofDays(2), 2, 0, s, 1, s), "maxDelay");
        assertRejected(() -> new ReconnectPolicy(s, s, 0.5, 0, s, 1, s), "multiplier");
        assertRejected(() -> new ReconnectPolicy(s, s, Double.NaN, 0, s, 1, s), "multiplier");
        assertRejected(() -> new ReconnectPolicy(s, s, 2, 1.5, s, 1, s), "jitter");
        assertRejected(() -> new ReconnectPolicy(s, s, 2, -0.1, s, 1, s), "jitter");
        assertRejected(() -> new ReconnectPolicy(s, s, 2, 0, Duration.ofSeconds(-1), 1, s), "stablePeriod");
        assertRejected(() -> new ReconnectPolicy(s, s, 2, 0, s, 0, s), "takeOverLosses");
        assertRejected(() -> new ReconnectPolicy(s, s, 2, 0, s, 1, null), "takeOverWindow");
        assertRejected(() -> P.baseDelay(0), "failures");
        assertRejected(() -> P.jittered(s, 1.0), "uniform");
    }

    private static void assertRejected(Runnable construction, String field) {
        assertThatThrownBy(construction::run).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
    }
}
