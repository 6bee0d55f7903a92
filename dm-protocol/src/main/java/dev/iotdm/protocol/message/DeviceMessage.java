package dev.iotdm.protocol.message;

/** A message the device publishes: its requests, its responses, and events. */
public sealed interface DeviceMessage extends Message permits DeviceRequest, DeviceResponse, Event {
}
