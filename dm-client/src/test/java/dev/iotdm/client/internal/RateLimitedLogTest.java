package dev.iotdm.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void a_flood_writes_one_line_per_interval_and_the_next_line_counts_the_rest() {
        List<String> lines = new ArrayList<>();
        RateLimitedLog log = new RateLimitedLog(Duration.ofSeconds(10), lines::add);

        for (int i = 0; i < 2000; i++) {
            log.log(T0.plusMillis(i), "bad message " + i);
        }
        log.log(T0.plusSeconds(10), "bad message late");

        assertThat(lines).containsExactly("bad message 0",
                "bad message late (1999 similar lines in the previous PT10S not logged)");
    }
}
