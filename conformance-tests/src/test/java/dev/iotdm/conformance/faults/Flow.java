package dev.iotdm.conformance.faults;

/** The flows of the matrix (issue #10); a fault strikes each one midway. */
enum Flow {
    /** The platform's firmware download (§6.2): the fault strikes while the device downloads. */
    FIRMWARE_DOWNLOAD,
    /** The platform's firmware update (§6.3) of a downloaded image: the fault strikes while the device installs. */
    FIRMWARE_UPDATE,
    /** The platform's reboot (§7): the fault strikes before the device answers 202 and restarts. */
    REBOOT,
    /** 200 custom actions from the platform at once: the fault strikes when the device has run 50 handlers. */
    BURST_200_REQUESTS,
    /** 50 QoS 1 events from the device: the fault strikes after the 10th. */
    EVENTS_50
}
