package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.Objects;
import java.util.Optional;

/**
 * The device appends an error code to {@code diag.errorCodes} (protocol.md §3.4).
 *
 * @param reqId the request id
 * @param errorCode the code
 */
public record AddErrorCode(String reqId, int errorCode) implements DeviceRequest {

    /**
     * Requires a reqId.
     *
     * @param reqId the request id, not null
     * @param errorCode the code
     */
    public AddErrorCode {
        Objects.requireNonNull(reqId, "reqId");
    }

    @Override
    public Topic topic() {
        return DmTopic.ADD_ERROR_CODE;
    }

    @Override
    public Optional<String> requestId() {
        return Optional.of(reqId);
    }
}
