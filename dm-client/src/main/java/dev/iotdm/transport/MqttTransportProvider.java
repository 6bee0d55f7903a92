package dev.iotdm.transport;

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

    /** A new, disconnected transport. */
    MqttTransport create();
}
