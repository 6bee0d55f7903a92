/**
 * The iotdm core: the Watson IoT Platform device-management wire protocol (topics and payloads),
 * the JSON value model and codec, the sans-I/O device session engine, the firmware state machine
 * and the connection supervisor. No I/O, no threads, no clock: time, randomness and request ids
 * are inputs, so a user can drive {@code DeviceSession} with their own I/O.
 *
 * <p>Only API packages are exported. Jackson is an implementation detail: no exported signature
 * mentions one of its types, so it is not required transitively. The machinery
 * ({@code internal}, {@code json.internal}, {@code firmware.internal}) stays private.
 */
module dev.iotdm.protocol {
    requires com.fasterxml.jackson.core;

    exports dev.iotdm.protocol.json;
    exports dev.iotdm.protocol.topic;
    exports dev.iotdm.protocol.message;
    exports dev.iotdm.protocol.codec;
    exports dev.iotdm.protocol.firmware;
    exports dev.iotdm.protocol.session;
    exports dev.iotdm.protocol.supervisor;
}
