package dev.iotdm.testkit.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real third-party broker for tests: Debian's {@code mosquitto} binary, started by this fixture
 * on a free 127.0.0.1 port with a generated configuration (anonymous access, no persistence,
 * TCP_NODELAY) and stopped by {@link #close()}. Use it with {@link ExternalBroker} to run our
 * platform on a broker we did not write.
 *
 * <p>Whether tests run without the binary: {@link #installedOrFailOnCi()} says to skip them on a
 * developer machine, and throws on CI ({@code CI=true}), where a missing binary is a broken setup
 * ({@code .ci/run} installs the package).
 *
 * <p>Thread-safety: start and close from one thread; {@link #port()} from any.
 */
public final class Mosquitto implements AutoCloseable {

    /** Where Debian's {@code mosquitto} package puts the broker. */
    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private static final String INSTALL_HINT = "install it with: apt-get install -y mosquitto";
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final Path dir;
    private final int port;

    private Mosquitto(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Whether the binary is installed, for tests to skip on when it is not.
     *
     * @return true if {@link #BINARY} is executable
     * @throws IllegalStateException if it is not installed and the environment variable
     *         {@code CI} is {@code true}: CI must run the mosquitto tests, not skip them
     */
    public static boolean installedOrFailOnCi() {
        boolean installed = Files.isExecutable(BINARY);
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but mosquitto is not installed at " + BINARY + "; " + INSTALL_HINT);
        }
        return installed;
    }

    /**
     * Starts a broker and waits until it accepts connections.
     *
     * @param timeout how long to wait for it to accept
     * @return the running broker on 127.0.0.1 at a free port; close it
     * @throws IllegalStateException if the binary is missing, or the broker exits or does not
     *         accept within the timeout (the message carries its output)
     */
    public static Mosquitto start(Duration timeout) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("mosquitto is not installed at " + BINARY + "; " + INSTALL_HINT);
        }
        IllegalStateException last = null;
        // The free port is found by binding and releasing it, so another process may take it in
        // between: then mosquitto exits at once and a new port is tried.
        for (int i = 0; i < START_ATTEMPTS; i++) {
            try {
                return startOnce(timeout);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    private static Mosquitto startOnce(Duration timeout) {
        Path dir;
        try {
            dir = Files.createTempDirectory("iotdm-mosquitto");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the mosquitto configuration", e);
        }
        int port = freePort();
        Path conf = dir.resolve("mosquitto.conf");
        Path log = dir.resolve("mosquitto.out");
        Process process;
        try {
            Files.writeString(conf, String.join("\n", List.of(
                    "listener " + port + " 127.0.0.1",
                    "allow_anonymous true",
                    "persistence false",
                    "set_tcp_nodelay true",
                    "log_dest stdout",
                    "")), StandardCharsets.UTF_8);
            process = new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            delete(dir);
            throw new IllegalStateException("cannot start " + BINARY + ": " + e.getMessage(), e);
        }
        Mosquitto broker = new Mosquitto(process, dir, port);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                String out = broker.output();
                broker.close();
                throw new IllegalStateException("mosquitto exited with code " + process.exitValue()
                        + " before accepting on port " + port + ": " + out);
            }
            if (accepts(port)) {
                return broker;
            }
            if (System.nanoTime() > deadline) {
                String out = broker.output();
                broker.close();
                throw new IllegalStateException("mosquitto did not accept on 127.0.0.1:" + port + " within "
                        + timeout.toMillis() + " ms: " + out);
            }
            // Polling a child process we cannot be notified by: a short bounded pause between tries.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The broker's host: always the loopback address literal.
     *
     * @return {@code 127.0.0.1}
     */
    public String host() {
        return "127.0.0.1";
    }

    /**
     * The broker's plain MQTT port.
     *
     * @return the port it listens on, no TLS, anonymous clients allowed
     */
    public int port() {
        return port;
    }

    /**
     * What the broker printed so far (its log), for failure messages.
     *
     * @return the log, stripped; or a note saying why it cannot be read
     */
    public String output() {
        try {
            return Files.readString(dir.resolve("mosquitto.out"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 5 s) and deletes its files. Idempotent. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        delete(dir);
    }

    @Override
    public String toString() {
        return "Mosquitto[127.0.0.1:" + port + (process.isAlive() ? ", running" : ", stopped") + "]";
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
