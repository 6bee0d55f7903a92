package dev.iotdm.client;

import dev.iotdm.protocol.message.Rc;
import java.util.Objects;
import java.util.Optional;

/**
 * The platform answered a device request with an rc other than success (protocol.md §5). The
 * message names the request, the rc and the platform's message, if any.
 *
 * <p>Thread-safety: immutable.
 */
public final class DmRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What was asked, e.g. {@code manage}. */
    private final String request;
    /** The platform's rc. */
    private final Rc rc;
    /** The platform's message, or empty. */
    private final Optional<String> platformMessage;

    /**
     * An error for a refused request.
     *
     * @param request what was asked, e.g. {@code manage}
     * @param rc the platform's rc
     * @param platformMessage the platform's message, or empty when it sent none
     * @throws NullPointerException if any argument is null
     */
    public DmRequestException(String request, Rc rc, Optional<String> platformMessage) {
        super(request + " was answered " + rc + platformMessage.map(m -> ": " + m).orElse(""));
        this.request = Objects.requireNonNull(request, "request");
        this.rc = Objects.requireNonNull(rc, "rc");
        this.platformMessage = Objects.requireNonNull(platformMessage, "platformMessage");
    }

    /**
     * What was asked.
     *
     * @return the request's name, e.g. {@code manage}
     */
    public String request() {
        return request;
    }

    /**
     * The platform's answer.
     *
     * @return the rc the platform sent
     */
    public Rc rc() {
        return rc;
    }

    /**
     * The platform's explanation.
     *
     * @return the message the platform sent beside the rc, or empty when it sent none
     */
    public Optional<String> platformMessage() {
        return platformMessage;
    }
}
