/**
 * The iotdm core: the Watson IoT Platform device-management wire protocol (topics and payloads),
 * the sans-I/O device session engine, the firmware state machine, the connection supervisor, the
 * transport SPI, TLS settings and the {@code ManagedClient} facade.
 *
 * <p>Only API packages are exported; {@code dev.iotdm.protocol.internal} stays private.
 */
module dev.iotdm.protocol {
    // JsonValue.writeTo and JsonValue.read take Jackson's generator and parser.
    requires transitive com.fasterxml.jackson.core;
    requires org.slf4j;
    requires java.net.http;

    exports dev.iotdm.protocol.json;
    exports dev.iotdm.protocol.topic;
    exports dev.iotdm.protocol.message;
    exports dev.iotdm.protocol.codec;
    exports dev.iotdm.protocol.firmware;
    exports dev.iotdm.protocol.session;
    exports dev.iotdm.protocol.supervisor;
    exports dev.iotdm.protocol.transport;
    exports dev.iotdm.protocol.tls;
    exports dev.iotdm.protocol.config;
    exports dev.iotdm.protocol.client;

    uses dev.iotdm.protocol.transport.MqttTransportProvider;
}
