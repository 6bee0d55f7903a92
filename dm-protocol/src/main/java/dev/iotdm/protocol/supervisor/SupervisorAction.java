package dev.iotdm.protocol.supervisor;

import java.time.Instant;

/**
 * What the {@link ConnectionSupervisor} asks its driver to do, in list order.
 *
 * <p>The driver keeps at most one timer per supervisor: {@link ScheduleTimer} replaces any timer
 * already set, and when it fires the driver calls {@link ConnectionSupervisor#tick(Instant)}.
 * Every value is immutable.
 */
public sealed interface SupervisorAction
        permits SupervisorAction.Connect, SupervisorAction.ScheduleTimer,
                SupervisorAction.CancelTimer, SupervisorAction.Emit {

    /**
     * Start one connection attempt now and report its outcome with
     * {@link ConnectionSupervisor#connectSucceeded} or {@link ConnectionSupervisor#connectFailed};
     * the transport's own connect timeout bounds the wait.
     */
    record Connect() implements SupervisorAction {
    }

    /**
     * Set (or replace) the single timer to fire at {@code at}.
     *
     * @param at when to call {@link ConnectionSupervisor#tick(Instant)}
     */
    record ScheduleTimer(Instant at) implements SupervisorAction {
        /**
         * Validates the instant.
         *
         * @param at when to call {@link ConnectionSupervisor#tick(Instant)}
         * @throws IllegalArgumentException if {@code at} is null
         */
        public ScheduleTimer {
            if (at == null) {
                throw new IllegalArgumentException("at must not be null");
            }
        }
    }

    /** Cancel the timer if one is set. */
    record CancelTimer() implements SupervisorAction {
    }

    /**
     * Deliver {@code event} to the application's lifecycle listeners.
     *
     * @param event what happened
     */
    record Emit(LifecycleEvent event) implements SupervisorAction {
        /**
         * Validates the event.
         *
         * @param event what happened
         * @throws IllegalArgumentException if {@code event} is null
         */
        public Emit {
            if (event == null) {
                throw new IllegalArgumentException("event must not be null");
            }
        }
    }
}
