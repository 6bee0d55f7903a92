package dev.iotdm.protocol.topic;

/** Which way a topic carries messages. */
public enum Direction {
    /** Published by the device ({@code iotdevice-1/...}, {@code iot-2/evt/...}). */
    DEVICE_TO_PLATFORM,
    /** Published by the platform ({@code iotdm-1/...}, {@code iot-2/cmd/...}). */
    PLATFORM_TO_DEVICE
}
