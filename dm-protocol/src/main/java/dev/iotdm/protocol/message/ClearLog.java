package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.Objects;
import java.util.Optional;

/**
 * Clears the device's diagnostic log (protocol.md §3.7).
 *
 * @param reqId the request id
 */
public record ClearLog(String reqId) implements DeviceRequest {

    /**
     * Requires a reqId.
     *
     * @param reqId the request id, not null
     */
    public ClearLog {
        Objects.requireNonNull(reqId, "reqId");
    }

    @Override
    public Topic topic() {
        return DmTopic.CLEAR_LOG;
    }

    @Override
    public Optional<String> requestId() {
        return Optional.of(reqId);
    }
}
