package dev.iotdm.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An output stream that collects complete lines and lets a test wait, with a timeout, for a line
 * that matches; lines already matched are not matched again, so the same wait finds the next one.
 */
final class LineCollector extends OutputStream {

    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final List<String> lines = new ArrayList<>();
    private int consumed;

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            lines.add(partial.toString(StandardCharsets.UTF_8).replace("\r", ""));
            partial.reset();
            notifyAll();
        } else {
            partial.write(b);
        }
    }

    /**
     * Waits for the next line, after the last one matched, that matches {@code pattern}.
     *
     * @throws AssertionError listing every line so far if none matches within {@code timeout}
     */
    synchronized Matcher await(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = consumed;
        while (true) {
            for (; next < lines.size(); next++) {
                Matcher m = pattern.matcher(lines.get(next));
                if (m.find()) {
                    consumed = next + 1;
                    return m;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no line matching /" + pattern + "/ within " + timeout.toMillis()
                        + " ms; output so far:\n" + String.join("\n", lines));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Everything printed so far. */
    synchronized String text() {
        return String.join("\n", lines) + (partial.size() > 0 ? "\n" + partial.toString(StandardCharsets.UTF_8) : "");
    }
}
