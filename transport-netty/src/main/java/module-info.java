/**
 * The iotdm transport SPI on Netty's MQTT codec, registered under the name {@code "netty"}.
 * MQTT 3.1.1 is its preferred version, MQTT 5 an option. Many transports share one event loop
 * group through a {@link dev.iotdm.transport.netty.NettyTransportFactory}, so a JVM can host
 * thousands of devices without a thread per device.
 *
 * <p>Only {@code dev.iotdm.transport.netty} is exported; the packet translation and the event
 * loop bookkeeping in {@code dev.iotdm.transport.netty.internal} stay private. Netty's transport
 * module is required transitively only because a user may hand the factory an event loop group.
 */
module dev.iotdm.transport.netty {
    requires transitive dev.iotdm.client;
    requires transitive io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.codec;
    requires io.netty.codec.mqtt;
    requires io.netty.handler;
    requires org.slf4j;

    exports dev.iotdm.transport.netty;

    provides dev.iotdm.transport.MqttTransportProvider
            with dev.iotdm.transport.netty.NettyTransportProvider;
}
