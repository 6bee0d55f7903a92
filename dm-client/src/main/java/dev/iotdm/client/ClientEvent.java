package dev.iotdm.client;

import dev.iotdm.protocol.session.SessionEvent;
import dev.iotdm.protocol.supervisor.LifecycleEvent;

/**
 * Something the application may want to log or react to: connection lifecycle from the
 * supervisor, and notable session events (automatic manage outcomes, dropped responses,
 * protocol problems, observation changes).
 */
public sealed interface ClientEvent {

    /**
     * A connection lifecycle event.
     *
     * @param event the supervisor's event
     */
    record Lifecycle(LifecycleEvent event) implements ClientEvent {
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
}
