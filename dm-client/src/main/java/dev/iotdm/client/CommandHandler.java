package dev.iotdm.client;

import dev.iotdm.protocol.message.Command;

/** Receives commands (protocol.md §10.2). Runs on the client's callback executor. */
@FunctionalInterface
public interface CommandHandler {

    /** Handles one command. Exceptions are logged and do not affect the client. */
    void onCommand(Command command) throws Exception;
}
