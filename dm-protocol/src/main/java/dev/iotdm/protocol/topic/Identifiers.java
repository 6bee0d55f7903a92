package dev.iotdm.protocol.topic;

import java.util.Optional;

/**
 * Validation of identifiers that become MQTT topic levels or parts of the client id.
 *
 * <p>Two ways in, as for every wire value: {@code require*} for callers throws
 * {@link IllegalArgumentException} naming the field; {@code check*} returns the problem as text
 * (empty when valid) for decoders, which never throw.
 *
 * <p>Rules: every topic level is non-empty and contains no {@code /}, {@code +}, {@code #} or NUL
 * (MQTT wildcards and separators). Type and device ids are at most 36 characters of
 * {@code [A-Za-z0-9._-]} (protocol.md §1.4); bundle and action ids at most 255 of the same set
 * (§8.1); the organisation id is letters and digits, at most 36.
 */
public final class Identifiers {

    /** Longest type or device id (protocol.md §1.4). */
    public static final int MAX_DEVICE_ID_LENGTH = 36;
    /** Longest bundle or action id (protocol.md §8.1). */
    public static final int MAX_BUNDLE_ID_LENGTH = 255;
    /** Longest event id, command id or format we accept as a topic level. */
    public static final int MAX_TOPIC_LEVEL_LENGTH = 1024;

    private Identifiers() {
    }

    /**
     * The problem with {@code value} as a generic topic level (event id, command id, format).
     *
     * @param value the candidate, possibly null (then "must not be empty")
     * @return the problem, phrased to follow the field name (e.g. {@code "must not be empty"});
     *     empty when valid
     */
    public static Optional<String> checkTopicLevel(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (value.length() > MAX_TOPIC_LEVEL_LENGTH) {
            return Optional.of("is longer than " + MAX_TOPIC_LEVEL_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '+' || c == '#' || c == '\0') {
                return Optional.of("must not contain '" + (c == '\0' ? "NUL" : String.valueOf(c)) + "'");
            }
        }
        return Optional.empty();
    }

    /**
     * The problem with {@code value} as a type id or device id (protocol.md §1.4).
     *
     * @param value the candidate, possibly null (then "must not be empty")
     * @return the problem, phrased to follow the field name (e.g. {@code "must not be empty"});
     *     empty when valid
     */
    public static Optional<String> checkDeviceId(String value) {
        return checkRestricted(value, MAX_DEVICE_ID_LENGTH, true);
    }

    /**
     * The problem with {@code value} as a bundle id or action id (protocol.md §8.1).
     *
     * @param value the candidate, possibly null (then "must not be empty")
     * @return the problem, phrased to follow the field name (e.g. {@code "must not be empty"});
     *     empty when valid
     */
    public static Optional<String> checkBundleId(String value) {
        return checkRestricted(value, MAX_BUNDLE_ID_LENGTH, true);
    }

    /**
     * The problem with {@code value} as an organisation id (letters and digits).
     *
     * @param value the candidate, possibly null (then "must not be empty")
     * @return the problem, phrased to follow the field name (e.g. {@code "must not be empty"});
     *     empty when valid
     */
    public static Optional<String> checkOrgId(String value) {
        return checkRestricted(value, MAX_DEVICE_ID_LENGTH, false);
    }

    /**
     * Returns {@code value} if it is a valid topic level, else throws naming {@code field}.
     *
     * @param field the name to put in the message, e.g. {@code "deviceId"}
     * @param value the candidate, possibly null
     * @return {@code value}, unchanged
     * @throws IllegalArgumentException naming {@code field} and the rule when {@code value} is not a
     *     valid topic level
     */
    public static String requireTopicLevel(String field, String value) {
        return require(field, value, checkTopicLevel(value));
    }

    /**
     * Returns {@code value} if it is a valid type or device id, else throws naming {@code field}.
     *
     * @param field the name to put in the message, e.g. {@code "deviceId"}
     * @param value the candidate, possibly null
     * @return {@code value}, unchanged
     * @throws IllegalArgumentException naming {@code field} and the rule when {@code value} is not a
     *     valid type or device id
     */
    public static String requireDeviceId(String field, String value) {
        return require(field, value, checkDeviceId(value));
    }

    /**
     * Returns {@code value} if it is a valid bundle or action id, else throws naming {@code field}.
     *
     * @param field the name to put in the message, e.g. {@code "deviceId"}
     * @param value the candidate, possibly null
     * @return {@code value}, unchanged
     * @throws IllegalArgumentException naming {@code field} and the rule when {@code value} is not a
     *     valid bundle or action id
     */
    public static String requireBundleId(String field, String value) {
        return require(field, value, checkBundleId(value));
    }

    /**
     * Returns {@code value} if it is a valid organisation id, else throws naming {@code field}.
     *
     * @param field the name to put in the message, e.g. {@code "deviceId"}
     * @param value the candidate, possibly null
     * @return {@code value}, unchanged
     * @throws IllegalArgumentException naming {@code field} and the rule when {@code value} is not a
     *     valid organisation id
     */
    public static String requireOrgId(String field, String value) {
        return require(field, value, checkOrgId(value));
    }

    private static String require(String field, String value, Optional<String> problem) {
        if (problem.isPresent()) {
            throw new IllegalArgumentException(field + " " + problem.get()
                    + (value == null ? "" : ": '" + printable(value) + "'"));
        }
        return value;
    }

    private static Optional<String> checkRestricted(String value, int maxLength, boolean punctuation) {
        if (value == null || value.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (value.length() > maxLength) {
            return Optional.of("is longer than " + maxLength + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (punctuation && (c == '.' || c == '_' || c == '-'));
            if (!ok) {
                return Optional.of(punctuation
                        ? "may contain only letters, digits, '.', '_' and '-'"
                        : "may contain only letters and digits");
            }
        }
        return Optional.empty();
    }

    /** Keeps error messages on one line and short, whatever the input. */
    static String printable(String value) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (; i < value.length() && b.length() < 80; i++) {
            char c = value.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return i < value.length() ? b + "..." : b.toString();
    }
}
