package dev.iotdm.protocol.message;

/**
 * A platform-initiated request (protocol.md §4), answered by the device on
 * {@code iotdevice-1/response} with the same reqId (when it has one).
 */
public sealed interface PlatformRequest extends PlatformMessage
        permits DeviceUpdate, Observe, Cancel, Reboot, FactoryReset, FirmwareDownload, FirmwareUpdate, CustomAction {
}
