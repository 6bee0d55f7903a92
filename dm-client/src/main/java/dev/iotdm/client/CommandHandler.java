package dev.iotdm.client;

import dev.iotdm.protocol.message.Command;

/**
 * Receives commands (protocol.md §10.2). Runs on the client's callback executor, never on a
 * transport thread.
 *
 * <pre>{@code
 * client.setCommandHandler("ping", (command, events) ->
 *         events.publishEvent("pong", command.payload().asJson(), Qos.AT_LEAST_ONCE));
 * }</pre>
 */
@FunctionalInterface
public interface CommandHandler {

    /**
     * Handles one command. Exceptions are logged and do not affect the client.
     *
     * @param command the command, with its id, format and data
     * @param events publishes the handler's reply events (the platform's commands have no
     *     response of their own; a reply is an event), without a reference to the client
     * @throws Exception anything the handler fails with: logged as a WARN line, nothing else
     */
    void onCommand(Command command, EventPublisher events) throws Exception;
}
