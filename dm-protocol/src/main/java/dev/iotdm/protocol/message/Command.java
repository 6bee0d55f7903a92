package dev.iotdm.protocol.message;

import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.topic.CommandTopic;
import java.util.Objects;
import java.util.Optional;

/**
 * A command to the device on {@code iot-2/cmd/<commandId>/fmt/<format>} (protocol.md §10.2).
 *
 * @param topic the commandId and format
 * @param payload the raw payload
 */
public record Command(CommandTopic topic, Payload payload) implements PlatformMessage {

    /**
     * Requires both parts.
     *
     * @param topic the commandId and format, not null
     * @param payload the raw payload, not null
     */
    public Command {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * A JSON Command (format {@code json}).
     *
     * @param commandId the command id, a single topic level
     * @param value the JSON payload, not null
     * @return the command
     * @throws IllegalArgumentException if {@code commandId} is not a valid topic level
     */
    public static Command json(String commandId, JsonValue value) {
        return new Command(new CommandTopic(commandId, "json"), Payload.ofJson(value));
    }

    /**
     * A Command with raw bytes in the given format.
     *
     * @param commandId the command id, a single topic level
     * @param format the payload format, a single topic level
     * @param bytes the payload, copied
     * @return the command
     * @throws IllegalArgumentException if an id is not a valid topic level
     */
    public static Command of(String commandId, String format, byte[] bytes) {
        return new Command(new CommandTopic(commandId, format), Payload.of(bytes));
    }

    /**
     * The commandId.
     *
     * @return the {@code <commandId>} level of the topic
     */
    public String commandId() {
        return topic.commandId();
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
