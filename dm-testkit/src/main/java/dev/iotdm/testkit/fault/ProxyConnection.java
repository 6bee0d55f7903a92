package dev.iotdm.testkit.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One device connection through a {@link FaultProxy}: owns the device socket, the broker socket
 * (absent for a black hole accepted while {@link Fault.HalfOpen} was active) and the tasks that
 * move bytes between them.
 *
 * <p>Each direction is a {@link Pump}: a reader task that reads chunks and queues them with a due
 * time, and a writer task that takes due chunks from a {@link DelayQueue} and, depending on the
 * proxy's {@link Modes}, writes, holds or discards them. Keeping reading and writing apart is
 * what lets delays run without sleeping and stalls hold bytes without stopping the reader.
 * Thread-safe: closing may race with the I/O tasks and is idempotent.
 */
final class ProxyConnection {

    private static final int BUFFER_SIZE = 16 * 1024;

    private final FaultProxy proxy;
    private final Socket device;
    private final boolean blackHole;
    private final InputStream deviceIn;
    private final OutputStream deviceOut;
    private final Pump upstream = new Pump(Direction.UPSTREAM);
    private final Pump downstream = new Pump(Direction.DOWNSTREAM);
    private volatile boolean gone;
    /** Completes when this connection's bytes may flow ({@link FaultProxy.Admission}). */
    private volatile java.util.concurrent.CompletionStage<?> admitted =
            java.util.concurrent.CompletableFuture.completedFuture(null);
    // Guarded by this.
    private Socket broker;
    private final List<Future<?>> tasks = new ArrayList<>();
    private boolean closed;
    private int finishedWriters;

    /**
     * Takes over an accepted device socket.
     *
     * @throws IOException if the device socket is already unusable
     */
    ProxyConnection(FaultProxy proxy, Socket device, boolean blackHole) throws IOException {
        this.proxy = proxy;
        this.device = device;
        this.blackHole = blackHole;
        // Taken now, before any cut can shut the socket down: getInputStream/getOutputStream
        // refuse a socket whose input or output is already shut down.
        this.deviceIn = device.getInputStream();
        this.deviceOut = device.getOutputStream();
    }

    void admitAfter(java.util.concurrent.CompletionStage<?> stage) {
        admitted = stage;
    }

    /** Starts the tasks: a discarding reader for a black hole, else connect and pumps. */
    void start() {
        if (blackHole) {
            submit(this::blackHoleLoop);
        } else {
            submit(this::connectAndPump);
        }
    }

    private void connectAndPump() {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(proxy.target(), (int) FaultProxy.CONNECT_TIMEOUT.toMillis());
        } catch (IOException e) {
            // The broker is not there: the device sees what a refused connection looks like.
            closeQuietly(s, CloseMode.FIN);
            close(CloseMode.RESET);
            return;
        }
        synchronized (this) {
            if (closed) {
                closeQuietly(s, CloseMode.FIN);
                return;
            }
            broker = s;
        }
        try {
            admitted.toCompletableFuture().get(FaultProxy.CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(CloseMode.RESET);
            return;
        } catch (ExecutionException | TimeoutException e) {
            // Not admitted: the device sees a reset, as from a broker that is not there.
            close(CloseMode.RESET);
            return;
        }
        try {
            upstream.attach(deviceIn, s, s.getOutputStream());
            downstream.attach(s.getInputStream(), device, deviceOut);
        } catch (IOException e) {
            close(CloseMode.RESET);
            return;
        }
        submit(upstream::readLoop);
        submit(upstream::writeLoop);
        submit(downstream::readLoop);
        submit(downstream::writeLoop);
    }

    private void blackHoleLoop() {
        byte[] buf = new byte[BUFFER_SIZE];
        try {
            int n;
            while ((n = deviceIn.read(buf)) >= 0) {
                proxy.countReceived(Direction.UPSTREAM, n);
            }
        } catch (IOException e) {
            // Closed under us, reset by the device, or input shut down by a cut.
        }
        if (!upstream.cut) {
            // A cut must not look like a close to the device: the socket stays open until a
            // drop, stop() or close().
            close(CloseMode.FIN);
        }
    }

    /** Cuts one or both directions for good, see {@link Fault.CutOneDirection}. */
    void cut(Direction direction) {
        if (direction.covers(Direction.UPSTREAM)) {
            upstream.cut = true;
            try {
                device.shutdownInput();
            } catch (IOException e) {
                // Already closed: nothing left to cut.
            }
        }
        if (direction.covers(Direction.DOWNSTREAM)) {
            downstream.cut = true;
            try {
                device.shutdownOutput();
            } catch (IOException e) {
                // Already closed: nothing left to cut.
            }
        }
        proxy.signalChanged();
    }

    /** Closes both sockets and stops every task; idempotent. */
    void close(CloseMode mode) {
        List<Future<?>> toCancel;
        Socket b;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            gone = true;
            toCancel = List.copyOf(tasks);
            b = broker;
        }
        closeQuietly(device, mode);
        if (b != null) {
            closeQuietly(b, mode);
        }
        // Interrupts writers waiting in their queue or on a stall; readers end on the closed
        // socket.
        toCancel.forEach(f -> f.cancel(true));
        proxy.connectionClosed(this);
    }

    private void submit(Runnable task) {
        synchronized (this) {
            if (closed) {
                return;
            }
            Future<?> f = proxy.submit(task);
            if (f != null) {
                tasks.add(f);
                return;
            }
        }
        // The proxy is shutting down.
        close(CloseMode.FIN);
    }

    private void writerFinished() {
        boolean both;
        synchronized (this) {
            both = ++finishedWriters == 2;
        }
        if (both) {
            close(CloseMode.FIN);
        }
    }

    private static void closeQuietly(Socket s, CloseMode mode) {
        try {
            if (mode == CloseMode.RESET && !s.isClosed()) {
                s.setSoLinger(true, 0);
            }
        } catch (IOException e) {
            // Not connected: a plain close is all there is.
        }
        try {
            s.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
    }

    /**
     * The publishes of {@code direction} (not {@code BOTH}) on this connection: read, written, and
     * known lost (discarded on purpose; once the connection is closed, every one read and not
     * written).
     */
    PublishTally publishes(Direction direction) {
        Pump p = direction == Direction.UPSTREAM ? upstream : downstream;
        long read = p.publishesRead.get();
        long written = p.publishesWritten.get();
        long lost = gone ? Math.max(0, read - written) : p.publishesDiscarded.get();
        return new PublishTally("proxy " + direction.name().toLowerCase(java.util.Locale.ROOT), read, written, lost);
    }

    /**
     * The QoS 1 publishes written in {@code direction} (not {@code BOTH}) on this connection and the
     * PUBACKs their receiver sent back (read from the other direction): a receiver acknowledges once
     * its MQTT client handed the message to the application, so an acknowledged publish is no longer
     * on the wire nor in a socket buffer. Once the connection is closed the unacknowledged ones are
     * known lost here (a broker that keeps a session redelivers them on a new connection, where they
     * count again).
     */
    PublishTally acknowledgements(Direction direction) {
        Pump p = direction == Direction.UPSTREAM ? upstream : downstream;
        Pump back = direction == Direction.UPSTREAM ? downstream : upstream;
        long written = p.qos1Written.get();
        long acked = Math.min(written, back.pubacksRead.get());
        return new PublishTally("acks of proxy " + direction.name().toLowerCase(java.util.Locale.ROOT), written,
                acked, gone ? written - acked : 0);
    }

    /** One direction of the connection: owns its queue, its ordering state and its cut flag. */
    private final class Pump {
        private final Direction direction;
        private final DelayQueue<Chunk> queue = new DelayQueue<>();
        private volatile InputStream from;
        /** The socket written to, for shutdownOutput(). */
        private volatile Socket to;
        private volatile OutputStream out;
        volatile boolean cut;
        final AtomicLong publishesRead = new AtomicLong();
        final AtomicLong publishesWritten = new AtomicLong();
        final AtomicLong publishesDiscarded = new AtomicLong();
        final AtomicLong qos1Written = new AtomicLong();
        final AtomicLong pubacksRead = new AtomicLong();
        // Reader thread only.
        private final PublishFramer framer = new PublishFramer();
        private long lastDue;
        private long sequence;

        Pump(Direction direction) {
            this.direction = direction;
        }

        void attach(InputStream from, Socket to, OutputStream out) {
            this.from = from;
            this.to = to;
            this.out = out;
        }

        void readLoop() {
            byte[] buf = new byte[BUFFER_SIZE];
            try {
                while (true) {
                    int n = from.read(buf);
                    if (n < 0) {
                        enqueue(null, PublishFramer.Framed.NONE);
                        return;
                    }
                    PublishFramer.Framed framed = framer.feed(buf, n);
                    publishesRead.addAndGet(framed.publishes());
                    // Whatever happens to them next (a cut discards them), the PUBACKs show that their
                    // sender had taken the publishes they acknowledge.
                    pubacksRead.addAndGet(framed.pubacks());
                    if (!cut) {
                        enqueue(Arrays.copyOf(buf, n), framed);
                    } else {
                        publishesDiscarded.addAndGet(framed.publishes());
                    }
                    // Counted after the publishes, so a waiter woken by the byte count sees them.
                    proxy.countReceived(direction, n);
                    // When cut, keep reading so the sender never blocks on a full window.
                }
            } catch (IOException e) {
                if (cut) {
                    // Our own shutdownInput() may surface as an exception rather than -1.
                    enqueue(null, PublishFramer.Framed.NONE);
                    return;
                }
                close(CloseMode.FIN);
            }
        }

        private void enqueue(byte[] bytes, PublishFramer.Framed framed) {
            long now = System.nanoTime();
            long due = now + proxy.modes().delayNanos(direction);
            // A shorter delay must not let a chunk overtake an earlier one.
            if (sequence > 0 && due - lastDue < 0) {
                due = lastDue;
            }
            lastDue = due;
            queue.add(new Chunk(bytes, due, sequence++, framed.publishes(), framed.qos1()));
        }

        void writeLoop() {
            try {
                while (true) {
                    Chunk c = queue.take();
                    Modes.Action action = proxy.awaitAction(direction, () -> cut);
                    boolean discard = cut || action == Modes.Action.DISCARD;
                    if (c.isEndOfStream()) {
                        if (!discard && !to.isOutputShutdown()) {
                            to.shutdownOutput();
                        }
                        break;
                    }
                    if (discard) {
                        publishesDiscarded.addAndGet(c.publishes());
                        proxy.signalChanged();
                        continue;
                    }
                    proxy.countForwarded(direction, c.bytes().length);
                    try {
                        out.write(c.bytes());
                        out.flush();
                        // The owed acknowledgements first: a waiter that sees these publishes
                        // written also sees the PUBACKs they are owed.
                        qos1Written.addAndGet(c.qos1());
                        publishesWritten.addAndGet(c.publishes());
                        proxy.signalChanged();
                    } catch (IOException e) {
                        if (!cut) {
                            throw e;
                        }
                        // Cut while writing: the shut-down output is expected to fail.
                    }
                }
            } catch (InterruptedException e) {
                // Cancelled by close(): the connection is gone.
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                close(CloseMode.FIN);
                return;
            }
            writerFinished();
        }
    }
}
