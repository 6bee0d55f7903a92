package dev.iotdm.client;

import dev.iotdm.protocol.message.CustomAction;
import java.util.concurrent.CompletionStage;

/**
 * Handles the custom actions of a device-management extension bundle (protocol.md §8). Runs on
 * the client's callback executor.
 */
@FunctionalInterface
public interface CustomActionHandler {

    /**
     * Carries out the action and completes with {@link ActionResponse#done()} (200),
     * {@code failed} (500) or {@code notSupported} (501). An exception answers 500.
     *
     * @param action the action, its bundle id, action id and parameters
     * @return completes with the answer; {@code null} answers 500 (a custom action has no later
     *     way to be answered)
     * @throws Exception anything the handler fails with: answered 500 with its message
     */
    CompletionStage<ActionResponse> handle(CustomAction action) throws Exception;
}
