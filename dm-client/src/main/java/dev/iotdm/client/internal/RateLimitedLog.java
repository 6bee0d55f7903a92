package dev.iotdm.client.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Lets one line through per interval and counts the rest, so a flood of malformed messages
 * writes a few log lines, not one each; the next line that goes through says how many were
 * left out. Owns only the window and the count.
 *
 * <p>Thread-safety: not thread-safe; the driver calls it on its serial executor.
 */
final class RateLimitedLog {

    private final Duration interval;
    private final Consumer<String> sink;
    private Instant openAt;
    private int suppressed;

    RateLimitedLog(Duration interval, Consumer<String> sink) {
        this.interval = Objects.requireNonNull(interval, "interval");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Logs {@code line} (already escaped) unless a line went out less than an interval ago. */
    void log(Instant now, String line) {
        if (openAt != null && now.isBefore(openAt)) {
            suppressed++;
            return;
        }
        sink.accept(suppressed == 0 ? line
                : line + " (" + suppressed + " similar lines in the previous " + interval + " not logged)");
        suppressed = 0;
        openAt = now.plus(interval);
    }
}
