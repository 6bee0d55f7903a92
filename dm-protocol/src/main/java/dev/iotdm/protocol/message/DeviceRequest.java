package dev.iotdm.protocol.message;

/**
 * A device-initiated request (protocol.md §3), answered by the platform on
 * {@code iotdm-1/response} with the same reqId.
 */
public sealed interface DeviceRequest extends DeviceMessage
        permits Manage, Unmanage, UpdateLocation, AddErrorCode, ClearErrorCodes, AddLog, ClearLog, Notify {
}
