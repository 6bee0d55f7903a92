package dev.iotdm.protocol.message;

import dev.iotdm.protocol.json.JsonValue;
import java.util.Optional;

/**
 * A response, either way (protocol.md §2.1, §3.9, §4.1). Its {@code d} stays JSON until the
 * receiver has correlated the response to its request by reqId and knows which view applies
 * (the typed views of {@code dev.iotdm.protocol.codec.ResponseViews}).
 */
public sealed interface Response permits DeviceResponse, PlatformResponse {

    /** The response code. */
    Rc rc();

    /** The reqId of the request answered; absent only from non-conforming senders. */
    Optional<String> reqId();

    /** The optional explanation, expected when {@link #rc()} is not a success. */
    Optional<String> message();

    /** The optional data. */
    Optional<JsonValue> d();
}
