package dev.iotdm.protocol.topic;

/**
 * {@code iot-2/cmd/<commandId>/fmt/<format>}: a command to the device (protocol.md §10.2).
 *
 * @param commandId the command id, a single topic level
 * @param format the payload format, e.g. {@code json}, a single topic level
 */
public record CommandTopic(String commandId, String format) implements Topic {

    /** The filter a device subscribes to for all of its commands (§1.10). */
    public static final String DEVICE_SUBSCRIPTION = "iot-2/cmd/+/fmt/+";

    static final String PREFIX = "iot-2/cmd/";

    /**
     * Validates both parts as topic levels.
     *
     * @param commandId the command id, a single topic level
     * @param format the payload format, e.g. {@code json}, a single topic level
     * @throws IllegalArgumentException naming the part that is not a valid topic level
     */
    public CommandTopic {
        Identifiers.requireTopicLevel("commandId", commandId);
        Identifiers.requireTopicLevel("format", format);
    }

    @Override
    public String topicName() {
        return PREFIX + commandId + "/fmt/" + format;
    }

    @Override
    public Direction direction() {
        return Direction.PLATFORM_TO_DEVICE;
    }

    @Override
    public String toString() {
        return topicName();
    }
}
