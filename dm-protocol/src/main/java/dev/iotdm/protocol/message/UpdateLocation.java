package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.Objects;
import java.util.Optional;

/**
 * The device reports its location (protocol.md §3.3).
 *
 * @param reqId the request id
 * @param location the complete new location
 */
public record UpdateLocation(String reqId, Location location) implements DeviceRequest {

    /**
     * Requires both parts.
     *
     * @param reqId the request id, not null
     * @param location the complete new location, not null
     */
    public UpdateLocation {
        Objects.requireNonNull(reqId, "reqId");
        Objects.requireNonNull(location, "location");
    }

    @Override
    public Topic topic() {
        return DmTopic.UPDATE_LOCATION;
    }

    @Override
    public Optional<String> requestId() {
        return Optional.of(reqId);
    }
}
