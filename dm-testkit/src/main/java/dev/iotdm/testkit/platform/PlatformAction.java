package dev.iotdm.testkit.platform;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the {@link PlatformEngine} asks its driver to do, collected with
 * {@link PlatformEngine#pollActions()} and carried out in order.
 *
 * <p>Thread-safety: every action is immutable.
 */
public sealed interface PlatformAction permits PlatformAction.SendToDevice, PlatformAction.DisconnectDevice,
        PlatformAction.Observed, PlatformAction.OperationCompleted {

    /**
     * Publish to one device. If the device has no matching subscription yet, keep trying until it
     * subscribes or {@code deliveryTimeout} passes (old clients subscribe late, protocol.md §14).
     *
     * @param clientId the device
     * @param topic the topic
     * @param payload the payload (copied)
     * @param qos always 1 for the platform's DM messages (protocol.md §1.11)
     * @param deliveryTimeout how long the send may wait for a subscription
     */
    record SendToDevice(String clientId, String topic, byte[] payload, int qos, Duration deliveryTimeout)
            implements PlatformAction {
        /**
         * Validates and copies.
         *
         * @param clientId the device; not {@code null}
         * @param topic the topic; not {@code null}
         * @param payload the payload; not {@code null}; copied
         * @param qos 0, 1 or 2
         * @param deliveryTimeout positive
         * @throws IllegalArgumentException if the QoS is out of range or the timeout not positive
         */
        public SendToDevice {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(topic, "topic");
            payload = Objects.requireNonNull(payload, "payload").clone();
            if (qos < 0 || qos > 2) {
                throw new IllegalArgumentException("qos must be 0, 1 or 2, was " + qos);
            }
            PlatformConfig.requirePositive("deliveryTimeout", deliveryTimeout);
        }

        /**
         * A copy of the payload.
         *
         * @return a new array each call
         */
        @Override
        public byte[] payload() {
            return payload.clone();
        }

        /**
         * The payload as UTF-8 text.
         *
         * @return the text, malformed bytes replaced; wire text, so escape it before logging
         */
        public String payloadText() {
            return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SendToDevice s && clientId.equals(s.clientId) && topic.equals(s.topic)
                    && Arrays.equals(payload, s.payload) && qos == s.qos && deliveryTimeout.equals(s.deliveryTimeout);
        }

        @Override
        public int hashCode() {
            return Objects.hash(clientId, topic, Arrays.hashCode(payload), qos, deliveryTimeout);
        }

        @Override
        public String toString() {
            return "SendToDevice[" + clientId + " " + topic + " q" + qos + " " + payloadText() + "]";
        }
    }

    /**
     * Close a device's connection, e.g. after an oversized payload (protocol.md §1.9).
     *
     * @param clientId the device
     * @param reason why, for logs and transcripts
     */
    record DisconnectDevice(String clientId, String reason) implements PlatformAction {
        /**
         * Requires both parts.
         *
         * @param clientId the device; not {@code null}
         * @param reason why; not {@code null}
         */
        public DisconnectDevice {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Tell the observers.
     *
     * @param event what happened
     */
    record Observed(PlatformEvent event) implements PlatformAction {
        /**
         * Requires the event.
         *
         * @param event what happened; not {@code null}
         */
        public Observed {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * An operation ended.
     *
     * @param token which operation
     * @param outcome how it ended
     */
    record OperationCompleted(OperationToken token, OperationOutcome outcome) implements PlatformAction {
        /**
         * Requires both parts.
         *
         * @param token which operation; not {@code null}
         * @param outcome how it ended; not {@code null}
         */
        public OperationCompleted {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(outcome, "outcome");
        }
    }
}
