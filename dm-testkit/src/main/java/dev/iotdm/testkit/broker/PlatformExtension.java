package dev.iotdm.testkit.broker;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationFailedInput;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.ModifiablePublishPacket;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one HiveMQ extension of {@link EmbeddedBroker}: it makes the broker behave like the platform's
 * MQTT front end. It owns the authentication and authorization decisions, the routing of every
 * inbound PUBLISH to the {@link DevicePublishListener}, and the tracking of device connections.
 *
 * <p>Facts it relies on (docs/hivemq-embedded.md): the PublishInboundInterceptor runs before the
 * PublishAuthorizer and an authorizer-refused publish always disconnects, so every publish is
 * decided in the interceptor and never delivered to other clients; {@code extensionStart} runs again
 * on every broker start, so the services are captured there.
 *
 * <p>Thread-safe: HiveMQ calls it from many threads; its state is the volatile services and
 * concurrent maps.
 */
final class PlatformExtension implements ExtensionMain, SimpleAuthenticator, PublishAuthorizer,
        SubscriptionAuthorizer, PublishInboundInterceptor, ClientLifecycleEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformExtension.class);
    /** The MQTT username of token authentication (protocol.md §1.5). */
    static final String TOKEN_USERNAME = "use-token-auth";
    private static final String CONNECTION_ATTRIBUTE = "iotdm.connection";

    private final DeviceRegistry registry;
    private final Map<String, ApplicationCredential> applications;
    private final DevicePublishListener publishListener;
    private final DeviceConnectionListener connectionListener;
    private final int maxPayloadBytes;
    private final boolean disconnectOnForbiddenPublish;
    private final PendingSends pendingSends;
    private final ClientPublishes publishes;

    /** Client id to the number of its current connection; stale disconnects do not match. */
    private final Map<String, Long> currentConnection = new ConcurrentHashMap<>();
    private final AtomicLong connectionNumbers = new AtomicLong();

    private volatile PublishService publishService;
    private volatile ClientService clientService;

    PlatformExtension(DeviceRegistry registry, Map<String, ApplicationCredential> applications,
                      DevicePublishListener publishListener, DeviceConnectionListener connectionListener,
                      int maxPayloadBytes, boolean disconnectOnForbiddenPublish, PendingSends pendingSends,
                      ClientPublishes publishes) {
        this.registry = registry;
        this.applications = Map.copyOf(applications);
        this.publishListener = publishListener;
        this.connectionListener = connectionListener;
        this.maxPayloadBytes = maxPayloadBytes;
        this.disconnectOnForbiddenPublish = disconnectOnForbiddenPublish;
        this.pendingSends = pendingSends;
        this.publishes = publishes;
    }

    /** The running broker's publish service; throws when the broker is not running. */
    PublishService publishService() {
        PublishService service = publishService;
        if (service == null) {
            throw new IllegalStateException("the broker is not running: call start() first");
        }
        return service;
    }

    /** Closes a client's connection, as the platform does; false when the broker is not running. */
    boolean disconnectClient(String clientId) {
        ClientService service = clientService;
        if (service == null) {
            return false;
        }
        service.disconnectClient(clientId);
        return true;
    }

    /** Whether the broker holds a session for the client (connected, or offline and kept); false when stopped. */
    CompletableFuture<Boolean> hasSession(String clientId) {
        ClientService service = clientService;
        if (service == null) {
            return CompletableFuture.completedFuture(false);
        }
        return service.getSession(clientId).thenApply(Optional::isPresent);
    }

    // ---- lifecycle -------------------------------------------------------------------------

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        // Always register an authenticator: without one, embedded HiveMQ lets everyone in.
        Services.securityRegistry().setAuthenticatorProvider(in -> this);
        Services.securityRegistry().setAuthorizerProvider(in -> this);
        // A will would be published by the broker itself, past our interceptor: drop wills.
        Services.interceptorRegistry().setConnectInboundInterceptorProvider(in -> (connectIn, connectOut) ->
                connectOut.getConnectPacket().setWillPublish(null));
        Services.initializerRegistry().setClientInitializer((in, context) -> {
            context.addPublishInboundInterceptor(this);
            // The SUBACK is written after the subscriptions are stored, so waiting sends can retry.
            context.addSubackOutboundInterceptor((subackIn, subackOut) ->
                    pendingSends.subscribed(subackIn.getClientInformation().getClientId()));
            // Runs as the broker writes a PUBLISH to the client: the publish left the broker.
            context.addPublishOutboundInterceptor((publishIn, publishOut) ->
                    publishes.written(publishIn.getClientInformation().getClientId(),
                            publishIn.getPublishPacket().getQos() == Qos.AT_LEAST_ONCE));
            // The client's PUBACK: its MQTT library handed the publish to the application.
            context.addPubackInboundInterceptor((pubackIn, pubackOut) ->
                    publishes.acknowledged(pubackIn.getClientInformation().getClientId()));
        });
        Services.eventRegistry().setClientLifecycleEventListener(in -> this);
        clientService = Services.clientService();
        publishService = Services.publishService();
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        publishService = null;
        clientService = null;
        currentConnection.clear();
    }

    // ---- authentication (protocol.md §1.4, §1.5) ---------------------------------------------

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        ConnectPacket connect = input.getConnectPacket();
        boolean ok;
        try {
            ok = isAllowed(connect.getClientId(), connect.getUserName(), connect.getPassword());
        } catch (RuntimeException e) {
            LOG.warn("device registry failed for client {}; refusing the connection", connect.getClientId(), e);
            ok = false;
        }
        if (ok) {
            output.authenticateSuccessfully();
        } else {
            LOG.debug("refused CONNECT of client {}", connect.getClientId());
            String reason;
            try {
                reason = refusalReason(connect.getClientId(), connect.getUserName(), connect.getPassword());
            } catch (RuntimeException e) {
                reason = "the device registry failed: " + e;
            }
            try {
                connectionListener.onConnectRefused(connect.getClientId(), reason);
            } catch (RuntimeException e) {
                LOG.warn("connection listener failed on a refused connect of {}", connect.getClientId(), e);
            }
            // MQTT 3.1.1 clients get CONNACK return code 5, MQTT 5 clients reason code 0x87.
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "not authorized");
        }
    }

    private boolean isAllowed(String clientId, Optional<String> username, Optional<ByteBuffer> password) {
        if (password.isEmpty()) {
            return false;
        }
        if (DeviceClientIds.isDevice(clientId)) {
            return registry.authenticatesDevice(clientId, username.orElse(null),
                    StandardCharsets.UTF_8.decode(password.get().duplicate()).toString());
        }
        ApplicationCredential credential = applications.get(clientId);
        return credential != null && username.isPresent() && credential.matches(username.get(), bytes(password.get()));
    }

    private String refusalReason(String clientId, Optional<String> username, Optional<ByteBuffer> password) {
        if (!DeviceClientIds.isDevice(clientId)) {
            return applications.containsKey(clientId) ? "wrong application credentials"
                    : "the client id is not a device id d:<org>:<type>:<id> (protocol.md §1.4)";
        }
        return registry.whyRefused(clientId, username.orElse(null),
                password.map(p -> StandardCharsets.UTF_8.decode(p.duplicate()).toString()).orElse(null))
                .orElse("refused");
    }

    // ---- authorization (protocol.md §1.9, §1.10) ---------------------------------------------

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        String clientId = input.getClientInformation().getClientId();
        String filter = input.getSubscription().getTopicFilter();
        if (!DeviceClientIds.isDevice(clientId)) {
            output.authorizeSuccessfully();
        } else if (DevicePermissions.maySubscribe(filter)) {
            try {
                connectionListener.onSubscribed(clientId, filter);
            } catch (RuntimeException e) {
                LOG.warn("connection listener failed on a subscribe of {}", clientId, e);
            }
            output.authorizeSuccessfully();
        } else {
            // MQTT 3.1.1: SUBACK 0x80 for this filter; the client stays connected.
            try {
                connectionListener.onSubscribeRefused(clientId, filter);
            } catch (RuntimeException e) {
                LOG.warn("connection listener failed on a refused subscribe of {}", clientId, e);
            }
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "a device may not subscribe to " + filter);
        }
    }

    /** Never reached: the interceptor prevents delivery of every publish, which skips authorizers. */
    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "publishes are routed to the platform only");
    }

    // ---- routing ----------------------------------------------------------------------------

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        String clientId = input.getClientInformation().getClientId();
        ModifiablePublishPacket packet = output.getPublishPacket();
        // Devices never see each other's messages and applications only observe: nothing published
        // by a client is delivered to another. No reason code, because with one a v3 client would
        // be disconnected. Nothing is stored as retained either (protocol.md §1.9).
        output.preventPublishDelivery();
        packet.setRetain(false);
        if (!DeviceClientIds.isDevice(clientId)) {
            LOG.debug("dropped a publish of application {} on {}", clientId, packet.getTopic());
            return;
        }
        DevicePublish publish = new DevicePublish(clientId, packet.getTopic(),
                packet.getPayload().map(PlatformExtension::bytes).orElse(new byte[0]),
                packet.getQos().getQosNumber(), input.getPublishPacket().getRetain(),
                input.getPublishPacket().getDupFlag());
        MqttVersion version = input.getConnectionInformation().getMqttVersion();
        if (publish.payloadSize() > maxPayloadBytes) {
            // The platform disconnected such clients (protocol.md §1.9).
            notifyRefused(publish, PublishRefusal.PAYLOAD_TOO_LARGE);
            disconnect(clientId, version, DisconnectReasonCode.PACKET_TOO_LARGE,
                    "The message size is too large for this endpoint");
        } else if (!DevicePermissions.mayPublish(publish.topic())) {
            notifyRefused(publish, PublishRefusal.FORBIDDEN_TOPIC);
            if (disconnectOnForbiddenPublish) {
                disconnect(clientId, version, DisconnectReasonCode.NOT_AUTHORIZED,
                        "Not authorized to publish on topic " + publish.topic());
            }
        } else {
            try {
                publishListener.onPublish(publish);
            } catch (RuntimeException e) {
                LOG.warn("publish listener failed on {}", publish, e);
            }
        }
    }

    private void notifyRefused(DevicePublish publish, PublishRefusal reason) {
        LOG.debug("refused {}: {}", publish, reason);
        try {
            publishListener.onRefused(publish, reason);
        } catch (RuntimeException e) {
            LOG.warn("publish listener failed on refused {}", publish, e);
        }
    }

    private void disconnect(String clientId, MqttVersion version, DisconnectReasonCode reason, String text) {
        ClientService service = clientService;
        if (service == null) {
            return;
        }
        // MQTT 3 has no DISCONNECT from the server: the connection is just closed (§3.14 is client-only).
        if (version == MqttVersion.V_5) {
            service.disconnectClient(clientId, false, reason, text);
        } else {
            service.disconnectClient(clientId);
        }
    }

    // ---- connection events --------------------------------------------------------------------

    @Override
    public void onMqttConnectionStart(ConnectionStartInput input) {
        // Reported only once authenticated.
    }

    @Override
    public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
        String clientId = input.getClientInformation().getClientId();
        if (!DeviceClientIds.isDevice(clientId)) {
            return;
        }
        long number = connectionNumbers.incrementAndGet();
        input.getConnectionInformation().getConnectionAttributeStore()
                .putAsString(CONNECTION_ATTRIBUTE, Long.toString(number));
        currentConnection.put(clientId, number);
        try {
            connectionListener.onConnected(clientId);
        } catch (RuntimeException e) {
            LOG.warn("connection listener failed on connect of {}", clientId, e);
        }
    }

    @Override
    public void onAuthenticationFailedDisconnect(AuthenticationFailedInput input) {
        // Never connected, so nothing to report.
    }

    @Override
    public void onDisconnect(DisconnectEventInput input) {
        String clientId = input.getClientInformation().getClientId();
        publishes.closed(clientId); // a clean session's queue goes with its connection
        ConnectionAttributeStore attributes = input.getConnectionInformation().getConnectionAttributeStore();
        Optional<Long> number = attributes.getAsString(CONNECTION_ATTRIBUTE).map(Long::valueOf);
        // A taken-over connection's late disconnect does not match the current one: stay silent.
        if (number.isPresent() && currentConnection.remove(clientId, number.get())) {
            try {
                connectionListener.onDisconnected(clientId);
            } catch (RuntimeException e) {
                LOG.warn("connection listener failed on disconnect of {}", clientId, e);
            }
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
