package dev.iotdm.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ManagedClient#close(Duration)} ended: whether every reply the device had decided
 * (answers to the platform's requests, notifies of observed fields) reached the broker before the
 * client disconnected.
 */
public sealed interface CloseOutcome {

    /**
     * Every decided reply was acknowledged by the broker (PUBACK) and every device or custom
     * action handler that had started had answered, before the disconnect.
     *
     * @param waited how long the close waited for them
     */
    record Flushed(Duration waited) implements CloseOutcome {
        /**
         * Requires the duration.
         *
         * @param waited how long the close waited
         */
        public Flushed {
            Objects.requireNonNull(waited, "waited");
        }
    }

    /**
     * The flush timeout passed first: the client disconnected with replies the broker had not
     * acknowledged, or handlers that had not answered. The same figures went out as a
     * {@link ClientEvent.UnacknowledgedAtClose} event and a WARN line.
     *
     * <p>What the device state keeps for the next start: the values of observed fields the
     * platform acknowledged, so the first manage after the restart notifies the ones it still has
     * wrong; and every answer to a reboot, factory reset, firmware or custom action (written to
     * disk before it was published), so a request the platform repeats is answered from it and
     * not run again. An answer is not published again by itself.
     *
     * @param replies responses and notifies without a PUBACK
     * @param unansweredActions device or custom action handlers started and not answered
     * @param flushTimeout how long the close waited
     */
    record Unacknowledged(int replies, int unansweredActions, Duration flushTimeout) implements CloseOutcome {
        /**
         * Validates the figures: something was left unacknowledged.
         *
         * @param replies responses and notifies without a PUBACK, not negative
         * @param unansweredActions started handlers without their answer, not negative
         * @param flushTimeout how long the close waited
         * @throws IllegalArgumentException when a figure is negative or both are 0
         */
        public Unacknowledged {
            if (replies < 0 || unansweredActions < 0 || replies + unansweredActions == 0) {
                throw new IllegalArgumentException("an unacknowledged close has something unacknowledged, got "
                        + replies + " replies and " + unansweredActions + " actions");
            }
            Objects.requireNonNull(flushTimeout, "flushTimeout");
        }
    }
}
