package dev.iotdm.protocol.message;

/** A message the platform publishes: its requests, its responses, and commands. */
public sealed interface PlatformMessage extends Message permits PlatformRequest, PlatformResponse, Command {
}
