package dev.iotdm.cli;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One in-process run of {@code dm-cli platform} with its operator input, its output lines and
 * its exit code, for tests: {@link #send} a line, {@link #await} a printed line, {@link #close} ends
 * the input and waits for the exit.
 */
final class PlatformRun implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);
    /** Starting takes longest (broker start, test certificates) and a loaded machine stretches it. */
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Pattern PORT = Pattern.compile("listening: mqtt://127\\.0\\.0\\.1:(\\d+) ");

    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "platform-command-under-test");
        t.setDaemon(true);
        return t;
    });
    private final LineCollector out = new LineCollector();
    private final LineCollector err = new LineCollector();
    private final PipedOutputStream operator = new PipedOutputStream();
    private final CompletableFuture<Integer> exit;
    private final int port;

    /** Starts {@code dm-cli platform <args>} with these environment variables and waits for its port. */
    PlatformRun(Map<String, String> env, String... args) throws IOException, InterruptedException {
        PipedInputStream in = new PipedInputStream(operator, 1 << 16);
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        List<String> all = new ArrayList<>(List.of("platform"));
        all.addAll(List.of(args));
        exit = CompletableFuture.supplyAsync(() -> DmCli.run(all.toArray(String[]::new), in, o, e, env), runner);
        port = Integer.parseInt(out.await(PORT, STARTUP).group(1));
    }

    /** The plain MQTT port it listens on. */
    int port() {
        return port;
    }

    /** Types one operator line. */
    void send(String line) throws IOException {
        operator.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        operator.flush();
    }

    /** The next printed line (after the last one matched) that matches {@code regex}. */
    Matcher await(String regex) throws InterruptedException {
        return out.await(Pattern.compile(regex), WAIT);
    }

    /** Everything printed so far. */
    String output() {
        return out.text() + "\n[stderr]\n" + err.text();
    }

    /** The exit code, waiting up to {@code timeout} for it. */
    int exitCode(Duration timeout) throws Exception {
        return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ends the input (which stops the platform) and waits for the exit. */
    @Override
    public void close() throws Exception {
        try {
            operator.close();
            exit.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            runner.shutdownNow();
        }
    }

    /** The quoted form of a literal for a regular expression. */
    static String q(String literal) {
        return Pattern.quote(literal);
    }
}
