package dev.iotdm.client;

import dev.iotdm.protocol.message.Rc;
import java.util.Objects;
import java.util.Optional;

/**
 * A handler's answer to a device action or custom action.
 *
 * <p>Thread-safety: immutable.
 *
 * @param rc the response code sent to the platform: 202, 500 or 501 for a device action
 *     (protocol.md §7), 200, 500 or 501 for a custom action (§8.4), as the factories give them;
 *     the client sends no other rc (it logs a warning and leaves the request unanswered)
 * @param message an explanation sent beside the rc, or empty to send none
 */
public record ActionResponse(Rc rc, Optional<String> message) {

    /**
     * Creates an answer.
     *
     * @param rc the response code sent to the platform
     * @param message an explanation sent beside the rc, or empty to send none
     * @throws NullPointerException if {@code rc} or {@code message} is null (use
     *     {@link Optional#empty()} for no message)
     */
    public ActionResponse {
        Objects.requireNonNull(rc, "rc");
        Objects.requireNonNull(message, "message");
    }

    /**
     * 202: the device action will run now (send before rebooting, protocol.md §7).
     *
     * @return an answer with rc 202 and no message
     */
    public static ActionResponse accepted() {
        return new ActionResponse(Rc.ACCEPTED, Optional.empty());
    }

    /**
     * 200: the custom action completed (protocol.md §8.4).
     *
     * @return an answer with rc 200 and no message
     */
    public static ActionResponse done() {
        return new ActionResponse(Rc.OK, Optional.empty());
    }

    /**
     * 500: the attempt failed.
     *
     * @param message why it failed, sent to the platform; null sends no message
     * @return an answer with rc 500
     */
    public static ActionResponse failed(String message) {
        return new ActionResponse(Rc.INTERNAL_ERROR, Optional.ofNullable(message));
    }

    /**
     * 501: this device does not support the action.
     *
     * @param message what is not supported, sent to the platform; null sends no message
     * @return an answer with rc 501
     */
    public static ActionResponse notSupported(String message) {
        return new ActionResponse(Rc.NOT_IMPLEMENTED, Optional.ofNullable(message));
    }
}
