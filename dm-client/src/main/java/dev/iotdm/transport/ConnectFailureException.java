package dev.iotdm.transport;

import java.util.Objects;

/**
 * A connect attempt failed; {@link #failure()} says why.
 *
 * <p>Checked on purpose: a refused or unreachable broker is an expected outcome that a caller
 * of a blocking connect must handle (retry, fix the token, give up). On the asynchronous path
 * checkedness costs nothing, because a {@code CompletableFuture} carries any throwable; there
 * it arrives as the cause of a {@code CompletionException} / {@code ExecutionException}.
 *
 * <p>Thread-safety: immutable.
 */
public final class ConnectFailureException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The failure is not serializable; the message keeps its description. */
    private final transient ConnectFailure failure;

    /**
     * A failure without an underlying exception (e.g. a refused CONNACK).
     *
     * @param failure the classified failure; its description becomes the message
     * @throws NullPointerException if {@code failure} is null
     */
    public ConnectFailureException(ConnectFailure failure) {
        this(failure, null);
    }

    /**
     * A failure caused by a lower-level exception (socket, TLS, library).
     *
     * @param failure the classified failure
     * @param cause the underlying exception, may be null
     */
    public ConnectFailureException(ConnectFailure failure, Throwable cause) {
        super(Objects.requireNonNull(failure, "failure").describe(), cause);
        this.failure = failure;
    }

    /**
     * A failure with a message that adds what the transport did not know (for example the
     * device identity that was sent), in place of {@link ConnectFailure#describe()}.
     *
     * @param message the message; should contain the failure's description
     * @param failure the classified failure
     * @param cause the underlying exception, may be null
     */
    public ConnectFailureException(String message, ConnectFailure failure, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /**
     * Why the connect failed.
     *
     * @return the classified failure; null only on a deserialized copy, whose message keeps the
     *     description
     */
    public ConnectFailure failure() {
        return failure;
    }
}
