package dev.iotdm.testkit.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import dev.iotdm.testkit.fault.PublishTally;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The platform-aware MQTT broker of the fake platform: HiveMQ CE embedded, bound to 127.0.0.1, with
 * one extension that authenticates devices against a {@link DeviceRegistry}, applies the platform's
 * topic permissions, hands every device PUBLISH to a {@link DevicePublishListener} (and to no other
 * client), reports device connections, and lets the platform {@link #sendToDevice send to one device}.
 *
 * <p><b>One broker per test class.</b> A first start takes about 1.5 s, so start it in
 * {@code @BeforeAll} and close it in {@code @AfterAll}; never one per test. A stop takes a few
 * hundred milliseconds in memory (HiveMQ's own takes about 4 s: see {@link QuickStop}).
 *
 * <p>Everything the broker writes (configuration, data, extensions folder) lives in one temporary
 * directory that {@link #close()} deletes. In {@link Persistence#FILE} mode the data folder is kept
 * across {@link #restart()}, so kept sessions (clean session 0) and their queued messages survive.
 *
 * <p>Thread-safe: lifecycle methods are synchronized; {@link #sendToDevice} may be called from any
 * thread while the broker runs.
 */
public final class EmbeddedBroker implements DeviceBroker, AutoCloseable {

    /** Largest payload the platform accepted (protocol.md §1.9). */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 131072;
    /** HiveMQ's own default for queued messages per client. */
    public static final int DEFAULT_MAX_QUEUE_SIZE = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final String BIND_ADDRESS = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 5;

    private final int requestedPort;
    private final TlsListener tls;
    private final int requestedTlsPort;
    private final Persistence persistence;
    private final int maxQueueSize;
    private final Path root;
    private final ScheduledExecutorService timer;
    private final PendingSends pendingSends;
    private final ClientPublishes publishes = new ClientPublishes();
    private final PlatformExtension extension;

    private EmbeddedHiveMQ hivemq;
    private int port = -1;
    private int tlsPort = -1;
    private boolean closed;
    private boolean quickStop;

    private EmbeddedBroker(Builder b) {
        this.requestedPort = b.port;
        this.tls = b.tls;
        this.requestedTlsPort = b.tlsPort;
        this.persistence = b.persistence;
        this.maxQueueSize = b.maxQueueSize;
        try {
            this.root = Files.createTempDirectory("iotdm-broker-");
            Files.createDirectories(root.resolve("conf"));
            Files.createDirectories(root.resolve("data"));
            Files.createDirectories(root.resolve("extensions"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's temporary directory", e);
        }
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "iotdm-broker-timer");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
        this.pendingSends = new PendingSends(this::publishService, timer, publishes);
        this.extension = new PlatformExtension(b.registry, b.applications, b.publishListener,
                b.connectionListener, b.maxPayloadBytes, b.disconnectOnForbiddenPublish, pendingSends, publishes);
    }

    /** Called by sends only, after construction; throws when the broker is not running. */
    private PublishService publishService() {
        return extension.publishService();
    }

    /**
     * A builder; only the device registry is required.
     *
     * @param registry authenticates every device CONNECT; called on broker threads; not
     *     {@code null}
     * @return a builder holding the defaults
     * @throws IllegalArgumentException if {@code registry} is null
     */
    public static Builder builder(DeviceRegistry registry) {
        return new Builder(registry);
    }

    /**
     * Starts the broker and waits until it accepts connections. The first start picks the ports;
     * later starts reuse them.
     *
     * @throws IllegalStateException if the broker is closed, already running or fails to start
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("the broker is closed");
        }
        if (hivemq != null) {
            throw new IllegalStateException("the broker is already running on port " + port);
        }
        boolean firstStart = port < 0;
        for (int attempt = 1; ; attempt++) {
            if (firstStart) {
                // A free port is found by binding port 0 and releasing it; another process may take
                // it before HiveMQ binds it. That tiny race is handled by retrying with new ports.
                // Limitation: HiveMQ starts if at least one listener binds, so when only one of the
                // two ports was taken the start succeeds without that listener.
                port = requestedPort > 0 ? requestedPort : freePort();
                tlsPort = tls == null ? -1 : requestedTlsPort > 0 ? requestedTlsPort : freePort();
            }
            try {
                startOnce();
                return;
            } catch (BrokerStartException e) {
                boolean retry = firstStart && e.bindFailure && requestedPort == 0 && requestedTlsPort == 0
                        && attempt < START_ATTEMPTS;
                if (!retry) {
                    throw new IllegalStateException("the broker failed to start on " + BIND_ADDRESS + ":" + port
                            + (tls == null ? "" : " (TLS " + tlsPort + ")") + ": " + e.getMessage(), e);
                }
                LOG.debug("port {} or {} was taken meanwhile; retrying with new ports", port, tlsPort);
            }
        }
    }

    private void startOnce() throws BrokerStartException {
        try {
            Files.writeString(root.resolve("conf").resolve("config.xml"), configXml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the broker configuration", e);
        }
        EmbeddedHiveMQ candidate = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(root.resolve("conf"))
                .withDataFolder(root.resolve("data"))
                .withExtensionsFolder(root.resolve("extensions"))
                .withoutLoggingBootstrap()
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("iotdm-platform")
                        .withName("iotdm fake platform")
                        .withVersion("1")
                        .withAuthor("iotdm")
                        .withPriority(1000)
                        .withStartPriority(1000)
                        .withExtensionMain(extension)
                        .build())
                .build();
        try {
            QuickStop.beforeStart(persistence);
            candidate.start().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            quickStop = QuickStop.install(candidate);
            hivemq = candidate;
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(candidate);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            // HiveMQ reports an unbindable port only in its log ("Could not bind any listener") and
            // fails with a bare UnrecoverableException; a port someone else holds now tells why.
            boolean taken = !isFree(port) || (tls != null && !isFree(tlsPort));
            throw new BrokerStartException(cause + (taken ? " (a port is in use by another process)" : ""),
                    cause, taken);
        } catch (InterruptedException e) {
            closeQuietly(candidate);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the broker started", e);
        }
    }

    /**
     * Stops the broker (well under a second in memory, about 2 s with files) and fails the sends
     * still waiting for a subscription. The data folder is kept, so in file mode a later
     * {@link #start()} finds the sessions again. Does nothing if the broker is not running.
     */
    public synchronized void stop() {
        if (hivemq == null) {
            return;
        }
        EmbeddedHiveMQ running = hivemq;
        hivemq = null;
        pendingSends.failAll("the broker stopped");
        publishes.closedAll();
        try {
            running.stop().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("the broker did not stop cleanly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(running);
        }
    }

    /** Stops and starts again on the same ports with the same data folder. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Whether the running broker's stop skips HiveMQ's quiet period ({@link QuickStop}). */
    synchronized boolean stopsQuickly() {
        return hivemq != null && quickStop;
    }

    /**
     * Whether the broker is running.
     *
     * @return {@code true} between a {@link #start()} and the next {@link #stop()} or {@link #close()}
     */
    public synchronized boolean isRunning() {
        return hivemq != null;
    }

    /**
     * The plain MQTT port on 127.0.0.1; fixed by the first {@link #start()}.
     *
     * @return the port, also while stopped between restarts
     * @throws IllegalStateException if the broker was never started
     */
    public synchronized int port() {
        if (port < 0) {
            throw new IllegalStateException("the broker has not been started yet, so it has no port");
        }
        return port;
    }

    /**
     * The MQTT-over-TLS port on 127.0.0.1; fixed by the first {@link #start()}.
     *
     * @return the port, also while stopped between restarts
     * @throws IllegalStateException if the broker has no TLS listener or was never started
     */
    public synchronized int tlsPort() {
        if (tls == null) {
            throw new IllegalStateException("the broker has no TLS listener: configure one with Builder.tls()");
        }
        if (tlsPort < 0) {
            throw new IllegalStateException("the broker has not been started yet, so it has no TLS port");
        }
        return tlsPort;
    }

    /**
     * The host to connect to: always the loopback address the broker binds.
     *
     * @return {@code 127.0.0.1}
     */
    public String host() {
        return BIND_ADDRESS;
    }

    /**
     * Sends one message to one client, as the platform does for DM requests (protocol.md §2.2).
     *
     * <p>If no subscription of the client matches the topic yet, the send waits and is retried each
     * time the client subscribes, until {@code timeout}, which fails the future with a
     * {@link TimeoutException} naming the client and the topic. Completion means HiveMQ
     * <b>queued</b> the message for a matching subscription (also of an offline kept session), not
     * that the client received it: a full client queue drops messages silently
     * (docs/hivemq-embedded.md §4). The delivered QoS is min(qos, granted QoS).
     *
     * @param clientId the client's MQTT client id; not empty
     * @param topic a topic name without wildcards; not empty
     * @param payload the payload; copied
     * @param qos 0, 1 or 2 (the platform uses 1 for DM, protocol.md §1.11)
     * @param timeout how long to wait for a matching subscription; positive
     * @return completes when HiveMQ queued the message; fails with an
     *     {@link IllegalStateException} at once when the broker is not running
     * @throws IllegalArgumentException if an argument is invalid (the future is not created)
     */
    @Override
    public CompletableFuture<Void> sendToDevice(String clientId, String topic, byte[] payload, int qos,
                                                Duration timeout) {
        if (clientId == null || clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty");
        }
        if (topic == null || topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
            throw new IllegalArgumentException("topic must be a non-empty topic name without wildcards: " + topic);
        }
        Objects.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2, was " + qos);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (!isRunning()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "the broker is not running: cannot send to " + clientId + " on " + topic));
        }
        Publish publish;
        try {
            publish = Builders.publish().topic(topic).qos(Qos.valueOf(qos))
                    .payload(ByteBuffer.wrap(payload.clone())).build();
        } catch (RuntimeException e) {
            // The broker stopped meanwhile (Builders need a running broker), or HiveMQ refused the topic.
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "cannot send to " + clientId + " on " + topic + ": " + e.getMessage(), e));
        }
        return pendingSends.send(clientId, publish, timeout);
    }

    /**
     * The platform's publishes to {@code clientId} so far: queued by {@link #sendToDevice}, written
     * to the client's connection, and known lost (queued and not written when its connection closed
     * or the broker stopped; devices connect with a clean session, so nothing queued survives a
     * close). A step over this broker is settled towards the device when nothing is in flight.
     *
     * @param clientId the client's MQTT client id
     * @return the counts as of now; all zero for a client never sent to
     */
    public PublishTally publishesTo(String clientId) {
        return publishes.tally(clientId);
    }

    /**
     * Waits until every publish queued for {@code clientId} was written to it or is known lost
     * ({@link #publishesTo}).
     *
     * @param clientId the client's MQTT client id
     * @param timeout how long to wait
     * @throws IllegalStateException naming the counts when {@code timeout} passes first, or when
     *     interrupted (the interrupt flag is kept)
     */
    public void awaitPublishesSettled(String clientId, Duration timeout) {
        publishes.awaitSettled(clientId, timeout);
    }

    /**
     * The QoS 1 publishes the broker wrote to {@code clientId} and the PUBACKs the client sent back.
     * A client's MQTT library acknowledges once it handed the message to its application, so when
     * every one is acknowledged (or its connection closed: devices connect with a clean session)
     * nothing the platform sent is left on the wire or in a socket buffer.
     *
     * @param clientId the client's MQTT client id
     * @return the counts as of now: taken = written, handed on = acknowledged
     */
    public PublishTally acknowledgementsFrom(String clientId) {
        return publishes.acknowledgements(clientId);
    }

    /**
     * Waits until {@code clientId} acknowledged every QoS 1 publish written to it, or its connection
     * closed ({@link #acknowledgementsFrom}).
     *
     * @param clientId the client's MQTT client id
     * @param timeout how long to wait
     * @throws IllegalStateException naming the counts when {@code timeout} passes first, or when
     *     interrupted (the interrupt flag is kept)
     */
    public void awaitAcknowledged(String clientId, Duration timeout) {
        publishes.awaitAcknowledged(clientId, timeout);
    }

    /**
     * Closes the connection of a device, as the platform does after an oversized payload
     * (protocol.md §1.9). MQTT 3 has no server DISCONNECT, so the connection is just closed. Does
     * nothing if the client is not connected.
     *
     * @param clientId the client's MQTT client id; not empty
     * @return false if the broker is not running
     * @throws IllegalArgumentException if {@code clientId} is null or empty
     */
    public boolean disconnectDevice(String clientId) {
        if (clientId == null || clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty");
        }
        return isRunning() && extension.disconnectClient(clientId);
    }

    /**
     * Whether the broker holds a session for {@code clientId}: the client is connected, or it is
     * offline with a kept session (clean session 0), whose subscriptions queue messages for it. False
     * when the broker is not running.
     *
     * @param clientId the client's MQTT client id; not empty
     * @return completes with the broker's answer
     * @throws IllegalArgumentException if {@code clientId} is null or empty
     */
    public CompletableFuture<Boolean> hasSession(String clientId) {
        if (clientId == null || clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty");
        }
        return isRunning() ? extension.hasSession(clientId) : CompletableFuture.completedFuture(false);
    }

    /**
     * The topic filters the client holds now, from the broker's subscription store: whether a
     * platform request can reach a device at all (protocol.md §1.10; the conformance command asks).
     *
     * @param clientId the client's MQTT client id; not {@code null}
     * @return completes with an unmodifiable set of filters; empty for an unknown client
     * @throws IllegalStateException if the broker is not running
     */
    public CompletableFuture<java.util.Set<String>> subscriptions(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        if (!isRunning()) {
            throw new IllegalStateException("the broker is not running: call start() first");
        }
        return com.hivemq.extension.sdk.api.services.Services.subscriptionStore().getSubscriptions(clientId)
                .thenApply(subs -> subs.stream()
                        .map(com.hivemq.extension.sdk.api.services.subscription.TopicSubscription::getTopicFilter)
                        .collect(java.util.stream.Collectors.toUnmodifiableSet()));
    }

    /** Stops the broker if running, deletes its temporary directory and frees its timer thread. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        timer.shutdownNow();
        deleteRecursively(root);
    }

    @Override
    public synchronized String toString() {
        return "EmbeddedBroker[" + BIND_ADDRESS + ":" + port + (tls == null ? "" : ", tls " + tlsPort)
                + ", " + persistence + ", " + (hivemq != null ? "running" : closed ? "closed" : "stopped") + "]";
    }

    // ---- configuration ----------------------------------------------------------------------

    private String configXml() {
        StringBuilder xml = new StringBuilder();
        xml.append("<?xml version=\"1.0\"?>\n<hivemq>\n  <listeners>\n");
        xml.append("    <tcp-listener><port>").append(port).append("</port><bind-address>").append(BIND_ADDRESS)
                .append("</bind-address></tcp-listener>\n");
        if (tls != null) {
            xml.append("    <tls-tcp-listener><port>").append(tlsPort).append("</port><bind-address>")
                    .append(BIND_ADDRESS).append("</bind-address>\n      <tls>\n");
            xml.append("        <keystore><path>").append(escape(tls.keystore().toAbsolutePath().toString()))
                    .append("</path><password>").append(escape(tls.keystorePassword()))
                    .append("</password><private-key-password>").append(escape(tls.privateKeyPassword()))
                    .append("</private-key-password></keystore>\n");
            if (tls.truststore() != null) {
                xml.append("        <truststore><path>").append(escape(tls.truststore().toAbsolutePath().toString()))
                        .append("</path><password>").append(escape(tls.truststorePassword()))
                        .append("</password></truststore>\n");
            }
            xml.append("        <client-authentication-mode>").append(tls.clientAuth().name())
                    .append("</client-authentication-mode>\n      </tls>\n    </tls-tcp-listener>\n");
        }
        xml.append("  </listeners>\n");
        xml.append("  <persistence><mode>").append(persistence == Persistence.FILE ? "file" : "in-memory")
                .append("</mode></persistence>\n");
        xml.append("  <mqtt><queued-messages><max-queue-size>").append(maxQueueSize)
                .append("</max-queue-size></queued-messages></mqtt>\n");
        xml.append("  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n");
        xml.append("</hivemq>\n");
        return xml.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&apos;");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(BIND_ADDRESS))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + BIND_ADDRESS, e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(BIND_ADDRESS))) {
            return socket.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(EmbeddedHiveMQ broker) {
        try {
            broker.close();
        } catch (ExecutionException e) {
            LOG.warn("closing the broker failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.warn("cannot delete {}", path, e);
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot delete the broker directory {}", dir, e);
        }
    }

    /** A failed start, remembering whether a port could not be bound. */
    private static final class BrokerStartException extends Exception {
        final boolean bindFailure;

        BrokerStartException(String message, Throwable cause, boolean bindFailure) {
            super(message, cause);
            this.bindFailure = bindFailure;
        }
    }

    /**
     * Options of an {@link EmbeddedBroker}. Not thread-safe; use from one thread, then
     * {@link #build()}.
     */
    public static final class Builder {
        private final DeviceRegistry registry;
        private final Map<String, ApplicationCredential> applications = new HashMap<>();
        private DevicePublishListener publishListener = publish -> { };
        private DeviceConnectionListener connectionListener = new DeviceConnectionListener() {
            @Override
            public void onConnected(String clientId) {
            }

            @Override
            public void onDisconnected(String clientId) {
            }
        };
        private int port;
        private TlsListener tls;
        private int tlsPort;
        private Persistence persistence = Persistence.IN_MEMORY;
        private int maxQueueSize = DEFAULT_MAX_QUEUE_SIZE;
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private boolean disconnectOnForbiddenPublish = true;

        private Builder(DeviceRegistry registry) {
            if (registry == null) {
                throw new IllegalArgumentException("registry must not be null");
            }
            this.registry = registry;
        }

        /**
         * Receives every device publish (default: none).
         *
         * @param listener called on broker threads; not {@code null}
         * @return this builder
         */
        public Builder publishListener(DevicePublishListener listener) {
            this.publishListener = Objects.requireNonNull(listener, "publishListener");
            return this;
        }

        /**
         * Learns about device connections (default: none).
         *
         * @param listener called on broker threads; not {@code null}
         * @return this builder
         */
        public Builder connectionListener(DeviceConnectionListener listener) {
            this.connectionListener = Objects.requireNonNull(listener, "connectionListener");
            return this;
        }

        /**
         * The plain MQTT port; 0 (the default) picks a free one.
         *
         * @param port 0..65535
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder port(int port) {
            this.port = checkPort("port", port);
            return this;
        }

        /**
         * Adds an MQTT-over-TLS listener on a free port.
         *
         * @param tls the listener's key store and client authentication; not {@code null}
         * @return this builder
         */
        public Builder tls(TlsListener tls) {
            return tls(tls, 0);
        }

        /**
         * Adds an MQTT-over-TLS listener on {@code port} (0 picks a free one).
         *
         * @param tls the listener's key store and client authentication; not {@code null}
         * @param port 0..65535
         * @return this builder
         * @throws IllegalArgumentException if the port is out of range
         */
        public Builder tls(TlsListener tls, int port) {
            this.tls = Objects.requireNonNull(tls, "tls");
            this.tlsPort = checkPort("tlsPort", port);
            return this;
        }

        /**
         * Where sessions live; {@link Persistence#IN_MEMORY} by default.
         *
         * @param persistence {@link Persistence#FILE} keeps sessions across {@link EmbeddedBroker#restart()};
         *     not {@code null}
         * @return this builder
         */
        public Builder persistence(Persistence persistence) {
            this.persistence = Objects.requireNonNull(persistence, "persistence");
            return this;
        }

        /**
         * Messages queued per client before HiveMQ drops new ones; 1000 by default.
         *
         * @param size at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code size} is below 1
         */
        public Builder maxQueueSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("maxQueueSize must be at least 1, was " + size);
            }
            this.maxQueueSize = size;
            return this;
        }

        /**
         * Larger device payloads are refused and the device disconnected; 131072 by default.
         *
         * @param bytes the largest accepted payload; 0 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder maxPayloadBytes(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxPayloadBytes must not be negative, was " + bytes);
            }
            this.maxPayloadBytes = bytes;
            return this;
        }

        /**
         * Whether a device publishing on a forbidden topic is disconnected after the refusal is
         * reported. Default {@code true}, as on the real platform (whose broker closed such
         * connections); {@code false} drops the message and keeps the device connected.
         *
         * @param disconnect whether to close the device's connection after a forbidden publish
         * @return this builder
         */
        public Builder disconnectOnForbiddenPublish(boolean disconnect) {
            this.disconnectOnForbiddenPublish = disconnect;
            return this;
        }

        /**
         * Lets one non-device client in, e.g. a test monitor or an application
         * ({@code a:<org>:<appId>}, protocol.md §1.4). Such a client may subscribe to anything; what
         * it publishes is dropped, since the platform sends with {@link EmbeddedBroker#sendToDevice}.
         *
         * @param clientId the application's client id; not empty, not a device id
         * @param username the user name it must send, or {@code null} for none
         * @param password the password it must send, or {@code null} for none; never logged
         * @return this builder
         * @throws IllegalArgumentException if {@code clientId} is empty or a device client id
         */
        public Builder allowApplication(String clientId, String username, String password) {
            if (clientId == null || clientId.isEmpty()) {
                throw new IllegalArgumentException("application clientId must not be empty");
            }
            if (DeviceClientIds.isDevice(clientId)) {
                throw new IllegalArgumentException("application clientId must not be a device client id: " + clientId);
            }
            applications.put(clientId, new ApplicationCredential(username, password));
            return this;
        }

        /**
         * Creates the broker (and its temporary directory) without starting it.
         *
         * @return a stopped broker; {@link EmbeddedBroker#start()} it, then close it
         * @throws java.io.UncheckedIOException if the temporary directory cannot be created
         */
        public EmbeddedBroker build() {
            return new EmbeddedBroker(this);
        }

        private static int checkPort(String field, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(field + " must be 0..65535, was " + port);
            }
            return port;
        }
    }
}
