package dev.iotdm.protocol.session;

import dev.iotdm.protocol.message.PlatformResponse;
import java.time.Duration;
import java.util.Objects;

/** How a device request or an event publish ended; every one ends exactly once. */
public sealed interface RequestOutcome {

    /**
     * The platform answered (with any rc: the caller decides what a non-success means).
     *
     * @param response the platform's response
     */
    record Answered(PlatformResponse response) implements RequestOutcome {
        /**
         * Requires a response.
         *
         * @param response the platform's response, not null
         */
        public Answered {
            Objects.requireNonNull(response, "response");
        }
    }

    /** An event was handed to the broker (PUBACK for QoS 1, written for QoS 0). */
    record Delivered() implements RequestOutcome {
    }

    /**
     * No answer came in time.
     *
     * @param after the timeout that elapsed
     */
    record TimedOut(Duration after) implements RequestOutcome {
    }

    /**
     * The request could not be sent or delivered.
     *
     * @param cause why
     */
    record Failed(Throwable cause) implements RequestOutcome {
        /**
         * Requires a cause.
         *
         * @param cause why, not null: a {@link DeliveryFailedException}, an
         *     {@link OfflineQueueFullException} or a {@link SessionClosedException}, for example
         */
        public Failed {
            Objects.requireNonNull(cause, "cause");
        }
    }
}
