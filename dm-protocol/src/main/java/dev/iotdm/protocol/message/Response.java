package dev.iotdm.protocol.message;

import dev.iotdm.protocol.json.JsonValue;
import java.util.Optional;

/**
 * A response, either way (protocol.md §2.1, §3.9, §4.1). Its {@code d} stays JSON until the
 * receiver has correlated the response to its request by reqId and knows which view applies
 * (the typed views of {@code dev.iotdm.protocol.codec.ResponseViews}).
 */
public sealed interface Response permits DeviceResponse, PlatformResponse {

    /**
     * The response code.
     *
     * @return the rc, never null
     */
    Rc rc();

    /**
     * The reqId of the request answered; absent only from non-conforming senders.
     *
     * @return the reqId, which matches the response to its request
     */
    Optional<String> reqId();

    /**
     * The optional explanation, expected when {@link #rc()} is not a success.
     *
     * @return the message as received (wire text), empty when none was sent
     */
    Optional<String> message();

    /**
     * The optional data.
     *
     * @return the {@code d} member, empty when none was sent
     */
    Optional<JsonValue> d();
}
