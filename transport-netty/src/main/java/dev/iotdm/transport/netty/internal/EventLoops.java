package dev.iotdm.transport.netty.internal;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Owns the lifecycle of the event loop group a factory's transports share: every transport
 * acquires one event loop at creation and releases it on close. An owned group is created at the
 * first acquire; it is shut down when the factory closes, or, with {@code shutdownWhenIdle}, as
 * soon as no transport uses it (so transports made through the ServiceLoader leave no thread
 * behind). A borrowed group belongs to the user and is never shut down here.
 *
 * <p>Thread-safety: thread-safe (synchronized; acquire and release are rare).
 */
public final class EventLoops {

    /** Prefix of the names of the threads of an owned group. */
    public static final String THREAD_PREFIX = "iotdm-netty";

    private final EventLoopGroup borrowed;
    private final int threads;
    private final boolean shutdownWhenIdle;
    private EventLoopGroup group;
    private int users;
    private boolean closed;

    private EventLoops(EventLoopGroup borrowed, int threads, boolean shutdownWhenIdle) {
        this.borrowed = borrowed;
        this.threads = threads;
        this.shutdownWhenIdle = shutdownWhenIdle;
    }

    /** A group created on demand with {@code threads} daemon threads. */
    public static EventLoops owned(int threads, boolean shutdownWhenIdle) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        return new EventLoops(null, threads, shutdownWhenIdle);
    }

    /** The user's group, used but never shut down. */
    public static EventLoops borrowed(EventLoopGroup group) {
        return new EventLoops(group, 0, false);
    }

    /**
     * One event loop for a new transport, which must {@link #release()} it when closed.
     *
     * @throws IllegalStateException if the factory is closed or a borrowed group is shut down
     */
    public synchronized EventLoop acquire() {
        if (closed) {
            throw new IllegalStateException("the Netty transport factory is closed: create a new one");
        }
        if (group == null) {
            group = borrowed != null ? borrowed : new MultiThreadIoEventLoopGroup(threads,
                    new DefaultThreadFactory(THREAD_PREFIX, true), NioIoHandler.newFactory());
        }
        if (group.isShuttingDown()) {
            throw new IllegalStateException("the event loop group given to the Netty transport factory is shut down");
        }
        users++;
        return group.next();
    }

    /** Gives back a loop taken with {@link #acquire()}; may shut an idle owned group down. */
    public synchronized void release() {
        users--;
        if (users == 0 && shutdownWhenIdle && borrowed == null && group != null) {
            shutDown(group);
            group = null;
        }
    }

    /** Shuts an owned group down (its threads end shortly after); a borrowed group stays up. */
    public synchronized void close() {
        closed = true;
        if (borrowed == null && group != null) {
            shutDown(group);
            group = null;
        }
    }

    /** How many transports use a loop of this group now. */
    public synchronized int users() {
        return users;
    }

    private static void shutDown(EventLoopGroup g) {
        // No quiet period: every transport on it has closed its channel already.
        g.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
