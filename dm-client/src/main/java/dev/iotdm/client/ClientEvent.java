package dev.iotdm.client;

import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.session.RequestOutcome;
import dev.iotdm.protocol.session.SessionEvent;
import dev.iotdm.protocol.supervisor.LifecycleEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something the application may want to log or react to: connection lifecycle from the
 * supervisor, and notable session events (automatic manage outcomes, dropped responses,
 * protocol problems, observation changes), and the end of every request the application made
 * (what metrics count, e.g. the {@code dm-metrics-micrometer} module).
 */
public sealed interface ClientEvent {

    /**
     * A connection lifecycle event.
     *
     * @param event the supervisor's event
     * @param cause the exception behind it, when it has one: the failed attempt's
     *     {@code ConnectFailureException} for {@link LifecycleEvent.ConnectFailed},
     *     {@link LifecycleEvent.ReconnectScheduled} or {@link LifecycleEvent.AuthenticationFailed}
     *     after a failed attempt, the transport's cause for {@link LifecycleEvent.Disconnected}
     */
    record Lifecycle(LifecycleEvent event, Optional<Throwable> cause) implements ClientEvent {
        /**
         * Validates the components.
         *
         * @param event the supervisor's event
         * @param cause the exception behind it, or empty
         */
        public Lifecycle {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(cause, "cause");
        }

        /**
         * An event without an exception behind it.
         *
         * @param event the supervisor's event
         */
        public Lifecycle(LifecycleEvent event) {
            this(event, Optional.empty());
        }
    }

    /**
     * A session event.
     *
     * @param event the session's event
     */
    record Session(SessionEvent event) implements ClientEvent {
    }

    /**
     * A publish failed because the client's outbound queue was full: as many publishes waited
     * for room in the transport's in-flight window as the queue holds. Its request or event
     * failed with {@code PublishFailure.WINDOW_FULL}.
     *
     * @param topic the topic of the publish that failed (wire text: escape before logging)
     * @param limit the queue's bound
     */
    record OutboundQueueFull(String topic, int limit) implements ClientEvent {
    }

    /**
     * The device state could not be saved (the store threw): what the session asked to keep may
     * be lost in a crash, so a request answered since may run again when the platform redelivers
     * it after a restart. The answer is still published: withholding it would leave the platform
     * waiting for good. Fix the store (disk full, permissions) named in {@code reason}.
     *
     * @param reason the store's error message
     */
    record StateNotSaved(String reason) implements ClientEvent {
    }

    /**
     * {@link ManagedClient#close(Duration)} disconnected before every decided reply reached the
     * broker: its flush timeout passed first. See {@link CloseOutcome.Unacknowledged} for what the
     * device state keeps for the next start.
     *
     * @param replies responses and notifies without a PUBACK
     * @param unansweredActions device or custom action handlers started and not answered
     * @param flushTimeout how long the close waited
     */
    record UnacknowledgedAtClose(int replies, int unansweredActions, Duration flushTimeout) implements ClientEvent {
        /**
         * Requires the timeout.
         *
         * @param replies responses and notifies without a PUBACK
         * @param unansweredActions device or custom action handlers started and not answered
         * @param flushTimeout how long the close waited
         */
        public UnacknowledgedAtClose {
            Objects.requireNonNull(flushTimeout, "flushTimeout");
        }
    }

    /**
     * The manage lifetime lapsed without a successful re-manage: the platform now counts the
     * device as dormant (protocol.md §9.1) until a manage succeeds again, which the client
     * keeps trying (reported as {@link SessionEvent.AutoManageSucceeded}). Counted from the
     * arrival of the last successful manage's answer, so it comes no earlier than the platform's
     * own expiry.
     *
     * @param lifetime the lifetime of that manage
     * @param lastManaged when that answer arrived, on the client's clock
     */
    record ManageLapsed(Duration lifetime, Instant lastManaged) implements ClientEvent {
        /**
         * Requires every field.
         *
         * @param lifetime the lifetime of the last successful manage
         * @param lastManaged when that manage's answer arrived
         */
        public ManageLapsed {
            Objects.requireNonNull(lifetime, "lifetime");
            Objects.requireNonNull(lastManaged, "lastManaged");
        }
    }

    /**
     * A request the application made (a device-management request or an event publish) ended:
     * one such event for each future a request method returned, whatever its outcome. Requests
     * the client makes by itself (the automatic re-manage) are reported as
     * {@link SessionEvent.AutoManageSucceeded} and {@link SessionEvent.AutoManageFailed} instead.
     *
     * @param request what was requested, as the future's failures name it: {@code manage},
     *     {@code unmanage()}, {@code setLocation(..)}, {@code addErrorCode(7)},
     *     {@code clearErrorCodes()}, {@code addLog(..)}, {@code clearLog()}, or {@code event}
     *     followed by the event id
     * @param outcome how it ended: answered (with any rc), delivered (an event), timed out or failed
     * @param latency from the call to its outcome, on the client's clock
     */
    record RequestCompleted(String request, RequestOutcome outcome, Duration latency) implements ClientEvent {

        /** What {@link #request()} starts with for an event publish. */
        private static final String EVENT_PREFIX = "event ";

        /**
         * Requires every field.
         *
         * @param request what was requested
         * @param outcome how it ended
         * @param latency from the call to its outcome
         */
        public RequestCompleted {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(latency, "latency");
        }

        /**
         * The kind of request: the method's name without its arguments ({@code manage},
         * {@code unmanage}, {@code setLocation}, {@code addErrorCode}, {@code clearErrorCodes},
         * {@code addLog}, {@code clearLog}), and {@code event} for every event publish. A small
         * fixed set, fit for a metric tag (an error code or event id would not be).
         *
         * @return the request's kind
         */
        public String type() {
            if (request.startsWith(EVENT_PREFIX)) {
                return "event";
            }
            int arguments = request.indexOf('(');
            return arguments < 0 ? request : request.substring(0, arguments);
        }

        /**
         * The platform's rc, when it answered.
         *
         * @return the rc, or empty when the request was delivered (an event), timed out or failed
         */
        public Optional<Rc> rc() {
            return outcome instanceof RequestOutcome.Answered a ? Optional.of(a.response().rc()) : Optional.empty();
        }
    }
}
