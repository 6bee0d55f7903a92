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
        /**
         * Copies the list.
         *
         * @param filters the topic filters, in order; copied, not null
         */
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
        /**
         * Requires a topic and payload.
         *
         * @param id the session's id for this publish
         * @param topic the topic, not null
         * @param payload the payload; owned by the driver from now on; not null
         * @param qos 0 or 1
         */
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
     * Save this state before doing the actions that follow it. The driver performs the save and
     * waits for it to complete before it performs the next action, so a {@code Publish} after a
     * {@code Persist} never reaches the wire before its state is stored.
     *
     * <p>{@code durable} says whether the write must survive a power loss (forced to disk) before
     * the next action: true for the answers to requests with side effects (reboot, factory reset,
     * firmware download and update, custom actions), for every firmware phase change and for the
     * manage parameters. False for what the device may lose in a crash without harm: the answers
     * to observe, cancel and device/update (the platform asks again), and the acknowledged
     * values (the device notifies once more). A store may still write a non-durable state at
     * once; it need not force it to disk.
     *
     * @param state the state to save
     * @param durable whether the save must be durable before the next action
     */
    record Persist(DeviceState state, boolean durable) implements SessionAction {
        /**
         * Requires a state.
         *
         * @param state the state to save, not null
         * @param durable whether the save must be durable before the next action
         */
        public Persist {
            Objects.requireNonNull(state, "state");
        }

        /**
         * A durable save.
         *
         * @param state the state to save, not null
         */
        public Persist(DeviceState state) {
            this(state, true);
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
        /**
         * Requires an event.
         *
         * @param event the event, not null
         */
        public Emit {
            Objects.requireNonNull(event, "event");
        }
    }
}
