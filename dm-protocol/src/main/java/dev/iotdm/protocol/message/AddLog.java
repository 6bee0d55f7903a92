package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.Objects;
import java.util.Optional;

/**
 * The device appends an entry to {@code diag.log} (protocol.md §3.6).
 *
 * @param reqId the request id
 * @param entry the log entry
 */
public record AddLog(String reqId, LogEntry entry) implements DeviceRequest {

    /**
     * Requires both parts.
     *
     * @param reqId the request id, not null
     * @param entry the log entry, not null
     */
    public AddLog {
        Objects.requireNonNull(reqId, "reqId");
        Objects.requireNonNull(entry, "entry");
    }

    @Override
    public Topic topic() {
        return DmTopic.ADD_LOG;
    }

    @Override
    public Optional<String> requestId() {
        return Optional.of(reqId);
    }
}
