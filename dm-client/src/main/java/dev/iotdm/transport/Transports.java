package dev.iotdm.transport;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds {@link MqttTransportProvider}s with {@link ServiceLoader} and creates transports by name.
 *
 * <p>Providers are found through this module's {@code uses} clause on the module path and the
 * thread context class loader on the class path. What this class's own loader sees is looked up
 * once and kept (a lookup reads every jar's {@code META-INF/services}: the issue #15 profile of a
 * fleet start-up found it on 43% of the samples of the thread building the clients); any other
 * context loader (a container's, a test's) is looked up on every call, so no foreign loader is
 * kept alive here.
 *
 * <p>Thread-safety: safe from any thread (the kept lookup is an immutable map).
 */
public final class Transports {

    /** The providers this class's own loader sees, once looked up without error; null before. */
    private static volatile Map<String, MqttTransportProvider> ownLoaderProviders;

    private Transports() {
    }

    /**
     * Creates a transport from the provider with this name.
     *
     * @param name the provider's name, e.g. {@code "paho"} or {@code "netty"}
     * @return a new, disconnected transport, which the caller closes
     * @throws IllegalArgumentException if the name is null or blank, or no provider has that
     *         name (the message lists the known ones)
     * @throws IllegalStateException if no provider is installed at all
     */
    public static MqttTransport load(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("transport name must not be empty");
        }
        Map<String, MqttTransportProvider> providers = providers();
        if (providers.isEmpty()) {
            throw new IllegalStateException("no MQTT transport found: " + noProviderHint());
        }
        MqttTransportProvider p = providers.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown MQTT transport '" + name + "'; available: "
                    + String.join(", ", providers.keySet()));
        }
        return p.create();
    }

    /**
     * Creates a transport from the only installed provider.
     *
     * @return a new, disconnected transport, which the caller closes
     * @throws IllegalStateException if none or several providers are installed (the message
     *         names them and says to choose one with {@link #load(String)})
     */
    public static MqttTransport loadDefault() {
        Map<String, MqttTransportProvider> providers = providers();
        if (providers.isEmpty()) {
            throw new IllegalStateException("no MQTT transport found: " + noProviderHint());
        }
        if (providers.size() > 1) {
            throw new IllegalStateException("several MQTT transports found (" + String.join(", ", providers.keySet())
                    + ") and none chosen: choose one with Transports.load(name)");
        }
        return providers.values().iterator().next().create();
    }

    /**
     * Finds a provider without creating a transport, e.g. to ask for its versions first.
     *
     * @param name the provider's name
     * @return the installed provider with this name, or empty when none has it
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalStateException if the installed providers cannot be loaded or two share a name
     */
    public static Optional<MqttTransportProvider> provider(String name) {
        return Optional.ofNullable(providers().get(name));
    }

    /**
     * Lists what {@link #load(String)} accepts.
     *
     * @return the names of the installed providers, sorted; empty when none is installed
     * @throws IllegalStateException if the installed providers cannot be loaded or two share a name
     */
    public static List<String> available() {
        return List.copyOf(providers().keySet());
    }

    private static String noProviderHint() {
        return "put a transport module (e.g. transport-paho or transport-netty) on the class path or module path";
    }

    private static Map<String, MqttTransportProvider> providers() {
        if (Thread.currentThread().getContextClassLoader() != Transports.class.getClassLoader()) {
            return lookUp();
        }
        Map<String, MqttTransportProvider> kept = ownLoaderProviders;
        if (kept == null) {
            kept = lookUp(); // two threads racing here both look up: harmless, the results are equal
            ownLoaderProviders = kept;
        }
        return kept;
    }

    /** The providers the context class loader sees, by name, sorted; unmodifiable. */
    private static Map<String, MqttTransportProvider> lookUp() {
        Map<String, MqttTransportProvider> byName = new TreeMap<>();
        try {
            for (MqttTransportProvider p : ServiceLoader.load(MqttTransportProvider.class)) {
                String name = p.name();
                if (name == null || name.isBlank()) {
                    throw new IllegalStateException("MQTT transport provider " + p.getClass().getName()
                            + " has an empty name");
                }
                MqttTransportProvider earlier = byName.putIfAbsent(name, p);
                if (earlier != null) {
                    throw new IllegalStateException("two MQTT transport providers are named '" + name + "': "
                            + earlier.getClass().getName() + " and " + p.getClass().getName());
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("an MQTT transport provider could not be loaded: " + e.getMessage(), e);
        }
        return Collections.unmodifiableMap(byName);
    }
}
