package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks the device to download the firmware image set by a device/update (protocol.md §4.7, §6.2).
 *
 * @param reqId the request id
 */
public record FirmwareDownload(String reqId) implements PlatformRequest {

    /**
     * Requires a reqId.
     *
     * @param reqId the request id, not null
     */
    public FirmwareDownload {
        Objects.requireNonNull(reqId, "reqId");
    }

    @Override
    public Topic topic() {
        return DmTopic.FIRMWARE_DOWNLOAD;
    }

    @Override
    public Optional<String> requestId() {
        return Optional.of(reqId);
    }
}
