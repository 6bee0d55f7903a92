package dev.iotdm.testkit.broker;

/** Why the broker refused a device's PUBLISH instead of handing it to the platform. */
public enum PublishRefusal {
    /** The topic is not one a device may publish on (protocol.md §1.9, §2.2). */
    FORBIDDEN_TOPIC,
    /** The payload is larger than the broker's limit, 131072 bytes by default (protocol.md §1.9). */
    PAYLOAD_TOO_LARGE
}
