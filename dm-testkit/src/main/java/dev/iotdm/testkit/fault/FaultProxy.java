package dev.iotdm.testkit.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A loopback TCP proxy between a device and a broker that injects {@link Fault}s a broker cannot
 * produce: stalls, delays, drops, half-open peers, one-way cuts, refusals, and restarts on the same
 * port.
 *
 * <p>It listens on {@code 127.0.0.1} and, for every accepted connection, opens one to the target
 * and copies bytes both ways; with no fault active it is transparent, including half-closes (an end
 * of stream from one side becomes a {@code shutdownOutput} towards the other).
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.open(brokerAddress)) {
 *     device.connect("127.0.0.1", proxy.port());
 *     proxy.awaitConnections(1, Duration.ofSeconds(5));
 *     proxy.apply(new Fault.Stall(Direction.DOWNSTREAM));  // the device hears nothing more
 *     ...
 *     proxy.clear();                                        // the held bytes arrive, in order
 * }
 * }</pre>
 *
 * <p>Threads: one cached pool per proxy, every thread named {@code iotdm-fault-proxy-<id>-<n>}
 * ({@link #THREAD_NAME_PREFIX}); an acceptor, and per connection one reader and one writer per
 * direction. Nothing polls: threads block on sockets, on a {@link java.util.concurrent.DelayQueue}
 * or on a condition. {@link #close()} ends and joins all of them. Held and delayed bytes are
 * buffered in memory without bound, which suits test traffic.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class FaultProxy implements AutoCloseable {

    /** The prefix of the name of every thread a proxy starts. */
    public static final String THREAD_NAME_PREFIX = "iotdm-fault-proxy-";

    /** How long the proxy waits for the target to accept a connection before giving up. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicInteger PROXY_IDS = new AtomicInteger();

    private final InetSocketAddress target;
    private final ExecutorService executor;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicLong[] received = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong[] forwarded = {new AtomicLong(), new AtomicLong()};
    private volatile Modes modes = Modes.TRANSPARENT;
    private volatile ConnectionListener connectionListener = open -> { };
    private volatile Admission admission = () -> java.util.concurrent.CompletableFuture.completedFuture(null);

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled on every change of faults, connections, counters or lifecycle. */
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private final List<Fault> conditions = new ArrayList<>();
    private final Set<ProxyConnection> connections = new LinkedHashSet<>();
    /** Every connection ever accepted, closed ones too, for the publish counts (test traffic: few). */
    private final List<ProxyConnection> history = new ArrayList<>();
    private ServerSocket listener;
    private Future<?> acceptor;
    private int port;
    private long accepted;
    private boolean closed;

    private FaultProxy(InetSocketAddress target, int port) {
        this.target = target;
        this.port = port;
        String prefix = THREAD_NAME_PREFIX + PROXY_IDS.incrementAndGet() + "-";
        AtomicInteger threadIds = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    // Kept (not removed on exit) so that close() can join every one of them.
                    Thread t = new Thread(r, prefix + threadIds.incrementAndGet());
                    t.setDaemon(true);
                    threads.add(t);
                    return t;
                });
    }

    /**
     * Opens a proxy listening on an ephemeral port of {@code 127.0.0.1} that forwards to
     * {@code target}.
     *
     * @param target the broker's address, resolved
     * @return the listening proxy; close it
     * @throws IllegalArgumentException if {@code target} is null or unresolved
     * @throws UncheckedIOException     if the listening socket cannot be bound
     */
    public static FaultProxy open(InetSocketAddress target) {
        return open(target, 0);
    }

    /**
     * Opens a proxy listening on {@code 127.0.0.1:listenPort} ({@code 0}: an ephemeral port) that
     * forwards to {@code host:port}.
     *
     * @param host the broker's host, resolved now; not blank
     * @param port the broker's port, 1..65535
     * @param listenPort the port to listen on, 0..65535
     * @return the listening proxy; close it
     * @throws IllegalArgumentException if the host is blank or a port is out of range
     * @throws UncheckedIOException     if the listening socket cannot be bound
     */
    public static FaultProxy open(String host, int port, int listenPort) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("target host must not be blank");
        }
        checkPort("target port", port, 1);
        return open(new InetSocketAddress(host, port), listenPort);
    }

    /**
     * Opens a proxy listening on {@code 127.0.0.1:listenPort} ({@code 0}: an ephemeral port) that
     * forwards to {@code target}.
     *
     * @param target the broker's address, resolved
     * @param listenPort the port to listen on, 0..65535
     * @return the listening proxy; close it
     * @throws IllegalArgumentException if {@code target} is null or unresolved, or
     *                                  {@code listenPort} is out of range
     * @throws UncheckedIOException     if the listening socket cannot be bound
     */
    public static FaultProxy open(InetSocketAddress target, int listenPort) {
        if (target == null) {
            throw new IllegalArgumentException("target must not be null");
        }
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("target " + target + " cannot be resolved");
        }
        checkPort("listenPort", listenPort, 0);
        FaultProxy proxy = new FaultProxy(target, listenPort);
        try {
            proxy.start();
        } catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    private static void checkPort(String name, int port, int min) {
        if (port < min || port > 65535) {
            throw new IllegalArgumentException(
                    name + " must be in " + min + "..65535, was " + port);
        }
    }

    /**
     * The port this proxy listens on; {@link #stop()} and {@link #start()} keep it.
     *
     * @return the local port on 127.0.0.1
     */
    public int port() {
        lock.lock();
        try {
            return port;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The address devices connect to: {@code 127.0.0.1:}{@link #port()}.
     *
     * @return the loopback address with the proxy's port
     */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    /**
     * The address every connection is forwarded to.
     *
     * @return the broker's address as given to {@code open}
     */
    public InetSocketAddress target() {
        return target;
    }

    // ---------------------------------------------------------------- faults

    /**
     * Injects a fault: a condition ({@link Fault#persistent()}) is added to the active ones until
     * {@link #clear()}; an action is carried out at once on the connections open now.
     *
     * @param fault the fault to inject
     * @throws IllegalArgumentException if {@code fault} is null
     * @throws IllegalStateException    if the proxy is closed
     */
    public void apply(Fault fault) {
        if (fault == null) {
            throw new IllegalArgumentException("fault must not be null");
        }
        List<ProxyConnection> open;
        lock.lock();
        try {
            requireOpen();
            if (fault.persistent()) {
                conditions.add(fault);
                modes = Modes.of(conditions);
                changed.signalAll();
                return;
            }
            open = List.copyOf(connections);
        } finally {
            lock.unlock();
        }
        // Outside the lock: closing a connection calls back into connectionClosed().
        if (fault instanceof Fault.DropConnections d) {
            open.forEach(c -> c.close(d.mode()));
        } else if (fault instanceof Fault.CutOneDirection c) {
            open.forEach(conn -> conn.cut(c.direction()));
        }
    }

    /**
     * Removes every active condition: forwarding is transparent again and held bytes are
     * delivered in order. Actions already carried out (drops, cuts) and black holes stay as they
     * are.
     */
    public void clear() {
        lock.lock();
        try {
            conditions.clear();
            modes = Modes.TRANSPARENT;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The active conditions, in the order they were applied.
     *
     * @return an unmodifiable copy; actions never appear here
     */
    public List<Fault> activeFaults() {
        lock.lock();
        try {
            return List.copyOf(conditions);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------- lifecycle

    /**
     * Listens again on {@link #port()} after {@link #stop()}; does nothing if already listening.
     *
     * @throws IllegalStateException if the proxy is closed
     * @throws UncheckedIOException  if the port cannot be bound (for example taken meanwhile)
     */
    public void start() {
        lock.lock();
        try {
            requireOpen();
            if (listener != null) {
                return;
            }
            ServerSocket server = new ServerSocket();
            try {
                // Rebinding the same port while old connections sit in TIME_WAIT needs this.
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            } catch (IOException e) {
                server.close();
                throw e;
            }
            port = server.getLocalPort();
            listener = server;
            Future<?> task = submit(() -> acceptLoop(server));
            if (task == null) {
                server.close();
                listener = null;
                throw new IllegalStateException("fault proxy is closing");
            }
            acceptor = task;
            changed.signalAll();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops listening, so that connecting to {@link #port()} is refused, and closes every open
     * connection with a FIN (the broker went away); the port number is kept for {@link #start()}.
     * Active conditions are kept. Does nothing if not listening.
     */
    public void stop() {
        ServerSocket server;
        Future<?> acceptTask;
        List<ProxyConnection> open;
        lock.lock();
        try {
            server = listener;
            acceptTask = acceptor;
            listener = null;
            acceptor = null;
            open = List.copyOf(connections);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // The acceptor ends either way.
            }
            awaitAcceptorEnd(acceptTask);
        }
        open.forEach(c -> c.close(CloseMode.FIN));
    }

    /**
     * {@link #stop()} then {@link #start()}: every connection is closed and the proxy listens again
     * on the same port, like a broker restarting.
     *
     * @throws IllegalStateException if the proxy is closed
     * @throws UncheckedIOException  if the port cannot be bound again
     */
    public void restart() {
        lock.lock();
        try {
            requireOpen();
        } finally {
            lock.unlock();
        }
        stop();
        start();
    }

    /**
     * Waits for the acceptor to leave accept(): while a thread is blocked there the JDK defers the
     * real close of the listening socket, and the port would still be taken for a new bind.
     */
    private static void awaitAcceptorEnd(Future<?> acceptTask) {
        try {
            acceptTask.get(SHUTDOWN_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            // The acceptor never throws; after a timeout a later start() reports the busy port.
        }
    }

    /**
     * Whether the proxy is currently accepting connections.
     *
     * @return {@code true} between {@code start()} and {@code stop()} or {@code close()}
     */
    public boolean isListening() {
        lock.lock();
        try {
            return listener != null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops listening, closes every connection and ends and joins every thread of this proxy
     * (waiting at most a few seconds); idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        stop();
        executor.shutdownNow();
        long deadline = System.nanoTime() + SHUTDOWN_TIMEOUT.toNanos();
        try {
            executor.awaitTermination(SHUTDOWN_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            // Terminated means the workers are done, not that their threads have died: join them
            // so that no proxy thread outlives close().
            for (Thread t : List.copyOf(threads)) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------- observations

    /**
     * Told the number of open connections after each one opens or closes, in order. A plain broker
     * (mosquitto) tells nobody when a device connects; a platform in front of it learns it here.
     */
    @FunctionalInterface
    public interface ConnectionListener {
        /**
         * Called under the proxy's lock, so calls arrive in the order the counts changed: must not
         * block or call back into the proxy.
         *
         * @param open the accepted connections still open, after the change
         */
        void openConnectionsChanged(int open);
    }

    /**
     * Says when a new connection's bytes may start to flow: asked once per accepted connection,
     * right after the {@link ConnectionListener} heard of it; the proxy connects to the target and
     * then waits for the returned stage (at most {@link #CONNECT_TIMEOUT}, else the connection is
     * reset) before it forwards anything. A platform in front of a plain broker uses it to see its
     * connection report before the device's first message.
     */
    @FunctionalInterface
    public interface Admission {
        /**
         * The stage that lets the newest connection's bytes flow once it completes.
         *
         * @return completes normally when the connection may forward; completing exceptionally
         *     (or not within {@link #CONNECT_TIMEOUT}) resets it. Called under the proxy's lock:
         *     return at once and do not call back into the proxy
         */
        java.util.concurrent.CompletionStage<?> admit();
    }

    /**
     * Sets the {@link Admission} of new connections; replaces the previous one (default: at once).
     *
     * @param gate asked once per accepted connection; not {@code null}
     * @throws IllegalArgumentException if {@code gate} is null
     */
    public void admission(Admission gate) {
        if (gate == null) {
            throw new IllegalArgumentException("admission must not be null");
        }
        this.admission = gate;
    }

    Admission admission() {
        return admission;
    }

    /**
     * Sets the listener told of every change of {@link #openConnections()}; replaces the previous one.
     *
     * @param listener the listener; not {@code null}
     * @throws IllegalArgumentException if {@code listener} is null
     */
    public void connectionListener(ConnectionListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        this.connectionListener = listener;
    }

    /**
     * How many connections were accepted since the proxy was opened, refused ones included.
     *
     * @return the count; never decreases
     */
    public long connectionsAccepted() {
        lock.lock();
        try {
            return accepted;
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many accepted connections are still open.
     *
     * @return the count as of now
     */
    public int openConnections() {
        lock.lock();
        try {
            return connections.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Bytes the proxy read in {@code direction} ({@code BOTH}: the sum), whatever their fate.
     *
     * @param direction the direction to count
     * @return the count since the proxy was opened
     */
    public long bytesReceived(Direction direction) {
        return sum(received, direction);
    }

    /**
     * Bytes the proxy handed on in {@code direction} ({@code BOTH}: the sum); held, delayed or
     * discarded bytes are not counted until written.
     *
     * @param direction the direction to count
     * @return the count since the proxy was opened
     */
    public long bytesForwarded(Direction direction) {
        return sum(forwarded, direction);
    }

    /**
     * The MQTT publishes of every connection so far in {@code direction} ({@code BOTH}: the sum):
     * read, written on, and known lost (discarded by a fault, or read and not written when their
     * connection closed). Those held by a stall or a delay are in flight. Counts plain MQTT only
     * (behind TLS they mean nothing).
     *
     * @param direction the direction to count
     * @return the counts as of now
     */
    public PublishTally publishes(Direction direction) {
        return sum("proxy ", direction, ProxyConnection::publishes);
    }

    /**
     * The QoS 1 publishes of every connection so far written in {@code direction} ({@code BOTH}: the
     * sum), and the PUBACKs their receiver sent back: a receiver's MQTT client acknowledges once it
     * handed the message to its application, so an acknowledged publish is out of the network. Once
     * a connection closed, its unacknowledged publishes are known lost. Counts plain MQTT only.
     *
     * @param direction the direction of the publishes
     * @return the counts as of now: taken = written, handed on = acknowledged
     */
    public PublishTally acknowledgements(Direction direction) {
        return sum("acks of proxy ", direction, ProxyConnection::acknowledgements);
    }

    /**
     * Waits until the receiver acknowledged every QoS 1 publish the proxy wrote in {@code direction},
     * or its connection closed ({@link #acknowledgements}).
     *
     * @param direction the direction of the publishes
     * @param timeout how long to wait
     * @throws AssertionError naming the counts if that does not happen within {@code timeout}
     */
    public void awaitAcknowledged(Direction direction, Duration timeout) {
        awaitCondition(timeout, () -> acknowledgements(direction).settled(),
                () -> "expected every QoS 1 publish written " + direction + " acknowledged or its connection closed within "
                        + timeout + ", saw " + acknowledgements(direction));
    }

    private PublishTally sum(String leg, Direction direction,
            java.util.function.BiFunction<ProxyConnection, Direction, PublishTally> count) {
        requireDirection(direction);
        List<ProxyConnection> all;
        lock.lock();
        try {
            all = List.copyOf(history);
        } finally {
            lock.unlock();
        }
        List<PublishTally> parts = new ArrayList<>();
        for (ProxyConnection c : all) {
            for (Direction d : List.of(Direction.UPSTREAM, Direction.DOWNSTREAM)) {
                if (direction.covers(d)) {
                    parts.add(count.apply(c, d));
                }
            }
        }
        return PublishTally.sum(leg + direction.name().toLowerCase(java.util.Locale.ROOT), parts);
    }

    /**
     * Waits until every publish the proxy read (both ways) was written on or is known lost: nothing
     * is held or delayed. A stall that is still on never settles.
     *
     * @param timeout how long to wait
     * @throws AssertionError naming the counts if that does not happen within {@code timeout}
     */
    public void awaitPublishesSettled(Duration timeout) {
        awaitCondition(timeout, () -> publishes(Direction.BOTH).settled(),
                () -> "expected every publish through the proxy written on or known lost within " + timeout
                        + ", saw " + publishes(Direction.UPSTREAM) + "; " + publishes(Direction.DOWNSTREAM));
    }

    /**
     * Waits until at least {@code count} connections have been accepted since the proxy was
     * opened.
     *
     * @throws AssertionError if that does not happen within {@code timeout}; the message says how
     *                        many were seen
     * @param count the connections to wait for, counted since the proxy was opened
     * @param timeout how long to wait
     */
    public void awaitConnections(long count, Duration timeout) {
        awaitCondition(timeout, () -> accepted >= count,
                () -> "expected at least " + count + " accepted connections within " + timeout
                        + ", saw " + accepted);
    }

    /**
     * Waits until the proxy has read at least {@code count} bytes in {@code direction} (useful to
     * know that bytes are held by a stall rather than still on their way).
     *
     * @throws AssertionError if that does not happen within {@code timeout}; the message says how
     *                        many bytes were seen
     * @param direction the direction to count
     * @param count the bytes to wait for, counted since the proxy was opened
     * @param timeout how long to wait
     */
    public void awaitBytesReceived(Direction direction, long count, Duration timeout) {
        requireDirection(direction);
        awaitCondition(timeout, () -> bytesReceived(direction) >= count,
                () -> "expected at least " + count + " bytes received " + direction + " within "
                        + timeout + ", saw " + bytesReceived(direction));
    }

    @Override
    public String toString() {
        return "FaultProxy[127.0.0.1:" + port() + " -> " + target + ", faults=" + activeFaults()
                + "]";
    }

    // ------------------------------------------------- internals for ProxyConnection

    private void acceptLoop(ServerSocket server) {
        while (true) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // stop() or close() closed the listener
            }
            onAccepted(s);
        }
    }

    private void onAccepted(Socket device) {
        ProxyConnection connection = null;
        CloseMode refuse;
        lock.lock();
        try {
            accepted++;
            changed.signalAll();
            refuse = closed ? CloseMode.FIN : modes.refuse();
            if (refuse == null) {
                try {
                    connection = new ProxyConnection(this, device, modes.halfOpen());
                    connections.add(connection);
                    history.add(connection);
                    connectionListener.openConnectionsChanged(connections.size());
                    connection.admitAfter(admission.admit());
                } catch (IOException e) {
                    refuse = CloseMode.RESET; // the device vanished already
                }
            }
        } finally {
            lock.unlock();
        }
        if (connection == null) {
            try {
                if (refuse == CloseMode.RESET) {
                    device.setSoLinger(true, 0);
                }
                device.close();
            } catch (IOException e) {
                // Already gone: refused either way.
            }
            return;
        }
        try {
            device.setTcpNoDelay(true);
        } catch (IOException e) {
            // Only latency is at stake.
        }
        connection.start();
    }

    Modes modes() {
        return modes;
    }

    /** Submits a task to the proxy's pool, or returns null once the proxy is shutting down. */
    Future<?> submit(Runnable task) {
        try {
            return executor.submit(task);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /**
     * Blocks while chunks in {@code direction} are held, then says what to do with the next one;
     * returns at once when the proxy closes or {@code cut} becomes true.
     */
    Modes.Action awaitAction(Direction direction, BooleanSupplier cut) throws InterruptedException {
        lock.lock();
        try {
            Modes.Action action = modes.action(direction);
            while (action == Modes.Action.HOLD && !closed && !cut.getAsBoolean()) {
                changed.await();
                action = modes.action(direction);
            }
            return closed ? Modes.Action.DISCARD : action;
        } finally {
            lock.unlock();
        }
    }

    void signalChanged() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void connectionClosed(ProxyConnection connection) {
        lock.lock();
        try {
            if (connections.remove(connection)) {
                connectionListener.openConnectionsChanged(connections.size());
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void countReceived(Direction direction, int n) {
        received[direction.ordinal()].addAndGet(n);
        signalChanged();
    }

    void countForwarded(Direction direction, int n) {
        forwarded[direction.ordinal()].addAndGet(n);
    }

    private static long sum(AtomicLong[] counters, Direction direction) {
        requireDirection(direction);
        return switch (direction) {
            case UPSTREAM -> counters[0].get();
            case DOWNSTREAM -> counters[1].get();
            case BOTH -> counters[0].get() + counters[1].get();
        };
    }

    private static void requireDirection(Direction direction) {
        if (direction == null) {
            throw new IllegalArgumentException("direction must not be null");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("fault proxy is closed");
        }
    }

    private void awaitCondition(Duration timeout, BooleanSupplier done,
                                java.util.function.Supplier<String> failure) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be zero or positive, was " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(failure.get());
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting: " + failure.get(), e);
        } finally {
            lock.unlock();
        }
    }
}
