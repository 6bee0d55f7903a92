package dev.iotdm.protocol.session;

import java.util.List;
import java.util.Objects;

/**
 * What the {@link DeviceSession} asks its driver to do, in order. The driver performs them
 * exactly as given: the session never does I/O itself.
 */
public sealed interface SessionAction {

    /**
     * Subscribe to these filters at QoS 1 and report the outcome with
     * {@link DeviceSession#subscribed}.
     *
     * @param filters the topic filters, in order
     */
    record Subscribe(List<String> filters) implements SessionAction {
        /** Copies the list. */
        public Subscribe {
            filters = List.copyOf(filters);
        }
    }

    /**
     * Publish, never retained, and report completion with {@link DeviceSession#publishCompleted}
     * or {@link DeviceSession#publishFailed} quoting {@code id}.
     *
     * @param id the session's id for this publish
     * @param topic the topic
     * @param payload the payload; owned by the driver from now on
     * @param qos 0 or 1
     */
    record Publish(long id, String topic, byte[] payload, int qos) implements SessionAction {
        /** Requires a topic and payload. */
        public Publish {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public String toString() {
            return "Publish[" + id + " " + topic + " q" + qos + " "
                    + new String(payload, java.nio.charset.StandardCharsets.UTF_8) + "]";
        }
    }

    /**
     * Save this state durably before doing the actions that follow it.
     *
     * @param state the state to save
     */
    record Persist(DeviceState state) implements SessionAction {
        /** Requires a state. */
        public Persist {
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * Close the connection; the session cannot work on it.
     *
     * @param reason why
     */
    record Disconnect(String reason) implements SessionAction {
    }

    /**
     * Deliver an event to the application (on the application's executor, never the transport's
     * thread).
     *
     * @param event the event
     */
    record Emit(SessionEvent event) implements SessionAction {
        /** Requires an event. */
        public Emit {
            Objects.requireNonNull(event, "event");
        }
    }
}
