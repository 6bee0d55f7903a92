package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The platform writes device attributes (protocol.md §4.2). Without a reqId it is a push that
 * gets no response (§12.12).
 *
 * @param reqId the request id, absent for pushes
 * @param fields the new values, at least one
 */
public record DeviceUpdate(Optional<String> reqId, List<FieldValue> fields) implements PlatformRequest {

    /**
     * Requires at least one field.
     *
     * @param reqId the request id, absent for pushes; not null
     * @param fields the new values, at least one; not null
     * @throws IllegalArgumentException if there is no field
     */
    public DeviceUpdate {
        Objects.requireNonNull(reqId, "reqId");
        fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("a device/update needs at least one field");
        }
    }

    /**
     * An update with a reqId.
     *
     * @param reqId the request id, not null
     * @param fields the new values, at least one
     * @return the request
     * @throws IllegalArgumentException if there is no field
     */
    public static DeviceUpdate of(String reqId, FieldValue... fields) {
        return new DeviceUpdate(Optional.of(reqId), List.of(fields));
    }

    @Override
    public Topic topic() {
        return DmTopic.DEVICE_UPDATE;
    }

    @Override
    public Optional<String> requestId() {
        return reqId;
    }
}
