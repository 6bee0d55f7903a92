package dev.iotdm.testkit.fault;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Blocking client-side helpers for the proxy tests; every read has a timeout. */
final class Sockets {

    static final Duration PATIENCE = Duration.ofSeconds(5);
    /** A bounded "nothing arrives" window: a read timeout, not a synchronisation sleep. */
    static final Duration QUIET = Duration.ofMillis(200);

    private Sockets() {
    }

    /** A client socket to 127.0.0.1:port with a {@link #PATIENCE} read timeout. */
    static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout((int) PATIENCE.toMillis());
        s.setTcpNoDelay(true);
        return s;
    }

    static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    /** Reads exactly {@code n} bytes, failing on end of stream or timeout. */
    static byte[] readExactly(Socket s, int n) throws IOException {
        byte[] out = new byte[n];
        InputStream in = s.getInputStream();
        int off = 0;
        while (off < n) {
            int r = in.read(out, off, n - off);
            if (r < 0) {
                throw new AssertionError("end of stream after " + off + " of " + n + " bytes");
            }
            off += r;
        }
        return out;
    }

    static String readText(Socket s, int n) throws IOException {
        return new String(readExactly(s, n), StandardCharsets.UTF_8);
    }

    /**
     * Fails unless neither a byte nor end of stream arrives within {@link #QUIET}; restores the
     * read timeout afterwards.
     */
    static void assertSilent(Socket s) throws IOException {
        int old = s.getSoTimeout();
        s.setSoTimeout((int) QUIET.toMillis());
        try {
            int b = s.getInputStream().read();
            throw new AssertionError(b < 0 ? "end of stream arrived" : "a byte arrived: " + b);
        } catch (SocketTimeoutException expected) {
            // Silence is what was asked for.
        } finally {
            s.setSoTimeout(old);
        }
    }
}
