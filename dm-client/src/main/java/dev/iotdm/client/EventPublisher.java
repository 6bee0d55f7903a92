package dev.iotdm.client;

import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.transport.Qos;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes device events (protocol.md §10.1). A {@link CommandHandler} receives one with each
 * command, so that it can publish its reply event without a reference to the client;
 * {@link ManagedClient} is one too.
 */
@FunctionalInterface
public interface EventPublisher {

    /**
     * Publishes an event; completes when handed to the broker (its PUBACK for QoS 1). Offline,
     * events wait up to the client's offline limit and go out after the reconnect.
     *
     * @param event the event
     * @param qos its quality of service
     * @return completes when the broker has the event; fails with the reason it could not be sent
     */
    CompletableFuture<Void> publishEvent(Event event, Qos qos);

    /**
     * Publishes a JSON event with format {@code json}.
     *
     * @param eventId the event id (a topic level)
     * @param data the event's JSON data
     * @param qos its quality of service
     * @return completes when the broker has the event; fails with the reason it could not be sent
     */
    default CompletableFuture<Void> publishEvent(String eventId, JsonValue data, Qos qos) {
        return publishEvent(Event.json(eventId, data), qos);
    }
}
