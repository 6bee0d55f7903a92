package dev.iotdm.protocol.session;

import java.util.Objects;

/**
 * The session could not deliver a request or event to the broker; {@link #failure()} says why.
 * The engine's own exception type, so the pure core never depends on a transport's exceptions.
 */
public final class DeliveryFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the publish did not reach the broker. */
    private final PublishFailure failure;

    /**
     * An error with its cause.
     *
     * @param failure why the publish did not reach the broker, not null
     * @param message what was not delivered, for a person
     */
    public DeliveryFailedException(PublishFailure failure, String message) {
        super(message);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /**
     * Why the publish did not reach the broker.
     *
     * @return the failure, never null
     */
    public PublishFailure failure() {
        return failure;
    }
}
