package dev.iotdm.client.firmware;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-connection HTTP server on 127.0.0.1 that writes whatever bytes a test wants, including
 * broken responses the JDK's HttpServer cannot produce. Owns its server socket and accept thread.
 */
final class RawHttpServer implements AutoCloseable {

    /** What to do with the accepted connection after the request head was read. */
    @FunctionalInterface
    interface Script {
        void play(OutputStream out, CountDownLatch released) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Thread thread;
    private final CountDownLatch released = new CountDownLatch(1);

    RawHttpServer(Script script) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(script), "raw-http-server");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve(Script script) {
        try (Socket socket = server.accept()) {
            readRequestHead(socket.getInputStream());
            script.play(socket.getOutputStream(), released);
        } catch (IOException | InterruptedException e) {
            // the client went away or the test closed us: nothing to report
        }
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended before its head");
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
    }

    /** Writes the head of a 200 response. */
    static void writeHead(OutputStream out, String headers) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() throws IOException {
        released.countDown();
        server.close();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
