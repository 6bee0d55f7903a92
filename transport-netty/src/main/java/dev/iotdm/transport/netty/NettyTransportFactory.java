package dev.iotdm.transport.netty;

import dev.iotdm.transport.netty.internal.EventLoops;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes {@link NettyTransport}s that share one Netty event loop group, so thousands of devices in
 * one JVM need a handful of threads rather than several each. The factory owns the group's
 * lifecycle: it creates the group (daemon threads named {@code iotdm-netty-*}) when the first
 * transport is made and shuts it down in {@link #close()}; a group passed with
 * {@link Builder#eventLoopGroup(EventLoopGroup)} stays the caller's and is never shut down here
 * (it must run NIO channels, e.g. a {@code MultiThreadIoEventLoopGroup} with the
 * {@code NioIoHandler}).
 *
 * <p>Every transport is bound to one event loop of the group for its whole life: its state is
 * touched only there, so it needs no lock. Listener calls arrive on that loop; the core hands them
 * to its own serial executor (the session and state store never run on an event loop).
 *
 * <p>Example:
 * <pre>{@code
 * try (NettyTransportFactory netty = NettyTransportFactory.builder().threads(2).build()) {
 *     ManagedClient a = ManagedClient.builder(optionsA).transport(netty.create()).build();
 *     ManagedClient b = ManagedClient.builder(optionsB).transport(netty.create()).build();
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safety: thread-safe.
 */
public final class NettyTransportFactory implements AutoCloseable {

    /** The in-flight window for QoS 1 publishes when none is configured. */
    public static final int DEFAULT_IN_FLIGHT_WINDOW = 32;
    /** The largest inbound packet accepted when none is configured (1 MiB). */
    public static final int DEFAULT_MAX_INBOUND_PACKET_SIZE = 1024 * 1024;
    /** The largest packet MQTT can carry (remaining length 268,435,455 plus the fixed header). */
    public static final int MQTT_MAX_PACKET_SIZE = 268_435_460;

    private static final Object SHARED_LOCK = new Object();
    private static NettyTransportFactory shared;

    private final EventLoops loops;
    private final Limits limits;

    private NettyTransportFactory(EventLoops loops, Limits limits) {
        this.loops = loops;
        this.limits = limits;
    }

    /**
     * A builder; by default the factory owns a group with one thread per processor.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The JVM-wide factory the ServiceLoader provider uses: default limits, one thread per
     * processor, the group started with the first transport and shut down when the last transport
     * is closed (so closing every client leaves no Netty thread behind).
     *
     * @return the shared factory
     */
    public static NettyTransportFactory shared() {
        synchronized (SHARED_LOCK) {
            if (shared == null) {
                shared = new NettyTransportFactory(
                        EventLoops.owned(Runtime.getRuntime().availableProcessors(), true), Limits.DEFAULTS);
            }
            return shared;
        }
    }

    /**
     * A new, disconnected transport on one event loop of this factory's group.
     *
     * @return the transport; close it (or the client that owns it) to release its event loop
     * @throws IllegalStateException if this factory is closed
     */
    public NettyTransport create() {
        return new NettyTransport(loops, loops.acquire(), limits);
    }

    /**
     * How many transports made here are not closed yet.
     *
     * @return the number of open transports
     */
    public int openTransports() {
        return loops.users();
    }

    /**
     * Shuts the owned event loop group down (a borrowed one stays up). Transports still open lose
     * their connection; close your clients first. Idempotent.
     */
    @Override
    public void close() {
        if (this == shared) {
            return; // the shared factory lives as long as the JVM; its group stops when idle
        }
        loops.close();
    }

    /**
     * The limits every transport of a factory applies.
     *
     * @param inFlightWindow how many QoS 1 publishes may await PUBACK (lowered to the broker's
     *        MQTT 5 Receive Maximum)
     * @param maxInboundPacketSize the largest packet accepted from the broker (announced as MQTT 5
     *        Maximum Packet Size); a larger one ends the connection
     * @param maxOutboundPacketSize the largest packet sent (lowered to the broker's MQTT 5 Maximum
     *        Packet Size); a larger publish fails at once
     * @param pingTimeout how long to wait for PINGRESP; empty means the keep-alive interval
     */
    record Limits(int inFlightWindow, int maxInboundPacketSize, int maxOutboundPacketSize,
            Optional<Duration> pingTimeout) {
        static final Limits DEFAULTS = new Limits(DEFAULT_IN_FLIGHT_WINDOW, DEFAULT_MAX_INBOUND_PACKET_SIZE,
                MQTT_MAX_PACKET_SIZE, Optional.empty());

        Limits {
            if (inFlightWindow < 1 || inFlightWindow > 65535) {
                throw new IllegalArgumentException("inFlightWindow must be 1..65535, was " + inFlightWindow);
            }
            if (maxInboundPacketSize < 16 || maxOutboundPacketSize < 16) {
                throw new IllegalArgumentException("maximum packet sizes must be at least 16 bytes");
            }
            Objects.requireNonNull(pingTimeout, "pingTimeout");
            pingTimeout.ifPresent(t -> {
                if (t.isNegative() || t.isZero()) {
                    throw new IllegalArgumentException("pingTimeout must be positive, was " + t);
                }
            });
        }
    }

    /**
     * Builds a {@link NettyTransportFactory}.
     *
     * <p>Thread-safety: not thread-safe; use from one thread.
     */
    public static final class Builder {
        private int threads = Runtime.getRuntime().availableProcessors();
        private EventLoopGroup group;
        private int inFlightWindow = DEFAULT_IN_FLIGHT_WINDOW;
        private int maxInbound = DEFAULT_MAX_INBOUND_PACKET_SIZE;
        private int maxOutbound = MQTT_MAX_PACKET_SIZE;
        private Duration pingTimeout;

        private Builder() {
        }

        /**
         * How many event loop threads the owned group gets (default: one per processor).
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Uses the caller's NIO event loop group instead of an owned one; the factory never shuts
         * it down.
         *
         * @param group a NIO event loop group the caller shuts down after closing every transport
         * @return this builder
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /**
         * How many QoS 1 publishes may await PUBACK at once (default 32);
         * the window used is the smaller of this and the broker's MQTT 5 Receive Maximum.
         *
         * @param window 1 to 65535
         * @return this builder
         */
        public Builder inFlightWindow(int window) {
            this.inFlightWindow = window;
            return this;
        }

        /**
         * The largest packet accepted from the broker (default 1 MiB); a larger one ends the connection.
         *
         * @param bytes at least 16
         * @return this builder
         */
        public Builder maxInboundPacketSize(int bytes) {
            this.maxInbound = bytes;
            return this;
        }

        /**
         * The largest packet sent to the broker (default: MQTT's own limit).
         *
         * @param bytes at least 16
         * @return this builder
         */
        public Builder maxOutboundPacketSize(int bytes) {
            this.maxOutbound = bytes;
            return this;
        }

        /**
         * How long to wait for PINGRESP before declaring the connection dead (default: the keep-alive).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder pingTimeout(Duration timeout) {
            this.pingTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Builds the factory.
         *
         * @return the factory; close it to shut down the event loop group it owns
         * @throws IllegalArgumentException naming the setting that is out of range
         */
        public NettyTransportFactory build() {
            Limits limits = new Limits(inFlightWindow, maxInbound, maxOutbound, Optional.ofNullable(pingTimeout));
            return new NettyTransportFactory(group != null ? EventLoops.borrowed(group)
                    : EventLoops.owned(threads, false), limits);
        }

    }
}
