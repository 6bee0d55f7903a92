package dev.iotdm.samples;

import dev.iotdm.client.EventPublisher;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.Command;
import dev.iotdm.transport.Qos;
import java.time.Duration;

/**
 * Events and commands (the seed's device sample): publishes a reading and answers every command
 * with an {@code ack} event. No device management is needed for either.
 */
public final class EventsAndCommandsSample implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ManagedClient client;

    /** A device with these options; not connected yet. */
    public EventsAndCommandsSample(DeviceOptions options) {
        client = ManagedClient.builder(options).transport("paho").build();
        // Seed style: the callback is assigned to the built client.
        client.setAnyCommandHandler(this::onCommand);
    }

    /** Connects and publishes one reading; waits for the broker's PUBACK. */
    public void start(double temperature) throws Exception {
        ManagedClient.await(client.connect(), WAIT);
        JsonObject reading = JsonObject.builder().put("temperature", JsonNumber.of(temperature)).put("unit", "C")
                .build();
        ManagedClient.await(client.publishEvent("reading", reading, Qos.AT_LEAST_ONCE), WAIT);
    }

    /** Answers with an event through the publisher the handler is given: no reference to the client needed. */
    private void onCommand(Command command, EventPublisher events) {
        events.publishEvent("ack", JsonObject.builder().put("commandId", command.commandId()).build(),
                Qos.AT_LEAST_ONCE);
    }

    @Override
    public void close() {
        client.close();
    }

    /** Runs against {@code IOTDM_HOST}:{@code IOTDM_PORT} with the {@code IOTDM_*} identity until stopped. */
    public static void main(String[] args) throws Exception {
        try (EventsAndCommandsSample sample = new EventsAndCommandsSample(Env.options())) {
            sample.start(21.5);
            Thread.currentThread().join(); // answers commands until the process is stopped
        }
    }
}
