package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.Topic;
import java.util.Optional;

/**
 * Every message of the protocol, typed: the requests and responses of protocol.md §3-§8 plus
 * events and commands (§10). Messages are immutable records validated on construction; the codec
 * turns them into topic + bytes and back.
 *
 * <p>Thread-safety: all messages are immutable.
 */
public sealed interface Message permits DeviceMessage, PlatformMessage {

    /**
     * The topic the message travels on.
     *
     * @return the typed topic, never null
     */
    Topic topic();

    /**
     * The request id, when the message carries one.
     *
     * @return the {@code reqId}, empty for events, commands and pushes without one
     */
    Optional<String> requestId();
}
