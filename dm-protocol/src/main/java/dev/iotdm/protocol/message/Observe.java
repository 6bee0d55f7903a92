package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The platform starts observing attributes (protocol.md §4.3); the device then notifies their changes.
 *
 * @param reqId the request id
 * @param fields the field names, device-model paths such as {@code mgmt.firmware}
 */
public record Observe(String reqId, List<String> fields) implements PlatformRequest {

    /**
     * Requires a reqId and non-empty field names.
     *
     * @param reqId the request id, not null
     * @param fields the field names, device-model paths such as {@code mgmt.firmware}; not null
     * @throws IllegalArgumentException if a field name is empty
     */
    public Observe {
        Objects.requireNonNull(reqId, "reqId");
        fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
        for (String f : fields) {
            if (f.isEmpty()) {
                throw new IllegalArgumentException("field names must not be empty");
            }
        }
    }

    /**
     * A request for the given fields.
     *
     * @param reqId the request id, not null
     * @param fields the field names, device-model paths such as {@code mgmt.firmware}, none empty
     * @return the request
     * @throws IllegalArgumentException if a field name is empty
     */
    public static Observe of(String reqId, String... fields) {
        return new Observe(reqId, List.of(fields));
    }

    @Override
    public Topic topic() {
        return DmTopic.OBSERVE;
    }

    @Override
    public Optional<String> requestId() {
        return Optional.of(reqId);
    }
}
