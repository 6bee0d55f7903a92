package dev.iotdm.client;

import dev.iotdm.protocol.message.Rc;
import java.util.Objects;
import java.util.Optional;

/** The platform answered a device request with an rc other than success (protocol.md §5). */
public final class DmRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String request;
    private final Rc rc;
    private final Optional<String> platformMessage;

    /** An error for a refused request. */
    public DmRequestException(String request, Rc rc, Optional<String> platformMessage) {
        super(request + " was answered " + rc + platformMessage.map(m -> ": " + m).orElse(""));
        this.request = Objects.requireNonNull(request, "request");
        this.rc = Objects.requireNonNull(rc, "rc");
        this.platformMessage = Objects.requireNonNull(platformMessage, "platformMessage");
    }

    /** What was asked, e.g. {@code manage}. */
    public String request() {
        return request;
    }

    /** The platform's rc. */
    public Rc rc() {
        return rc;
    }

    /** The platform's message, if any. */
    public Optional<String> platformMessage() {
        return platformMessage;
    }
}
