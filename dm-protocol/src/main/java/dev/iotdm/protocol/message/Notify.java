package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The device reports changes of observed attributes (protocol.md §3.8), in the
 * {@code fields}-array form we send (§12.2). All sub-fields changed by one operation go in one
 * notify.
 *
 * @param reqId a request id; we always send one (§12.3), old clients never did
 * @param fields the changed fields, at least one
 */
public record Notify(Optional<String> reqId, List<FieldValue> fields) implements DeviceRequest {

    /**
     * Requires at least one field.
     *
     * @param reqId a request id; we always send one (§12.3), old clients never did; not null
     * @param fields the changed fields, at least one; not null
     * @throws IllegalArgumentException if there is no field
     */
    public Notify {
        Objects.requireNonNull(reqId, "reqId");
        fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("a notify needs at least one field");
        }
    }

    /**
     * A notify with a reqId.
     *
     * @param reqId the request id, not null
     * @param fields the fields, at least one
     * @return the request
     * @throws IllegalArgumentException if there is no field
     */
    public static Notify of(String reqId, FieldValue... fields) {
        return new Notify(Optional.of(reqId), List.of(fields));
    }

    @Override
    public Topic topic() {
        return DmTopic.NOTIFY;
    }

    @Override
    public Optional<String> requestId() {
        return reqId;
    }
}
