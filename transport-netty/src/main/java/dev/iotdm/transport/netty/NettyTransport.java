package dev.iotdm.transport.netty;

import dev.iotdm.protocol.codec.WireText;
import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.ConnectResult;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.NotConnectedException;
import dev.iotdm.transport.PublishRefusedException;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.SubscribeResult;
import dev.iotdm.transport.Subscription;
import dev.iotdm.transport.TransportListener;
import dev.iotdm.transport.WindowFullException;
import dev.iotdm.transport.netty.internal.EventLoops;
import dev.iotdm.transport.netty.internal.Packets;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT connection on Netty's MQTT codec: MQTT 3.1.1 (preferred) or MQTT 5, plain TCP or TLS
 * 1.2/1.3. Made by a {@link NettyTransportFactory} (or {@code Transports.load("netty")}), bound to
 * one event loop of the factory's group for its whole life; a translator only (no JSON, no
 * protocol rules, no reconnect).
 *
 * <p>What it does on the wire:
 * <ul>
 *   <li>one connect timeout covers TCP, the TLS handshake and CONNACK; TCP_NODELAY is on;
 *       refused CONNACKs map through {@link ConnectFailure#fromConnack};</li>
 *   <li>QoS 1 publishes carry packet ids and complete on PUBACK; at most the in-flight window
 *       (the factory's, lowered to the broker's MQTT 5 Receive Maximum) await PUBACK, and a publish
 *       beyond it fails at once with {@link WindowFullException} (nothing is queued);</li>
 *   <li>inbound QoS 1 messages are acknowledged only after the listener returned;</li>
 *   <li>PINGREQ after a keep-alive interval without writes; no PINGRESP within the ping timeout
 *       ends the connection with {@link KeepAliveTimeoutException};</li>
 *   <li>maximum packet size both ways ({@link PacketTooLargeException});</li>
 *   <li>with a kept session ({@code cleanSession = false}) unacknowledged QoS 1 publishes survive a
 *       lost connection with their futures pending and are re-sent with DUP when the broker
 *       resumes the session; otherwise (clean session, or no session present) they fail with
 *       {@link NotConnectedException} and the caller publishes them again. No publish is re-sent by
 *       both.</li>
 * </ul>
 *
 * <p>Threading: every call hands its work to the transport's event loop, where all state lives;
 * futures complete and listener methods run there, so neither may block. Closing releases the
 * loop; a factory's group shuts down with the factory (the shared one when its last transport
 * closes).
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class NettyTransport implements MqttTransport {

    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);
    /** How long {@link #close()} waits for DISCONNECT to be written and the socket closed. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private enum Phase { IDLE, CONNECTING, CONNECTED, CLOSED }

    private final EventLoops loops;
    private final EventLoop loop;
    private final NettyTransportFactory.Limits limits;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean connected;
    private volatile int freeSlots;

    // ---- confined to the event loop ----
    private Phase phase = Phase.IDLE;
    private Connection current;
    private MqttConnectOptions options;
    private TransportListener listener;
    private int window;
    private long outboundLimit;
    private boolean windowWasFull;
    private int lastPacketId;
    /** Unacknowledged QoS 1 publishes by packet id, in the order sent (the resend order). */
    private final LinkedHashMap<Integer, Outbound> inFlight = new LinkedHashMap<>();
    private final Map<Integer, PendingSubscribe> subscribes = new HashMap<>();

    private record Outbound(String topic, byte[] payload, CompletableFuture<Void> future) {
    }

    private record PendingSubscribe(int filters, CompletableFuture<List<SubscribeResult>> future) {
    }

    NettyTransport(EventLoops loops, EventLoop loop, NettyTransportFactory.Limits limits) {
        this.loops = loops;
        this.loop = loop;
        this.limits = limits;
        this.window = limits.inFlightWindow();
        this.freeSlots = window;
    }

    /** The versions this transport speaks. */
    @Override
    public Set<MqttVersion> supportedVersions() {
        return Set.of(MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5);
    }

    /** The version to use when the user chose none: MQTT 3.1.1, the platform's (protocol.md §1.6). */
    @Override
    public MqttVersion preferredVersion() {
        return MqttVersion.MQTT_3_1_1;
    }

    /** How many more QoS 1 publishes the in-flight window takes now (0 means a publish fails WINDOW_FULL). */
    @Override
    public int inFlightCapacity() {
        return freeSlots;
    }

    @Override
    public CompletableFuture<ConnectResult> connect(MqttConnectOptions options, TransportListener listener) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        CompletableFuture<ConnectResult> f = new CompletableFuture<>();
        onLoop(f, () -> startConnect(options, listener, f));
        return f;
    }

    @Override
    public CompletableFuture<List<SubscribeResult>> subscribe(List<Subscription> subscriptions) {
        Objects.requireNonNull(subscriptions, "subscriptions");
        if (subscriptions.isEmpty()) {
            throw new IllegalArgumentException("subscribe needs at least one subscription");
        }
        List<Subscription> copy = List.copyOf(subscriptions);
        CompletableFuture<List<SubscribeResult>> f = new CompletableFuture<>();
        onLoop(f, () -> {
            if (phase != Phase.CONNECTED) {
                f.completeExceptionally(new NotConnectedException("not connected: the SUBSCRIBE was not sent"));
                return;
            }
            int id = nextPacketId();
            subscribes.put(id, new PendingSubscribe(copy.size(), f));
            current.channel.writeAndFlush(Packets.subscribe(copy, id)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        });
        return f;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos) {
        MqttTransport.checkPublish(topic, payload, qos);
        CompletableFuture<Void> f = new CompletableFuture<>();
        onLoop(f, () -> startPublish(topic, payload, qos, f));
        return f;
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        onLoop(f, () -> stop(f, "disconnected by the application"));
        return f;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                stop(done, "the transport was closed");
                phase = Phase.CLOSED;
            });
        } catch (RejectedExecutionException e) {
            done.complete(null); // the group is already down: nothing is open
        }
        done.orTimeout(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, e) -> loops.release());
        if (!loop.inEventLoop()) {
            try {
                done.get(CLOSE_WAIT.toMillis() + 500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debug("close did not finish within {} ms: {}", CLOSE_WAIT.toMillis(), e.toString());
            }
        }
    }

    @Override
    public String toString() {
        MqttConnectOptions o = options;
        return "NettyTransport[" + (o == null ? "never connected" : o.clientId() + "@" + o.host() + ":" + o.port()
                + " " + o.version()) + (connected ? ", connected" : ", not connected") + "]";
    }

    // ---- everything below runs on the event loop -----------------------------------------------

    /** Runs a call's work on the loop, or fails its future when the transport is closed. */
    private void onLoop(CompletableFuture<?> f, Runnable work) {
        if (closed.get()) {
            f.completeExceptionally(new IllegalStateException("the transport is closed: create a new one"));
            return;
        }
        try {
            loop.execute(work);
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("the transport's event loop group is shut down", e));
        }
    }

    private void startConnect(MqttConnectOptions o, TransportListener l, CompletableFuture<ConnectResult> f) {
        if (phase != Phase.IDLE) {
            f.completeExceptionally(new IllegalStateException(phase == Phase.CLOSED ? "the transport is closed"
                    : "connect called while " + (phase == Phase.CONNECTED ? "connected" : "connecting")
                            + ": disconnect first"));
            return;
        }
        phase = Phase.CONNECTING;
        options = o;
        listener = l;
        Connection c = new Connection(o, f);
        current = c;
        long timeoutMs = o.connectTimeout().toMillis();
        // A constructor reference, not channel(NioSocketChannel.class): no reflective call per connect.
        Bootstrap b = new Bootstrap().group(loop).channelFactory(NioSocketChannel::new)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeoutMs, Integer.MAX_VALUE))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        c.install(ch.pipeline());
                    }
                });
        c.timeout = loop.schedule(() -> c.fail(new ConnectFailure.TimedOut(o.connectTimeout(), c.waitingFor()), null),
                timeoutMs, TimeUnit.MILLISECONDS);
        ChannelFuture cf = b.connect(o.host(), o.port());
        c.channel = cf.channel();
        cf.addListener(done -> {
            if (!done.isSuccess()) {
                c.fail(networkFailure(o, done.cause()).orElseGet(
                        () -> new ConnectFailure.Unreachable(describe(done.cause()))), done.cause());
            }
        });
    }

    private void startPublish(String topic, byte[] payload, Qos qos, CompletableFuture<Void> f) {
        if (phase != Phase.CONNECTED) {
            f.completeExceptionally(new NotConnectedException("not connected: the publish to '"
                    + WireText.escape(topic) + "' was not sent"));
            return;
        }
        long size = Packets.publishSize(topic, payload, qos, options.version());
        if (size > outboundLimit) {
            PacketTooLargeException e = new PacketTooLargeException("the publish to '" + WireText.escape(topic) + "'",
                    size, outboundLimit);
            LOG.warn("{}: {}", options.clientId(), e.getMessage());
            f.completeExceptionally(e);
            return;
        }
        Channel ch = current.channel;
        if (qos == Qos.AT_MOST_ONCE) {
            ch.writeAndFlush(Packets.publish(topic, payload, qos, 0, false)).addListener(w -> {
                if (w.isSuccess()) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(new NotConnectedException(
                            "the connection ended before the QoS 0 publish was written", w.cause()));
                }
            });
            return;
        }
        int id = inFlight.size() < window ? nextPacketId() : 0;
        if (id == 0) {
            windowWasFull = true;
            WindowFullException e = new WindowFullException("the in-flight window of " + window
                    + " unacknowledged QoS 1 publishes is full");
            LOG.info("{}: publish to '{}' refused: {}", options.clientId(), WireText.escape(topic), e.getMessage());
            f.completeExceptionally(e);
            return;
        }
        inFlight.put(id, new Outbound(topic, payload, f));
        updateSlots();
        ch.writeAndFlush(Packets.publish(topic, payload, qos, id, false)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    /** Ends the connection or attempt on the application's request; pending work fails. */
    private void stop(CompletableFuture<Void> done, String why) {
        Connection c = current;
        current = null;
        Phase was = phase;
        phase = Phase.IDLE;
        connected = false;
        failPending(() -> new NotConnectedException("not acknowledged before the connection ended: " + why), true);
        if (c == null) {
            done.complete(null);
            return;
        }
        c.closedByUs = true;
        c.cancelTimers();
        if (was == Phase.CONNECTING) {
            c.connectFuture.completeExceptionally(new ConnectFailureException(
                    new ConnectFailure.Other(-1, why + " before CONNACK")));
            c.channel.close();
        } else {
            Channel ch = c.channel;
            ch.writeAndFlush(Packets.disconnect(options.version(), 0))
                    .addListener((ChannelFutureListener) w -> w.channel().close());
            // A stalled peer may never take the DISCONNECT: the socket closes after a bound anyway.
            loop.schedule(() -> {
                ch.close();
            }, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        c.channel.closeFuture().addListener(x -> done.complete(null));
    }

    /**
     * Fails the pending subscribes (and publishes, if asked) with one exception, made only when
     * something is pending: every close passes here, mostly with nothing to fail, and an
     * exception's stack trace is the dearest part of it.
     */
    private void failPending(Supplier<NotConnectedException> cause, boolean publishesToo) {
        if (subscribes.isEmpty() && (!publishesToo || inFlight.isEmpty())) {
            if (publishesToo) {
                updateSlots();
            }
            return;
        }
        NotConnectedException e = cause.get();
        List<PendingSubscribe> subs = new ArrayList<>(subscribes.values());
        subscribes.clear();
        subs.forEach(s -> s.future.completeExceptionally(e));
        if (publishesToo) {
            List<Outbound> pubs = new ArrayList<>(inFlight.values());
            inFlight.clear();
            updateSlots();
            pubs.forEach(p -> p.future.completeExceptionally(e));
        }
    }

    private int nextPacketId() {
        for (int i = 0; i < 65535; i++) {
            lastPacketId = lastPacketId % 65535 + 1;
            if (!inFlight.containsKey(lastPacketId) && !subscribes.containsKey(lastPacketId)) {
                return lastPacketId;
            }
        }
        return 0;
    }

    private void updateSlots() {
        freeSlots = Math.max(0, window - inFlight.size());
    }

    private void received(Connection c, MqttMessage msg) {
        if (msg.decoderResult().isFailure()) {
            Throwable cause = msg.decoderResult().cause();
            if (cause instanceof TooLongFrameException) {
                PacketTooLargeException e = new PacketTooLargeException("a packet from the broker", -1,
                        limits.maxInboundPacketSize());
                if (options.version() == MqttVersion.MQTT_5) {
                    c.channel.writeAndFlush(Packets.disconnect(MqttVersion.MQTT_5, Packets.PACKET_TOO_LARGE));
                }
                c.abort(e);
            } else {
                c.abort(new ProtocolException("malformed packet from the broker: " + cause.getMessage()));
            }
            return;
        }
        switch (msg.fixedHeader().messageType()) {
            case CONNACK -> connAck(c, (MqttConnAckMessage) msg);
            case PUBLISH -> inbound(c, (MqttPublishMessage) msg);
            case PUBACK -> pubAck(msg);
            case SUBACK -> subAck((MqttSubAckMessage) msg);
            case PINGRESP -> c.cancelPing();
            case DISCONNECT -> c.abort(brokerDisconnect(msg));
            default -> c.abort(new ProtocolException("unexpected " + msg.fixedHeader().messageType()
                    + " from the broker"));
        }
    }

    private void connAck(Connection c, MqttConnAckMessage ack) {
        if (phase != Phase.CONNECTING) {
            c.abort(new ProtocolException("a second CONNACK from the broker"));
            return;
        }
        int code = ack.variableHeader().connectReturnCode().byteValue() & 0xFF;
        MqttProperties props = ack.variableHeader().properties();
        if (code != 0) {
            c.fail(ConnectFailure.fromConnack(options.version(), code, Packets.reasonString(props)), null);
            return;
        }
        c.cancelTimers();
        window = Math.min(limits.inFlightWindow(),
                Packets.intProperty(props, MqttProperties.RECEIVE_MAXIMUM).orElse(65535));
        outboundLimit = Math.min(limits.maxOutboundPacketSize(),
                Packets.intProperty(props, MqttProperties.MAXIMUM_PACKET_SIZE).map(Integer::toUnsignedLong)
                        .orElse(Long.MAX_VALUE));
        Packets.intProperty(props, MqttProperties.SERVER_KEEP_ALIVE).ifPresent(c::keepAlive);
        boolean sessionPresent = ack.variableHeader().isSessionPresent();
        phase = Phase.CONNECTED;
        connected = true;
        if (sessionPresent && !options.cleanSession()) {
            // The broker resumed the session: it still expects the unacknowledged publishes (MQTT §4.4).
            for (Map.Entry<Integer, Outbound> e : inFlight.entrySet()) {
                Outbound o = e.getValue();
                c.channel.write(Packets.publish(o.topic, o.payload, Qos.AT_LEAST_ONCE, e.getKey(), true))
                        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            }
            if (!inFlight.isEmpty()) {
                LOG.info("{}: re-sent {} unacknowledged QoS 1 publishes with DUP to the resumed session",
                        options.clientId(), inFlight.size());
                c.channel.flush();
            }
        } else if (!inFlight.isEmpty()) {
            LOG.info("{}: {} QoS 1 publishes were not acknowledged and the broker kept no session: they fail with"
                    + " NotConnectedException", options.clientId(), inFlight.size());
            List<Outbound> lost = new ArrayList<>(inFlight.values());
            inFlight.clear();
            NotConnectedException e = new NotConnectedException("the connection ended before the broker"
                    + " acknowledged the publish and no session was resumed: publish it again");
            lost.forEach(o -> o.future.completeExceptionally(e));
        }
        updateSlots();
        LOG.debug("{}: connected to {}:{} with {} (session present: {}, window {})", options.clientId(),
                options.host(), options.port(), options.version(), sessionPresent, window);
        c.connectFuture.complete(new ConnectResult(sessionPresent));
    }

    private void inbound(Connection c, MqttPublishMessage m) {
        if (phase != Phase.CONNECTED) {
            c.abort(new ProtocolException("PUBLISH from the broker before CONNACK"));
            return;
        }
        Optional<Qos> qos = Packets.qos(m.fixedHeader().qosLevel());
        if (qos.isEmpty()) {
            c.abort(new ProtocolException("QoS " + m.fixedHeader().qosLevel().value()
                    + " PUBLISH from the broker, but this client subscribes with QoS 1 at most"));
            return;
        }
        String topic = m.variableHeader().topicName();
        try {
            listener.messageArrived(topic, ByteBufUtil.getBytes(m.content()), qos.get(), m.fixedHeader().isDup());
        } catch (RuntimeException e) {
            // A listener bug: acknowledging anyway beats the broker re-delivering the message forever.
            LOG.error("{}: the listener threw on a message to '{}'", options.clientId(), WireText.escape(topic), e);
        }
        if (qos.get() == Qos.AT_LEAST_ONCE) {
            c.channel.writeAndFlush(Packets.pubAck(m.variableHeader().packetId()))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    private void pubAck(MqttMessage msg) {
        int id = ((MqttMessageIdVariableHeader) msg.variableHeader()).messageId();
        Outbound o = inFlight.remove(id);
        if (o == null) {
            LOG.debug("{}: PUBACK for packet id {} that is not in flight (a late duplicate); ignored",
                    options.clientId(), id);
            return;
        }
        int rc = msg.variableHeader() instanceof MqttPubReplyMessageVariableHeader r ? r.reasonCode() & 0xFF : 0;
        if (rc >= 0x80) {
            PublishRefusedException e = new PublishRefusedException(o.topic, rc);
            LOG.warn("{}: {}", options.clientId(), e.getMessage());
            o.future.completeExceptionally(e);
        } else {
            o.future.complete(null);
        }
        updateSlots();
        if (windowWasFull && inFlight.size() < window) {
            windowWasFull = false;
            listener.onWritable();
        }
    }

    private void subAck(MqttSubAckMessage ack) {
        int id = ack.variableHeader().messageId();
        PendingSubscribe p = subscribes.remove(id);
        if (p == null) {
            LOG.debug("{}: SUBACK for unknown packet id {}; ignored", options.clientId(), id);
            return;
        }
        List<SubscribeResult> results = Packets.subscribeResults(ack);
        if (results.size() != p.filters) {
            p.future.completeExceptionally(new ProtocolException("the SUBACK has " + results.size()
                    + " codes for " + p.filters + " filters"));
        } else {
            p.future.complete(results);
        }
    }

    private IOException brokerDisconnect(MqttMessage msg) {
        if (msg.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h) {
            return new IOException("the broker sent DISCONNECT with reason code 0x"
                    + Integer.toHexString(h.reasonCode() & 0xFF)
                    + Packets.reasonString(h.properties()).map(s -> ": " + WireText.escape(s)).orElse(""));
        }
        return new IOException("the broker sent DISCONNECT");
    }

    /** The TLS exception in {@code cause}'s chain, or null. */
    private static Throwable tlsCause(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return t;
            }
        }
        return null;
    }

    /** The channel closed: a failed attempt, or the loss of an established connection. */
    private void closed(Connection c) {
        c.cancelTimers();
        if (c != current) {
            return; // closed by us (disconnect, close, failed attempt): already handled
        }
        current = null;
        if (phase == Phase.CONNECTING) {
            phase = Phase.IDLE;
            // With TLS 1.3 the server judges the client certificate after the client's handshake is
            // done, so its refusal arrives as an alert while reading: still a TLS failure, not a lost link.
            ConnectFailure failure = tlsCause(c.cause) != null
                    ? networkFailure(c.opts, c.cause).orElseGet(
                            () -> new ConnectFailure.TlsFailure(describe(tlsCause(c.cause))))
                    : new ConnectFailure.Unreachable(
                            "the connection closed before CONNACK" + (c.cause != null ? ": " + describe(c.cause) : ""));
            c.connectFuture.completeExceptionally(new ConnectFailureException(failure, c.cause));
            return;
        }
        phase = Phase.IDLE;
        connected = false;
        Throwable cause = c.cause != null ? c.cause : new IOException("the broker closed the connection");
        // A kept session keeps its unacknowledged publishes pending: they are re-sent on resume.
        failPending(() -> new NotConnectedException("the connection ended before the broker acknowledged it", cause),
                options.cleanSession());
        LOG.info("{}: connection to {}:{} lost: {}", options.clientId(), options.host(), options.port(),
                describe(cause));
        try {
            listener.connectionLost(cause);
        } catch (RuntimeException e) {
            LOG.error("{}: the listener threw on connectionLost", options.clientId(), e);
        }
    }

    /** A network or TLS error worded as on every transport ({@link ConnectFailure#fromNetworkError}). */
    private static Optional<ConnectFailure> networkFailure(MqttConnectOptions o, Throwable cause) {
        return ConnectFailure.fromNetworkError(cause, o.host(), o.port(), o.tls().isPresent());
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "unknown cause";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + m;
    }

    /**
     * One channel: a connect attempt that may become the connection. Owns the pipeline, the
     * connect timeout and the ping timer; relays what the channel reports to the transport.
     */
    private final class Connection extends ChannelInboundHandlerAdapter {
        final MqttConnectOptions opts;
        final CompletableFuture<ConnectResult> connectFuture;
        Channel channel;
        ScheduledFuture<?> timeout;
        ScheduledFuture<?> ping;
        Throwable cause;
        boolean closedByUs;
        /** Set by the first {@link #fail}; the connect future completes once the channel closed. */
        boolean failing;

        Connection(MqttConnectOptions opts, CompletableFuture<ConnectResult> connectFuture) {
            this.opts = opts;
            this.connectFuture = connectFuture;
        }

        void install(ChannelPipeline p) {
            opts.tls().ifPresent(tls -> {
                SslHandler ssl = new SslHandler(tls.createClientEngine(opts.host(), opts.port()));
                ssl.setHandshakeTimeoutMillis(0); // the connect timeout covers the handshake
                ssl.handshakeFuture().addListener(h -> {
                    if (!h.isSuccess()) {
                        // Closed during the handshake without a TLS alert: the peer does not speak TLS.
                        fail(networkFailure(opts, h.cause()).orElseGet(() -> tlsCause(h.cause()) == null
                                ? ConnectFailure.TlsFailure.serverDidNotAnswerTls(opts.host(), opts.port())
                                : new ConnectFailure.TlsFailure(describe(h.cause()))), h.cause());
                    }
                });
                p.addLast("tls", ssl);
            });
            p.addLast("decoder", new MqttDecoder(limits.maxInboundPacketSize()));
            p.addLast("encoder", MqttEncoder.INSTANCE);
            long keepAlive = opts.keepAlive().toSeconds();
            if (keepAlive > 0) {
                p.addLast("idle", new IdleStateHandler(0, keepAlive, 0, TimeUnit.SECONDS));
            }
            p.addLast("mqtt", this);
        }

        /** MQTT 5 Server Keep Alive replaces the interval the client asked for. */
        void keepAlive(int seconds) {
            ChannelPipeline p = channel.pipeline();
            if (p.get("idle") != null) {
                p.remove("idle");
            }
            if (seconds > 0) {
                p.addBefore("mqtt", "idle", new IdleStateHandler(0, seconds, 0, TimeUnit.SECONDS));
            }
        }

        /** What the attempt waits for now, for a timeout's message. Runs on the event loop. */
        String waitingFor() {
            String at = opts.host() + ":" + opts.port();
            if (channel == null || !channel.isActive()) {
                return "the TCP connection to " + at;
            }
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            if (ssl != null && !ssl.handshakeFuture().isDone()) {
                return "the TLS handshake with " + at;
            }
            return "the CONNACK from " + at;
        }

        /** Fails the connect attempt (once) and closes its channel. */
        void fail(ConnectFailure failure, Throwable why) {
            if (connectFuture.isDone() || failing) {
                return; // the first cause wins: closing the channel makes the handshake fail too
            }
            failing = true;
            cancelTimers();
            if (current == this) {
                current = null;
                phase = Phase.IDLE;
            }
            closedByUs = true;
            LOG.info("{}: connect to {}:{} failed: {}", opts.clientId(), opts.host(), opts.port(), failure.describe());
            ConnectFailureException e = new ConnectFailureException(failure, why);
            if (channel == null) {
                connectFuture.completeExceptionally(e);
            } else {
                channel.close().addListener(x -> connectFuture.completeExceptionally(e));
            }
        }

        /** Ends the channel with this cause, which the listener (or the connect future) gets. */
        void abort(Throwable why) {
            if (cause == null) {
                cause = why;
            }
            channel.close();
        }

        void cancelPing() {
            if (ping != null) {
                ping.cancel(false);
                ping = null;
            }
        }

        void cancelTimers() {
            if (timeout != null) {
                timeout.cancel(false);
            }
            cancelPing();
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Packets.connect(opts, limits.maxInboundPacketSize()))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (current == this && msg instanceof MqttMessage m) {
                    received(this, m);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent && current == this && phase == Phase.CONNECTED && ping == null) {
                Duration wait = limits.pingTimeout().orElse(opts.keepAlive());
                ctx.writeAndFlush(Packets.PINGREQ).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                ping = loop.schedule(() -> abort(new KeepAliveTimeoutException(wait)), wait.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
            abort(t);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed(this);
            ctx.fireChannelInactive();
        }
    }
}
