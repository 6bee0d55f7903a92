package dev.iotdm.protocol.message;

import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.Objects;
import java.util.Optional;

/**
 * The platform's answer to a device request, on {@code iotdm-1/response} (protocol.md §4.1).
 *
 * @param rc the response code
 * @param reqId the reqId of the request answered
 * @param message optional explanation
 * @param d optional data
 */
public record PlatformResponse(Rc rc, Optional<String> reqId, Optional<String> message, Optional<JsonValue> d)
        implements Response, PlatformMessage {

    /**
     * Requires non-null parts.
     *
     * @param rc the response code, not null
     * @param reqId the reqId of the request answered, not null
     * @param message optional explanation, not null
     * @param d optional data, not null
     */
    public PlatformResponse {
        Objects.requireNonNull(rc, "rc");
        Objects.requireNonNull(reqId, "reqId");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(d, "d");
    }

    /**
     * A response with only an rc.
     *
     * @param reqId the reqId of the device request answered, not null
     * @param rc the response code, not null
     * @return the response
     */
    public static PlatformResponse of(String reqId, Rc rc) {
        return new PlatformResponse(rc, Optional.of(reqId), Optional.empty(), Optional.empty());
    }

    /**
     * A response with an rc and a message.
     *
     * @param reqId the reqId of the device request answered, not null
     * @param rc the response code, not null
     * @param message the explanation, or null for none
     * @return the response
     */
    public static PlatformResponse of(String reqId, Rc rc, String message) {
        return new PlatformResponse(rc, Optional.of(reqId), Optional.ofNullable(message), Optional.empty());
    }

    /**
     * This response with data.
     *
     * @param data the {@code d} to send, not null
     * @return a new response; this one is unchanged
     */
    public PlatformResponse withD(JsonValue data) {
        return new PlatformResponse(rc, reqId, message, Optional.of(data));
    }

    @Override
    public Optional<String> requestId() {
        return reqId;
    }

    @Override
    public Topic topic() {
        return DmTopic.PLATFORM_RESPONSE;
    }
}
