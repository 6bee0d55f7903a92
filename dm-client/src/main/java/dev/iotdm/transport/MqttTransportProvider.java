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

    /** A short, unique, lower-case name to choose this transport by, e.g. {@code "paho"}. */
    String name();

    /**
     * The MQTT versions the transports of this provider speak ({@link MqttTransport#supportedVersions()}),
     * known before one is created (the command line chooses its default from it).
     */
    default Set<MqttVersion> supportedVersions() {
        return EnumSet.allOf(MqttVersion.class);
    }

    /** The version used when none was chosen ({@link MqttTransport#preferredVersion()}). */
    default MqttVersion preferredVersion() {
        return MqttVersion.preferredOf(supportedVersions());
    }

    /** A new, disconnected transport. */
    MqttTransport create();
}
