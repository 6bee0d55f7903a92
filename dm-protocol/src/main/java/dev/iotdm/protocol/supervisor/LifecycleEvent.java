package dev.iotdm.protocol.supervisor;

import java.time.Duration;

/**
 * Connection lifecycle notifications for the application, emitted by the
 * {@link ConnectionSupervisor} through {@link SupervisorAction.Emit}. Every value is immutable.
 */
public sealed interface LifecycleEvent
        permits LifecycleEvent.Connecting, LifecycleEvent.Connected, LifecycleEvent.Disconnected,
                LifecycleEvent.ReconnectScheduled, LifecycleEvent.AuthenticationFailed,
                LifecycleEvent.ClientIdTakeOverSuspected, LifecycleEvent.GaveUp,
                LifecycleEvent.ConnectFailed, LifecycleEvent.Closed {

    /**
     * A connection attempt starts.
     *
     * @param attempt 1 for the first attempt since start or since the last stable connection
     */
    record Connecting(int attempt) implements LifecycleEvent {
        /**
         * Validates the attempt number.
         *
         * @param attempt 1 for the first attempt since start or since the last stable connection
         * @throws IllegalArgumentException if {@code attempt} is less than 1
         */
        public Connecting {
            requireAttempt(attempt);
        }
    }

    /**
     * The transport is connected.
     *
     * @param sessionPresent whether the server resumed a previous session (protocol.md §1.7)
     */
    record Connected(boolean sessionPresent) implements LifecycleEvent {
    }

    /**
     * An established connection was lost.
     *
     * @param reason the transport's description, never null
     */
    record Disconnected(String reason) implements LifecycleEvent {
        /**
         * Validates the reason.
         *
         * @param reason the transport's description, never null
         * @throws IllegalArgumentException if {@code reason} is null
         */
        public Disconnected {
            requireText("reason", reason);
        }
    }

    /**
     * The next attempt will start after {@code delay}.
     *
     * @param delay   the wait, jitter included
     * @param attempt the number that attempt will carry in {@link Connecting}
     * @param cause   why a reconnect is needed: the failed attempt's or the lost connection's
     *                description as the transport gave it (wire text: escape before logging)
     */
    record ReconnectScheduled(Duration delay, int attempt, String cause) implements LifecycleEvent {
        /**
         * Validates the delay, attempt number and cause.
         *
         * @param delay the wait, jitter included
         * @param attempt the number that attempt will carry in {@link Connecting}
         * @param cause why a reconnect is needed: the failed attempt's or the lost connection's description
         *     as the transport gave it (wire text: escape before logging)
         * @throws IllegalArgumentException if the delay is null or negative, the attempt less than 1 or the
         *     cause null
         */
        public ReconnectScheduled {
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("delay must be a non-negative duration, was " + delay);
            }
            requireAttempt(attempt);
            requireText("cause", cause);
        }
    }

    /**
     * The server refused our credentials; the supervisor retries only after
     * {@code nextRetryDelay} (the policy's maximum delay), never in a tight loop.
     *
     * @param detail         the transport's description, never null
     * @param nextRetryDelay the wait before the next attempt
     */
    record AuthenticationFailed(String detail, Duration nextRetryDelay) implements LifecycleEvent {
        /**
         * Validates the detail and delay.
         *
         * @param detail the transport's description, never null
         * @param nextRetryDelay the wait before the next attempt
         * @throws IllegalArgumentException if the detail is null or the delay null or negative
         */
        public AuthenticationFailed {
            requireText("detail", detail);
            if (nextRetryDelay == null || nextRetryDelay.isNegative()) {
                throw new IllegalArgumentException(
                        "nextRetryDelay must be a non-negative duration, was " + nextRetryDelay);
            }
        }
    }

    /**
     * Connections keep being dropped soon after they are established, which is what happens when
     * another client connects with the same client id (protocol.md §1.4). Reported at most once
     * per take-over window; reconnects wait the policy's maximum delay meanwhile.
     *
     * @param lossesInWindow short-lived connection losses counted in the current window
     */
    record ClientIdTakeOverSuspected(int lossesInWindow) implements LifecycleEvent {
        /**
         * Validates the count.
         *
         * @param lossesInWindow short-lived connection losses counted in the current window
         * @throws IllegalArgumentException if {@code lossesInWindow} is less than 1
         */
        public ClientIdTakeOverSuspected {
            if (lossesInWindow < 1) {
                throw new IllegalArgumentException("lossesInWindow must be at least 1, was " + lossesInWindow);
            }
        }
    }

    /**
     * A permanent failure: the supervisor stopped trying and is idle until started again.
     *
     * @param reason the transport's description, never null
     */
    record GaveUp(String reason) implements LifecycleEvent {
        /**
         * Validates the reason.
         *
         * @param reason the transport's description, never null
         * @throws IllegalArgumentException if {@code reason} is null
         */
        public GaveUp {
            requireText("reason", reason);
        }
    }

    /**
     * An attempt failed before any connection had succeeded, and the supervisor does not retry
     * until a first success: it stopped (IDLE) and tries again only when started again.
     *
     * @param attempt the number of the attempt that failed
     * @param cause   the failed attempt's description as the transport gave it (wire text: escape
     *                before logging)
     */
    record ConnectFailed(int attempt, String cause) implements LifecycleEvent {
        /**
         * Validates the attempt number and cause.
         *
         * @param attempt the number of the attempt that failed
         * @param cause the failed attempt's description as the transport gave it (wire text: escape before
         *     logging)
         * @throws IllegalArgumentException if {@code attempt} is less than 1 or {@code cause} is null
         */
        public ConnectFailed {
            requireAttempt(attempt);
            requireText("cause", cause);
        }
    }

    /** The supervisor was closed; nothing follows. */
    record Closed() implements LifecycleEvent {
    }

    private static void requireAttempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
        }
    }

    private static void requireText(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
    }
}
