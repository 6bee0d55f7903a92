package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.Objects;
import java.util.Optional;

/**
 * Unmanage: the device stops being managed (protocol.md §3.2).
 *
 * @param reqId the request id
 */
public record Unmanage(String reqId) implements DeviceRequest {

    /**
     * Requires a reqId.
     *
     * @param reqId the request id, not null
     */
    public Unmanage {
        Objects.requireNonNull(reqId, "reqId");
    }

    @Override
    public Topic topic() {
        return DmTopic.UNMANAGE;
    }

    @Override
    public Optional<String> requestId() {
        return Optional.of(reqId);
    }
}
