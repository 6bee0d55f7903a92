package dev.iotdm.testkit.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain TCP server on 127.0.0.1, ephemeral port, standing in for the broker: either it echoes
 * every byte back, or it hands each accepted socket to the test. Owns its threads and sockets and
 * releases them on close.
 */
final class LoopbackServer implements AutoCloseable {

    private final ServerSocket server;
    private final boolean echo;
    private final ExecutorService executor;
    private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger acceptedCount = new AtomicInteger();

    private LoopbackServer(boolean echo) {
        this.echo = echo;
        AtomicInteger ids = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-loopback-server-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor.execute(this::acceptLoop);
    }

    /** A server echoing every byte on every connection. */
    static LoopbackServer echo() {
        return new LoopbackServer(true);
    }

    /** A server handing each accepted socket to {@link #awaitAccepted(Duration)}. */
    static LoopbackServer manual() {
        return new LoopbackServer(false);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    int acceptedCount() {
        return acceptedCount.get();
    }

    /** The next accepted socket (with a 5 s read timeout), or an AssertionError after timeout. */
    Socket awaitAccepted(Duration timeout) throws InterruptedException {
        Socket s = accepted.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (s == null) {
            throw new AssertionError("no connection accepted within " + timeout + ", accepted "
                    + acceptedCount.get() + " in all");
        }
        return s;
    }

    private void acceptLoop() {
        while (true) {
            Socket s;
            try {
                s = server.accept();
                s.setSoTimeout(5_000);
            } catch (IOException e) {
                return;
            }
            sockets.add(s);
            acceptedCount.incrementAndGet();
            accepted.add(s);
            if (echo) {
                executor.execute(() -> echoLoop(s));
            }
        }
    }

    private static void echoLoop(Socket s) {
        byte[] buf = new byte[8192];
        try (s) {
            s.setSoTimeout(0);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // The peer went away: nothing to echo any more.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                throw new AssertionError("loopback server threads did not end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while closing the loopback server", e);
        }
    }
}
