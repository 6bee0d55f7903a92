package dev.iotdm.protocol.session;

/** The two device actions of protocol.md §7; one {@code supports.deviceActions} flag covers both. */
public enum DeviceActionKind {
    /** Reboot; complete when the device manages again after restarting. */
    REBOOT,
    /** Factory reset. */
    FACTORY_RESET
}
