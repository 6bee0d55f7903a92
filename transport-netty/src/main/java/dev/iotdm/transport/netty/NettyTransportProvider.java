package dev.iotdm.transport.netty;

import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttTransportProvider;

/**
 * Registers the Netty transport with {@link java.util.ServiceLoader} under the name
 * {@value #NAME}, so {@code Transports.load("netty")} finds it. Every transport it creates shares
 * {@link NettyTransportFactory#shared()}: one event loop group for the whole JVM, started with
 * the first transport and shut down when the last one is closed.
 *
 * <p>Thread-safety: stateless; safe for concurrent use.
 */
public final class NettyTransportProvider implements MqttTransportProvider {

    /** The name this transport is chosen by. */
    public static final String NAME = "netty";

    /** Called by {@link java.util.ServiceLoader}. */
    public NettyTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** A new, disconnected {@link NettyTransport} on the shared event loop group. */
    @Override
    public MqttTransport create() {
        return NettyTransportFactory.shared().create();
    }
}
