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

    /** The topic the message travels on. */
    Topic topic();

    /** The request id, when the message carries one. */
    Optional<String> requestId();
}
