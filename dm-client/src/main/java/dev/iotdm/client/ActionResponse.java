package dev.iotdm.client;

import dev.iotdm.protocol.message.Rc;
import java.util.Objects;
import java.util.Optional;

/**
 * A handler's answer to a device action or custom action.
 *
 * @param rc the response code
 * @param message optional explanation
 */
public record ActionResponse(Rc rc, Optional<String> message) {

    /** Requires an rc. */
    public ActionResponse {
        Objects.requireNonNull(rc, "rc");
        Objects.requireNonNull(message, "message");
    }

    /** 202: the device action will run now (send before rebooting, protocol.md §7). */
    public static ActionResponse accepted() {
        return new ActionResponse(Rc.ACCEPTED, Optional.empty());
    }

    /** 200: the custom action completed (§8.4). */
    public static ActionResponse done() {
        return new ActionResponse(Rc.OK, Optional.empty());
    }

    /** 500: the attempt failed. */
    public static ActionResponse failed(String message) {
        return new ActionResponse(Rc.INTERNAL_ERROR, Optional.ofNullable(message));
    }

    /** 501: not supported. */
    public static ActionResponse notSupported(String message) {
        return new ActionResponse(Rc.NOT_IMPLEMENTED, Optional.ofNullable(message));
    }
}
