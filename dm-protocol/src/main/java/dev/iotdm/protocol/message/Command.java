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

    /** A JSON Command (format {@code json}). */
    public static Command json(String commandId, JsonValue value) {
        return new Command(new CommandTopic(commandId, "json"), Payload.ofJson(value));
    }

    /** A Command with raw bytes in the given format. */
    public static Command of(String commandId, String format, byte[] bytes) {
        return new Command(new CommandTopic(commandId, format), Payload.of(bytes));
    }

    /** The commandId. */
    public String commandId() {
        return topic.commandId();
    }

    /** The payload format. */
    public String format() {
        return topic.format();
    }

    @Override
    public Optional<String> requestId() {
        return Optional.empty();
    }
}
