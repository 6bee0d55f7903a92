package dev.iotdm.testkit.broker;

/** Where the broker keeps sessions, subscriptions and queued messages. */
public enum Persistence {
    /** In memory: fast; kept sessions survive reconnects but not {@link EmbeddedBroker#restart()}. */
    IN_MEMORY,
    /** In files in the broker's temporary data folder, kept across {@link EmbeddedBroker#restart()}. */
    FILE
}
