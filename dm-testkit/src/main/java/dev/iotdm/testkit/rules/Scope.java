package dev.iotdm.testkit.rules;

/** Where a rule applies. */
public enum Scope {
    /** Every transport and configuration. */
    ALL_TRANSPORTS,
    /** Only when speaking MQTT 3.1.1 (protocol.md §1.6). */
    MQTT_3_1_1_ONLY,
    /** Only with state that survives a restart or a session (persistent sessions, persisted flags). */
    NEEDS_PERSISTENCE,
    /** Outside the project's scope for now: WebSockets, gateways, quickstart, REST. */
    OUT_OF_SCOPE
}
