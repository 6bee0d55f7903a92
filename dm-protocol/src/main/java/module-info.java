/**
 * The iotdm core: the Watson IoT Platform device-management wire protocol (topics and payloads),
 * the JSON value model and codec, the sans-I/O device session engine, the firmware state machine
 * and the connection supervisor. No I/O, no threads, no clock: time, randomness and request ids
 * are inputs, so a user can drive {@code DeviceSession} with their own I/O.
 *
 * <p>Only API packages are exported; {@code dev.iotdm.protocol.internal} stays private.
 */
module dev.iotdm.protocol {
    // JsonValue.writeTo and JsonValue.read take Jackson's generator and parser.
    requires transitive com.fasterxml.jackson.core;

    exports dev.iotdm.protocol.json;
    exports dev.iotdm.protocol.topic;
    exports dev.iotdm.protocol.message;
    exports dev.iotdm.protocol.codec;
    exports dev.iotdm.protocol.firmware;
    exports dev.iotdm.protocol.session;
    exports dev.iotdm.protocol.supervisor;
}
