package dev.iotdm.transport.paho;

import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttTransportProvider;
import dev.iotdm.transport.MqttVersion;
import java.util.Set;

/**
 * Registers {@link PahoTransport} with {@link java.util.ServiceLoader} under the name
 * {@value #NAME}, so {@code Transports.load("paho")} and {@code ManagedClient.Builder.transport("paho")}
 * find it.
 *
 * <p>Thread-safety: stateless; safe for concurrent use.
 */
public final class PahoTransportProvider implements MqttTransportProvider {

    /** The name this transport is chosen by. */
    public static final String NAME = "paho";

    /** Called by {@link java.util.ServiceLoader}. */
    public PahoTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** MQTT 5 only: Paho's v5 client. */
    @Override
    public Set<MqttVersion> supportedVersions() {
        return PahoTransport.VERSIONS;
    }

    /** A new, disconnected {@link PahoTransport}. */
    @Override
    public MqttTransport create() {
        return new PahoTransport();
    }
}
