package dev.iotdm.testkit.rules;

/** Who a rule binds: which side of the protocol must follow it. */
public enum Binds {
    /** The device agent. */
    DEVICE,
    /** The platform (our fake platform in tests). */
    PLATFORM,
    /** Both sides. */
    BOTH
}
