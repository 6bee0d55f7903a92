package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks the device to install the downloaded firmware image (protocol.md §4.8, §6.3).
 *
 * @param reqId the request id
 */
public record FirmwareUpdate(String reqId) implements PlatformRequest {

    /**
     * Requires a reqId.
     *
     * @param reqId the request id, not null
     */
    public FirmwareUpdate {
        Objects.requireNonNull(reqId, "reqId");
    }

    @Override
    public Topic topic() {
        return DmTopic.FIRMWARE_UPDATE;
    }

    @Override
    public Optional<String> requestId() {
        return Optional.of(reqId);
    }
}
