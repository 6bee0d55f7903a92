package dev.iotdm.transport.paho.internal;

import dev.iotdm.transport.tls.TlsSettings;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.mqttv5.client.internal.NetworkModule;

/**
 * Owns the socket of one Paho connection: Paho's {@code NetworkModule} (the plug-in point its
 * network factories use), built by the transport instead of Paho's TCP and SSL modules.
 *
 * <p>What it does differently, and why:
 * <ul>
 *   <li><b>{@code TCP_NODELAY} on.</b> Paho leaves Nagle's algorithm on, and Nagle plus the
 *       peer's delayed ACK costs about 40 ms per request/response round trip
 *       (docs/hivemq-embedded.md §4).</li>
 *   <li><b>TLS exactly as {@link TlsSettings} says.</b> The plain socket is connected first, then
 *       TLS is layered on it with {@link TlsSettings#socketFactory()}, so protocols, SNI and host
 *       name verification (endpoint identification {@code HTTPS} against the configured host)
 *       are the settings' own. Paho's SSL module would overwrite the SSL parameters.</li>
 *   <li><b>Nothing is read before CONNECT is written.</b> Paho 1.2.5 starts its receiver, sender
 *       and callback loops one after the other and busy-waits for each to run; if the connection
 *       is shut down during that start (the receiver saw the peer close, e.g. a TLS 1.3 server
 *       rejecting the client certificate), the connecting thread waits forever for a loop that
 *       was stopped, and the thread leaks. CONNECT is written only after all three loops run, so
 *       the input stream makes the receiver wait (in one-second read timeouts, which Paho
 *       ignores) until the first write.</li>
 *   <li><b>{@link #abort()}</b> closes the socket without telling Paho, which then fails the
 *       connect on its own threads; it never stops Paho's loops while they are starting.</li>
 * </ul>
 *
 * <p>Thread-safety: {@link #abort()} may be called from any thread; the rest is called by Paho.
 */
public final class SocketModule implements NetworkModule {

    /** Paho's own read timeout: the receiver wakes up this often to check for a stop. */
    private static final int READ_TIMEOUT_MILLIS = 1000;

    private final String host;
    private final int port;
    private final Optional<TlsSettings> tls;
    private final Duration connectTimeout;
    private final Consumer<Socket> observer;
    private final CountDownLatch firstWrite = new CountDownLatch(1);

    private final Object lock = new Object();
    /** The plain socket, once created. Guarded by {@link #lock}. */
    private Socket plain;
    /** The socket Paho talks through (TLS or plain), once set up. Guarded by {@link #lock}. */
    private Socket socket;
    /** Guarded by {@link #lock}. */
    private boolean aborted;
    /** What the attempt waits for now, for a timeout's message: TCP, then TLS, then CONNACK. */
    private volatile String waitingFor;
    private volatile InputStream in;
    private volatile OutputStream out;

    /**
     * A module for one connection attempt.
     *
     * @param host the host to connect to, as configured (also the TLS name to verify)
     * @param port the port
     * @param tls TLS settings, or empty for plain TCP
     * @param connectTimeout bound for the TCP connect and for the TLS handshake
     * @param observer sees the connected socket (tests check its options); must not block
     */
    public SocketModule(String host, int port, Optional<TlsSettings> tls, Duration connectTimeout,
            Consumer<Socket> observer) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.tls = Objects.requireNonNull(tls, "tls");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.waitingFor = "the TCP connection to " + host + ":" + port;
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    @Override
    public void start() throws IOException {
        Socket s = new Socket();
        synchronized (lock) {
            if (aborted) {
                throw new SocketException("the connect attempt was abandoned");
            }
            plain = s;
        }
        int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), timeout);
            Socket top = s;
            if (tls.isPresent()) {
                waitingFor = "the TLS handshake with " + host + ":" + port;
                SSLSocket ssl = (SSLSocket) tls.get().socketFactory().createSocket(s, host, port, true);
                ssl.setSoTimeout(timeout);
                ssl.startHandshake();
                top = ssl;
            }
            top.setSoTimeout(READ_TIMEOUT_MILLIS);
            waitingFor = "the CONNACK from " + host + ":" + port;
            synchronized (lock) {
                if (aborted) {
                    throw new SocketException("the connect attempt was abandoned");
                }
                socket = top;
            }
            in = new GatedInput(top.getInputStream());
            out = new GateOpeningOutput(top.getOutputStream());
            observer.accept(top);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * What the attempt waits for now, for a timeout's message.
     *
     * @return the TCP connection, the TLS handshake or the CONNACK, with the address, e.g.
     *     {@code "the CONNACK from 127.0.0.1:1883"}
     */
    public String waitingFor() {
        return waitingFor;
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    /** Called by Paho when it shuts the connection down. */
    @Override
    public void stop() throws IOException {
        firstWrite.countDown(); // Paho is stopping anyway: let a waiting reader see the close
        closeSocket();
    }

    /**
     * Abandons the connection attempt: closes the socket (or makes {@link #start()} fail if it
     * has not opened one yet). Paho notices on its own threads and fails the connect.
     */
    public void abort() {
        synchronized (lock) {
            aborted = true;
        }
        try {
            closeSocket();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }

    private void closeSocket() throws IOException {
        Socket s;
        Socket p;
        synchronized (lock) {
            s = socket;
            p = plain;
        }
        try {
            if (s != null) {
                s.close();
            }
        } finally {
            if (p != null) {
                p.close();
            }
        }
    }

    @Override
    public String getServerURI() {
        return (tls.isPresent() ? "ssl://" : "tcp://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Blocks reads until the first write (CONNECT), in read-timeout steps Paho ignores. */
    private final class GatedInput extends FilterInputStream {
        GatedInput(InputStream in) {
            super(in);
        }

        private void awaitFirstWrite() throws IOException {
            try {
                if (!firstWrite.await(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                    throw new SocketTimeoutException("nothing to read before CONNECT is sent");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SocketTimeoutException("interrupted while waiting for CONNECT to be sent");
            }
        }

        @Override
        public int read() throws IOException {
            awaitFirstWrite();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            awaitFirstWrite();
            return super.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return firstWrite.getCount() == 0 ? super.available() : 0;
        }
    }

    /**
     * Opens the read gate once the first write (CONNECT) returned or failed. If that write fails
     * on a TLS socket, the server may have refused us after the handshake (TLS 1.3 sends the
     * refusal of a client certificate only then, and closes): the alert is already in the
     * receive buffer, and reading it turns "broken pipe" into the TLS failure it really is.
     * The reader is still held by the gate, so that read has the stream to itself.
     */
    private final class GateOpeningOutput extends FilterOutputStream {
        GateOpeningOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (firstWrite.getCount() == 0) {
                out.write(b, off, len);
                return;
            }
            try {
                out.write(b, off, len); // FilterOutputStream would write byte by byte
            } catch (IOException e) {
                throw tlsAlertBehind(e);
            } finally {
                firstWrite.countDown();
            }
        }
    }

    /** The TLS alert waiting behind a failed write, or {@code failure} itself. */
    private IOException tlsAlertBehind(IOException failure) {
        Socket s;
        synchronized (lock) {
            s = socket;
        }
        if (!(s instanceof SSLSocket) || failure instanceof SSLException) {
            return failure;
        }
        try {
            s.getInputStream().read();
        } catch (SSLException alert) {
            alert.addSuppressed(failure);
            return alert;
        } catch (IOException | RuntimeException other) {
            // no alert to be found: the write failure stands
        }
        return failure;
    }
}
