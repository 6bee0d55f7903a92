package dev.iotdm.protocol.message;

import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.topic.EventTopic;
import java.util.Objects;
import java.util.Optional;

/**
 * A device event on {@code iot-2/evt/<eventId>/fmt/<format>} (protocol.md §10.1).
 *
 * @param topic the eventId and format
 * @param payload the raw payload
 */
public record Event(EventTopic topic, Payload payload) implements DeviceMessage {

    /**
     * Requires both parts.
     *
     * @param topic the eventId and format, not null
     * @param payload the raw payload, not null
     */
    public Event {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * A JSON Event (format {@code json}).
     *
     * @param eventId the event id, a single topic level
     * @param value the JSON payload, not null
     * @return the event
     * @throws IllegalArgumentException if {@code eventId} is not a valid topic level
     */
    public static Event json(String eventId, JsonValue value) {
        return new Event(new EventTopic(eventId, "json"), Payload.ofJson(value));
    }

    /**
     * An Event with raw bytes in the given format.
     *
     * @param eventId the event id, a single topic level
     * @param format the payload format, a single topic level
     * @param bytes the payload, copied
     * @return the event
     * @throws IllegalArgumentException if an id is not a valid topic level
     */
    public static Event of(String eventId, String format, byte[] bytes) {
        return new Event(new EventTopic(eventId, format), Payload.of(bytes));
    }

    /**
     * The eventId.
     *
     * @return the {@code <eventId>} level of the topic
     */
    public String eventId() {
        return topic.eventId();
    }

    /**
     * The payload format.
     *
     * @return the {@code <format>} level of the topic, e.g. {@code json}
     */
    public String format() {
        return topic.format();
    }

    @Override
    public Optional<String> requestId() {
        return Optional.empty();
    }
}
