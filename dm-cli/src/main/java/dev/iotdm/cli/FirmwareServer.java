package dev.iotdm.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.iotdm.protocol.firmware.Verifier;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A tiny HTTP server on 127.0.0.1 and a free port that serves one generated firmware image, the
 * place a device downloads from in protocol.md §6.2 step 4. It owns the JDK server and its
 * dispatcher thread until {@link #close()}.
 *
 * <p>Thread-safety: the image is immutable; {@link #close()} may be called once from any thread.
 */
final class FirmwareServer implements AutoCloseable {

    /** How the image is checked on the device (protocol.md §6.1: MD5 or SHA-256). */
    enum Digest {
        /** 32 hex digits. */
        MD5("MD5"),
        /** 64 hex digits; the default. */
        SHA256("SHA-256");

        private final String jcaName;

        Digest(String jcaName) {
            this.jcaName = jcaName;
        }

        /** The JCA name, also shown to the user. */
        String jcaName() {
            return jcaName;
        }
    }

    private static final String BIND = "127.0.0.1";

    private final HttpServer server;
    private final byte[] image;
    private final String path;
    private final Verifier verifier;

    private FirmwareServer(HttpServer server, byte[] image, String path, Verifier verifier) {
        this.server = server;
        this.image = image;
        this.path = path;
        this.verifier = verifier;
    }

    /**
     * Generates an image for {@code version} (deterministic content of {@code size} bytes) and
     * serves it at {@code /firmware/<name>-<version>.bin}.
     *
     * @throws UncheckedIOException when the server cannot bind
     */
    static FirmwareServer start(String name, String version, int size, Digest digest) {
        Objects.requireNonNull(digest, "digest");
        if (size < 64) {
            throw new IllegalArgumentException("size must be at least 64 bytes, was " + size);
        }
        byte[] image = generate(name, version, size);
        Verifier verifier = Verifier.of(hex(digest, image));
        String path = "/firmware/" + name + "-" + version + ".bin";
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(BIND), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the firmware HTTP server on " + BIND, e);
        }
        FirmwareServer fs = new FirmwareServer(server, image, path, verifier);
        server.createContext(path, fs::serve);
        server.start();
        return fs;
    }

    /** The image's URI, for {@code mgmt.firmware.uri}. */
    String uri() {
        return "http://" + BIND + ":" + server.getAddress().getPort() + path;
    }

    /** The verifier of the image, for {@code mgmt.firmware.verifier}. */
    Verifier verifier() {
        return verifier;
    }

    /** The image size in bytes. */
    int size() {
        return image.length;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") || !exchange.getRequestURI().getPath().equals(path)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, image.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(image);
            }
        }
    }

    /** Stops at once: the download is over by the time anyone closes this. */
    @Override
    public void close() {
        server.stop(0);
    }

    /** A recognisable header, then seeded pseudo-random bytes: the same image for the same version. */
    private static byte[] generate(String name, String version, int size) {
        byte[] image = new byte[size];
        new SplittableRandom((name + "-" + version).hashCode()).nextBytes(image);
        byte[] header = ("IOTDM-DEMO-FIRMWARE " + name + " " + version + "\n").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, image, 0, Math.min(header.length, size));
        return image;
    }

    private static String hex(Digest digest, byte[] image) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(digest.jcaName()).digest(image));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide MD5 and SHA-256.
            throw new IllegalStateException(digest.jcaName() + " is missing from this Java runtime", e);
        }
    }
}
