package dev.iotdm.testkit.transcript;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the platform saw and sent, in order: messages ({@link TranscriptEntry}) and connection
 * markers ({@link ConnectionMarker}) of every device client. Renders as readable text (one line
 * per item) and as JSON lines (one JSON object per line), and parses JSON lines back.
 *
 * <p>JSON line of a message: {@code kind} {@code "message"}, {@code time} (ISO-8601 instant),
 * {@code direction} ({@code "D->P"} or {@code "P->D"}), {@code clientId}, {@code topic},
 * {@code payload} (the exact text when the bytes are UTF-8, else base64), {@code payloadEncoding}
 * ({@code "utf8"} or {@code "base64"}), {@code qos}, {@code retain}, {@code dup} (the DUP flag; absent
 * means false). A marker: {@code kind}
 * {@code "connect"} or {@code "disconnect"}, {@code time}, {@code clientId} and, for a connect
 * when known, {@code sessionPresent}.
 *
 * <p>Thread-safety: safe for concurrent use; items keep the order in which the adding calls
 * acquired the transcript's lock, and listeners see them in that order.
 */
public final class Transcript {

    private static final Logger LOG = LoggerFactory.getLogger(Transcript.class);

    private final List<TranscriptItem> items = new ArrayList<>();
    private final List<TranscriptListener> listeners = new CopyOnWriteArrayList<>();

    /** An empty transcript. */
    public Transcript() {
    }

    /** Appends a message. */
    public void add(TranscriptEntry entry) {
        append(Objects.requireNonNull(entry, "entry"));
    }

    /** Appends a connect marker for {@code clientId}; {@code sessionPresent} when known. */
    public void connected(Instant time, String clientId, Optional<Boolean> sessionPresent) {
        append(ConnectionMarker.connect(time, clientId, sessionPresent));
    }

    /** Appends a disconnect marker for {@code clientId}. */
    public void disconnected(Instant time, String clientId) {
        append(ConnectionMarker.disconnect(time, clientId));
    }

    /** Appends any item (message or marker). */
    public void addItem(TranscriptItem item) {
        append(Objects.requireNonNull(item, "item"));
    }

    private synchronized void append(TranscriptItem item) {
        items.add(item);
        for (TranscriptListener l : listeners) {
            try {
                l.added(item);
            } catch (RuntimeException e) {
                // A broken printer must not break the platform that records.
                LOG.warn("transcript listener {} failed: {}", l, e.toString());
            }
        }
    }

    /** Adds a listener that sees every later item. */
    public void addListener(TranscriptListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added before; no effect if it was not added. */
    public void removeListener(TranscriptListener listener) {
        listeners.remove(listener);
    }

    /** A listener that prints each item as one readable text line to {@code out}. */
    public static TranscriptListener printingTo(java.io.PrintStream out) {
        Objects.requireNonNull(out, "out");
        return item -> out.println(TranscriptFormat.text(item));
    }

    /** A snapshot of every item, in order. */
    public synchronized List<TranscriptItem> items() {
        return List.copyOf(items);
    }

    /** A snapshot of the messages only, in order. */
    public synchronized List<TranscriptEntry> entries() {
        return items.stream().filter(TranscriptEntry.class::isInstance).map(TranscriptEntry.class::cast).toList();
    }

    /** The number of items. */
    public synchronized int size() {
        return items.size();
    }

    /** Readable text, one line per item (time, arrow, client id, topic, QoS, compact payload). */
    public String toText() {
        StringBuilder b = new StringBuilder();
        for (TranscriptItem i : items()) {
            b.append(TranscriptFormat.text(i)).append('\n');
        }
        return b.toString();
    }

    /** One readable text line for an item. */
    public static String textLine(TranscriptItem item) {
        return TranscriptFormat.text(Objects.requireNonNull(item, "item"));
    }

    /** JSON lines, one object per item, each line ending in a newline. */
    public String toJsonLines() {
        StringBuilder b = new StringBuilder();
        for (TranscriptItem i : items()) {
            b.append(TranscriptFormat.jsonLine(i)).append('\n');
        }
        return b.toString();
    }

    /**
     * Parses JSON lines (as written by {@link #toJsonLines()}); blank lines are skipped.
     *
     * @throws IllegalArgumentException naming the line number and field when a line is invalid
     */
    public static Transcript parseJsonLines(String text) {
        Objects.requireNonNull(text, "text");
        Transcript t = new Transcript();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                t.items.add(TranscriptFormat.parseLine(lines[i], "line " + (i + 1)));
            }
        }
        return t;
    }

    /**
     * Writes {@link #toJsonLines()} to a UTF-8 file.
     *
     * @throws IOException from the file system
     */
    public void writeJsonLines(Path file) throws IOException {
        Files.writeString(file, toJsonLines(), StandardCharsets.UTF_8);
    }

    /**
     * Reads a JSON-lines file.
     *
     * @throws IOException from the file system
     * @throws IllegalArgumentException naming the file, line and field when a line is invalid
     */
    public static Transcript readJsonLines(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return parseJsonLines(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Transcript[" + size() + " items]";
    }
}
