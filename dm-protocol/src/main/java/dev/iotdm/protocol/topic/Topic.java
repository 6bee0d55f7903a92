package dev.iotdm.protocol.topic;

/**
 * An MQTT topic of the protocol, typed (protocol.md §2.2, §8.3, §10.1, §10.2).
 *
 * <p>{@link #parse(String)} turns any string into a typed topic, or an {@link UnknownTopic} when
 * it is not one of ours; it never throws. {@link #topicName()} formats the topic back, so that
 * {@code Topic.parse(t.topicName()).equals(t)} for every topic.
 *
 * <p>Thread-safety: topics are immutable values.
 */
public sealed interface Topic permits DmTopic, CustomActionTopic, EventTopic, CommandTopic, UnknownTopic {

    /**
     * The MQTT topic name.
     *
     * @return the name to publish or subscribe on
     */
    String topicName();

    /**
     * Which side publishes on this topic; {@code null} only for {@link UnknownTopic}.
     *
     * @return the publishing side
     */
    Direction direction();

    /**
     * The typed topic for an MQTT topic name; {@link UnknownTopic} when not ours. Never throws.
     *
     * @param name the topic name as received; null gives an {@link UnknownTopic} with an empty name
     * @return the typed topic
     */
    static Topic parse(String name) {
        return TopicParser.parse(name);
    }
}
