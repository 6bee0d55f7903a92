package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.Objects;
import java.util.Optional;

/**
 * Clears the device's error codes (protocol.md §3.5).
 *
 * @param reqId the request id
 */
public record ClearErrorCodes(String reqId) implements DeviceRequest {

    /**
     * Requires a reqId.
     *
     * @param reqId the request id, not null
     */
    public ClearErrorCodes {
        Objects.requireNonNull(reqId, "reqId");
    }

    @Override
    public Topic topic() {
        return DmTopic.CLEAR_ERROR_CODES;
    }

    @Override
    public Optional<String> requestId() {
        return Optional.of(reqId);
    }
}
