package dev.iotdm.transport.paho.internal;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.internal.NetworkModule;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Paho's {@link MqttAsyncClient} connecting through a given {@link SocketModule} instead of the
 * network module Paho would pick for the URI scheme. Everything else is Paho's.
 *
 * <p>Thread-safety: as {@link MqttAsyncClient}.
 */
public final class PahoClient extends MqttAsyncClient {

    private final SocketModule module;

    /**
     * A client for one connection attempt, with in-memory persistence (Paho's default file
     * persistence would write into the working directory) and the given executor for every
     * thread Paho starts.
     *
     * @param module the socket module to connect through
     * @param clientId the MQTT client id
     * @param executor runs Paho's loops and its keep-alive timer
     * @throws MqttException if Paho rejects the client id or the module's URI
     */
    public PahoClient(SocketModule module, String clientId, ScheduledExecutorService executor) throws MqttException {
        super(Objects.requireNonNull(module, "module").getServerURI(), clientId, new MemoryPersistence(), null,
                executor);
        this.module = module;
    }

    @Override
    protected NetworkModule[] createNetworkModules(String address, MqttConnectionOptions options) {
        return new NetworkModule[] {module};
    }
}
