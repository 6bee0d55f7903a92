package dev.iotdm.testkit.platform;

import dev.iotdm.protocol.codec.DecodeError;
import dev.iotdm.protocol.codec.Normalisation;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.testkit.transcript.TranscriptEntry;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Something the platform saw or did that an observer (a transcript, a rule checker) may want:
 * connects, disconnects, every message in and out, decode problems, device events and notes.
 *
 * <p>Thread-safety: every event is immutable.
 */
public sealed interface PlatformEvent permits PlatformEvent.DeviceConnected, PlatformEvent.DeviceDisconnected,
        PlatformEvent.MessageSeen, PlatformEvent.DecodeProblem, PlatformEvent.DeviceEvent, PlatformEvent.Note,
        PlatformEvent.BrokerRefusal {

    /**
     * When it happened (engine time).
     *
     * @return the engine's clock reading; never {@code null}
     */
    Instant time();

    /**
     * The device concerned.
     *
     * @return its MQTT client id as sent (wire text); never {@code null}
     */
    String clientId();

    /**
     * Dispatches this event to the matching method of {@code observer}.
     *
     * @param observer receives exactly one call, on this thread
     */
    default void dispatchTo(PlatformObserver observer) {
        if (this instanceof DeviceConnected c) {
            observer.onConnect(c.time(), c.clientId());
        } else if (this instanceof DeviceDisconnected d) {
            observer.onDisconnect(d.time(), d.clientId());
        } else if (this instanceof MessageSeen m) {
            observer.onMessage(m.entry());
        } else if (this instanceof DecodeProblem p) {
            observer.onDecodeProblem(p);
        } else if (this instanceof DeviceEvent e) {
            observer.onDeviceEvent(e);
        } else if (this instanceof Note n) {
            observer.onNote(n);
        } else if (this instanceof BrokerRefusal r) {
            observer.onBrokerRefusal(r);
        }
    }

    /**
     * A device connected.
     *
     * @param time when
     * @param clientId which
     */
    record DeviceConnected(Instant time, String clientId) implements PlatformEvent {
        /**
         * Requires both parts.
         *
         * @param time when; not {@code null}
         * @param clientId which; not {@code null}
         */
        public DeviceConnected {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(clientId, "clientId");
        }
    }

    /**
     * A device's connection ended.
     *
     * @param time when
     * @param clientId which
     */
    record DeviceDisconnected(Instant time, String clientId) implements PlatformEvent {
        /**
         * Requires both parts.
         *
         * @param time when; not {@code null}
         * @param clientId which; not {@code null}
         */
        public DeviceDisconnected {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(clientId, "clientId");
        }
    }

    /**
     * A message in either direction, as it went over the wire.
     *
     * @param entry the message
     */
    record MessageSeen(TranscriptEntry entry) implements PlatformEvent {
        /**
         * Requires the entry.
         *
         * @param entry the message; not {@code null}
         */
        public MessageSeen {
            Objects.requireNonNull(entry, "entry");
        }

        @Override
        public Instant time() {
            return entry.time();
        }

        @Override
        public String clientId() {
            return entry.clientId();
        }
    }

    /**
     * A device payload the codec could not read ({@code error}), or read only by applying leniencies
     * for old clients ({@code normalisations}, protocol.md §12, §14).
     *
     * @param time when
     * @param clientId the sender
     * @param topic the topic
     * @param error the decode error, when the payload could not be read
     * @param normalisations the leniencies applied, when it could
     */
    record DecodeProblem(Instant time, String clientId, String topic, Optional<DecodeError> error,
            List<Normalisation> normalisations) implements PlatformEvent {
        /**
         * Requires an error or at least one normalisation, not both.
         *
         * @param time when; not {@code null}
         * @param clientId the sender; not {@code null}
         * @param topic the topic; not {@code null}
         * @param error the decode error, or empty; not {@code null}
         * @param normalisations the leniencies applied; copied
         * @throws IllegalArgumentException if both or neither are given
         */
        public DecodeProblem {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(error, "error");
            normalisations = List.copyOf(normalisations);
            if (error.isPresent() == !normalisations.isEmpty()) {
                throw new IllegalArgumentException("a decode problem has either an error or normalisations");
            }
        }
    }

    /**
     * A device event on {@code iot-2/evt/<eventId>/fmt/<format>} (protocol.md §10.1).
     *
     * @param time when it arrived
     * @param clientId the sender
     * @param event the event
     */
    record DeviceEvent(Instant time, String clientId, Event event) implements PlatformEvent {
        /**
         * Requires all parts.
         *
         * @param time when it arrived; not {@code null}
         * @param clientId the sender; not {@code null}
         * @param event the event; not {@code null}
         */
        public DeviceEvent {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * Something irregular the platform tolerated, e.g. a response to an unknown or already answered
     * reqId (iot-java's stale duplicate, protocol.md §14), a notify of an unobserved field, or a fault
     * that was applied.
     *
     * @param time when
     * @param clientId the device concerned
     * @param text a one-line description
     */
    record Note(Instant time, String clientId, String text) implements PlatformEvent {
        /**
         * Requires all parts.
         *
         * @param time when; not {@code null}
         * @param clientId the device concerned; not {@code null}
         * @param text a one-line description; not {@code null}
         */
        public Note {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The broker refused something a client sent: a CONNECT, one SUBSCRIBE filter, a PUBLISH on a
     * topic a device may not use, or an oversized payload (protocol.md §1.4, §1.5, §1.9, §1.10).
     *
     * @param time when
     * @param clientId the client id as sent (wire text: escape before printing)
     * @param kind what was refused
     * @param detail the reason, the filter or the topic (wire text); never a token
     */
    record BrokerRefusal(Instant time, String clientId, Kind kind, String detail) implements PlatformEvent {
        /**
         * Requires all parts.
         *
         * @param time when; not {@code null}
         * @param clientId the client id as sent; not {@code null}
         * @param kind what was refused; not {@code null}
         * @param detail the reason, the filter or the topic; not {@code null}
         */
        public BrokerRefusal {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(detail, "detail");
        }

        /** What the broker refused. */
        public enum Kind {
            /** A CONNECT: unknown device, wrong token, bad user name or client id; detail = the reason. */
            CONNECT,
            /** One filter of a SUBSCRIBE that a device may not use; detail = the filter. */
            SUBSCRIBE,
            /** A PUBLISH on a topic a device may not use; detail = the topic. */
            FORBIDDEN_PUBLISH,
            /** A PUBLISH over the payload limit, which disconnects the device; detail = the topic. */
            PAYLOAD_TOO_LARGE
        }
    }
}
