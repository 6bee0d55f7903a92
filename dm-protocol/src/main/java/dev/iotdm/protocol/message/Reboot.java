package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks the device to reboot (protocol.md §4.5, §7); complete when it manages again.
 *
 * @param reqId the request id
 */
public record Reboot(String reqId) implements PlatformRequest {

    /**
     * Requires a reqId.
     *
     * @param reqId the request id, not null
     */
    public Reboot {
        Objects.requireNonNull(reqId, "reqId");
    }

    @Override
    public Topic topic() {
        return DmTopic.REBOOT;
    }

    @Override
    public Optional<String> requestId() {
        return Optional.of(reqId);
    }
}
