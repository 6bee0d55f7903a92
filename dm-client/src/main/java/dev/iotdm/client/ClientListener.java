package dev.iotdm.client;

/** Receives {@link ClientEvent}s on the client's callback executor, in order. */
@FunctionalInterface
public interface ClientListener {

    /**
     * Called for each event. Exceptions are logged and ignored.
     *
     * @param event what happened
     */
    void onEvent(ClientEvent event);
}
