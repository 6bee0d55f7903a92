package dev.iotdm.protocol.topic;

import java.util.Objects;

/**
 * A topic that is not one of the protocol's, kept verbatim so the receiver can report it (a
 * device answers a request on an unknown {@code iotdm-1/...} topic with 404, protocol.md §12.31).
 *
 * @param topicName the topic as received
 */
public record UnknownTopic(String topicName) implements Topic {

    /**
     * Requires a non-null name.
     *
     * @param topicName the topic as received, not null
     */
    public UnknownTopic {
        Objects.requireNonNull(topicName, "topicName");
    }

    /**
     * Whether the topic is in the platform's DM namespace ({@code iotdm-1/...}).
     *
     * @return true when the name starts with {@code iotdm-1/}
     */
    public boolean isDmNamespace() {
        return topicName.startsWith("iotdm-1/");
    }

    /**
     * Whether the topic is in the device's DM namespace ({@code iotdevice-1/...}); the platform
     * answers a request published there with 404 (protocol.md §3, §5.1).
     *
     * @return true when the name starts with {@code iotdevice-1/}
     */
    public boolean isDeviceDmNamespace() {
        return topicName.startsWith("iotdevice-1/");
    }

    @Override
    public Direction direction() {
        return null;
    }

    @Override
    public String toString() {
        return topicName;
    }
}
