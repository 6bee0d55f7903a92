package dev.iotdm.testkit.platform;

/** The platform-initiated operations of protocol.md §4, §6, §7, §8 and §10.2. */
public enum OperationKind {
    /** Write device attributes ({@code iotdm-1/device/update}, §4.2). */
    DEVICE_UPDATE,
    /** Start observing attributes (§4.3). */
    OBSERVE,
    /** Stop observing attributes (§4.4). */
    CANCEL,
    /** Reboot, complete when the device manages again (§7). */
    REBOOT,
    /** Factory reset, complete when the device manages again (§7). */
    FACTORY_RESET,
    /** The full firmware download flow (§6.2). */
    FIRMWARE_DOWNLOAD,
    /** The full firmware update (install) flow (§6.3). */
    FIRMWARE_UPDATE,
    /** A device-management extension action (§8). */
    CUSTOM_ACTION,
    /** A command on {@code iot-2/cmd/<id>/fmt/<format>} (§10.2); complete once handed to the transport. */
    COMMAND
}
