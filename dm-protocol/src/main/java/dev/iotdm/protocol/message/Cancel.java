package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The platform stops observing attributes (protocol.md §4.4).
 *
 * @param reqId the request id
 * @param fields the field names, device-model paths such as {@code mgmt.firmware}
 */
public record Cancel(String reqId, List<String> fields) implements PlatformRequest {

    /**
     * Requires a reqId and non-empty field names.
     *
     * @param reqId the request id, not null
     * @param fields the field names, device-model paths such as {@code mgmt.firmware}; not null
     * @throws IllegalArgumentException if a field name is empty
     */
    public Cancel {
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
     * @param fields the field names, none empty
     * @return the request
     * @throws IllegalArgumentException if a field name is empty
     */
    public static Cancel of(String reqId, String... fields) {
        return new Cancel(reqId, List.of(fields));
    }

    @Override
    public Topic topic() {
        return DmTopic.CANCEL;
    }

    @Override
    public Optional<String> requestId() {
        return Optional.of(reqId);
    }
}
