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

    private static void checkFilter(String filter) {
        if (filter.isEmpty()) {
            throw new IllegalArgumentException("topicFilter must not be empty");
        }
        if (filter.getBytes(StandardCharsets.UTF_8).length > 65535) {
            throw new IllegalArgumentException("topicFilter is longer than 65535 UTF-8 bytes");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("topicFilter must not contain NUL: '" + filter + "'");
            }
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw new IllegalArgumentException(
                        "topicFilter may use '#' only as the whole last level: '" + filter + "'");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new IllegalArgumentException(
                        "topicFilter may use '+' only as a whole level: '" + filter + "'");
            }
        }
    }
}
