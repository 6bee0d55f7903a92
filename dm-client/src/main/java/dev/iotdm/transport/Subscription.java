package dev.iotdm.transport;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One topic filter of a SUBSCRIBE with the maximum QoS asked for.
 *
 * <p>Thread-safety: immutable.
 *
 * @param topicFilter an MQTT topic filter: non-empty, at most 65535 UTF-8 bytes, no NUL,
 *        {@code +} and {@code #} only as whole levels and {@code #} only last
 * @param qos the maximum QoS the broker should deliver with
 */
public record Subscription(String topicFilter, Qos qos) {

    /**
     * Validates the filter syntax (MQTT 3.1.1 §4.7).
     *
     * @param topicFilter an MQTT topic filter, as in the record header
     * @param qos the maximum QoS the broker should deliver with
     * @throws NullPointerException if either is null
     * @throws IllegalArgumentException saying what is wrong with the filter
     */
    public Subscription {
        Objects.requireNonNull(topicFilter, "topicFilter");
        Objects.requireNonNull(qos, "qos");
        checkFilter(topicFilter);
    }

    /** Every client checks its filters on each connect: one pass, no copies (no split, no byte array). */
    private static void checkFilter(String filter) {
        if (filter.isEmpty()) {
            throw new IllegalArgumentException("topicFilter must not be empty");
        }
        // At most 3 UTF-8 bytes per char: only a filter this long can exceed the limit.
        if (filter.length() > 65535 / 3 && filter.getBytes(StandardCharsets.UTF_8).length > 65535) {
            throw new IllegalArgumentException("topicFilter is longer than 65535 UTF-8 bytes");
        }
        int n = filter.length();
        for (int start = 0; start <= n;) {
            int end = filter.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            checkLevel(filter, start, end, end == n);
            start = end + 1;
        }
    }

    /** The level {@code filter[start, end)}; the checks and their order as per level before. */
    private static void checkLevel(String filter, int start, int end, boolean last) {
        boolean hash = false;
        boolean plus = false;
        for (int i = start; i < end; i++) {
            char c = filter.charAt(i);
            if (c == '\0') {
                throw new IllegalArgumentException("topicFilter must not contain NUL: '" + filter + "'");
            }
            hash |= c == '#';
            plus |= c == '+';
        }
        boolean whole = end - start == 1;
        if (hash && (!whole || !last)) {
            throw new IllegalArgumentException(
                    "topicFilter may use '#' only as the whole last level: '" + filter + "'");
        }
        if (plus && !whole) {
            throw new IllegalArgumentException(
                    "topicFilter may use '+' only as a whole level: '" + filter + "'");
        }
    }
}
