package dev.iotdm.transport;

import java.util.EnumSet;
import java.util.Set;

/**
 * Makes {@link MqttTransport}s of one kind. Transport modules register an implementation with
 * {@link java.util.ServiceLoader} ({@code provides ... with ...} in their module-info, or
 * {@code META-INF/services/dev.iotdm.transport.MqttTransportProvider} on the class path);
 * {@link Transports} finds it.
 *
 * <p>Thread-safety: implementations must be safe for concurrent use.
 */
public interface MqttTransportProvider {

    /**
     * The name to choose this transport by ({@link Transports#load(String)}, the command line).
     *
     * @return a short, unique, lower-case name, e.g. {@code "paho"}
     */
    String name();

    /**
     * The MQTT versions the transports of this provider speak ({@link MqttTransport#supportedVersions()}),
     * known before one is created (the command line chooses its default from it).
     *
     * @return the supported versions, never empty; the default claims both
     */
    default Set<MqttVersion> supportedVersions() {
        return EnumSet.allOf(MqttVersion.class);
    }

    /**
     * The version used when none was chosen ({@link MqttTransport#preferredVersion()}).
     *
     * @return MQTT 3.1.1 when supported, else the first supported version
     */
    default MqttVersion preferredVersion() {
        return MqttVersion.preferredOf(supportedVersions());
    }

    /**
     * Makes a transport. Each call returns a new instance, which the caller closes.
     *
     * @return a new, disconnected transport
     */
    MqttTransport create();
}
