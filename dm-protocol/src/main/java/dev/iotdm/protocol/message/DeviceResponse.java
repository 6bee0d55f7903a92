package dev.iotdm.protocol.message;

import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.Objects;
import java.util.Optional;

/**
 * The device's answer to a platform request, on {@code iotdevice-1/response} (protocol.md §3.9).
 *
 * @param rc the response code
 * @param reqId the reqId of the request answered
 * @param message optional explanation
 * @param d optional data
 */
public record DeviceResponse(Rc rc, Optional<String> reqId, Optional<String> message, Optional<JsonValue> d)
        implements Response, DeviceMessage {

    /**
     * Requires non-null parts.
     *
     * @param rc the response code, not null
     * @param reqId the reqId of the request answered, not null
     * @param message optional explanation, not null
     * @param d optional data, not null
     */
    public DeviceResponse {
        Objects.requireNonNull(rc, "rc");
        Objects.requireNonNull(reqId, "reqId");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(d, "d");
    }

    /**
     * A response with only an rc.
     *
     * @param reqId the reqId of the platform request answered, not null
     * @param rc the response code, not null
     * @return the response
     */
    public static DeviceResponse of(String reqId, Rc rc) {
        return new DeviceResponse(rc, Optional.of(reqId), Optional.empty(), Optional.empty());
    }

    /**
     * A response with an rc and a message.
     *
     * @param reqId the reqId of the platform request answered, not null
     * @param rc the response code, not null
     * @param message the explanation, or null for none
     * @return the response
     */
    public static DeviceResponse of(String reqId, Rc rc, String message) {
        return new DeviceResponse(rc, Optional.of(reqId), Optional.ofNullable(message), Optional.empty());
    }

    /**
     * This response with data.
     *
     * @param data the {@code d} to send, not null
     * @return a new response; this one is unchanged
     */
    public DeviceResponse withD(JsonValue data) {
        return new DeviceResponse(rc, reqId, message, Optional.of(data));
    }

    @Override
    public Optional<String> requestId() {
        return reqId;
    }

    @Override
    public Topic topic() {
        return DmTopic.DEVICE_RESPONSE;
    }
}
