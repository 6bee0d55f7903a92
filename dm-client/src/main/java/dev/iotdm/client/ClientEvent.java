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
}
