package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks the device to reset to factory settings (protocol.md §4.6, §7).
 *
 * @param reqId the request id
 */
public record FactoryReset(String reqId) implements PlatformRequest {

    /**
     * Requires a reqId.
     *
     * @param reqId the request id, not null
     */
    public FactoryReset {
        Objects.requireNonNull(reqId, "reqId");
    }

    @Override
    public Topic topic() {
        return DmTopic.FACTORY_RESET;
    }

    @Override
    public Optional<String> requestId() {
        return Optional.of(reqId);
    }
}
