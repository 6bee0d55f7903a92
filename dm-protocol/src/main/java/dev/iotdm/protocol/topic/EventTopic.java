package dev.iotdm.protocol.topic;

/**
 * {@code iot-2/evt/<eventId>/fmt/<format>}: a device event (protocol.md §10.1).
 *
 * @param eventId the event id, a single topic level
 * @param format the payload format, e.g. {@code json}, a single topic level
 */
public record EventTopic(String eventId, String format) implements Topic {

    static final String PREFIX = "iot-2/evt/";

    /**
     * Validates both parts as topic levels.
     *
     * @param eventId the event id, a single topic level
     * @param format the payload format, e.g. {@code json}, a single topic level
     * @throws IllegalArgumentException naming the part that is not a valid topic level
     */
    public EventTopic {
        Identifiers.requireTopicLevel("eventId", eventId);
        Identifiers.requireTopicLevel("format", format);
    }

    @Override
    public String topicName() {
        return PREFIX + eventId + "/fmt/" + format;
    }

    @Override
    public Direction direction() {
        return Direction.DEVICE_TO_PLATFORM;
    }

    @Override
    public String toString() {
        return topicName();
    }
}
