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

    /**
     * Appends a message and tells the listeners.
     *
     * @param entry the message; not {@code null}
     */
    public void add(TranscriptEntry entry) {
        append(Objects.requireNonNull(entry, "entry"));
    }

    /**
     * Appends a connect marker for {@code clientId}; {@code sessionPresent} when known.
     *
     * @param time when the client connected; not {@code null}
     * @param clientId the device's MQTT client id; not {@code null}
     * @param sessionPresent the CONNACK flag, or empty when unknown; not {@code null}
     */
    public void connected(Instant time, String clientId, Optional<Boolean> sessionPresent) {
        append(ConnectionMarker.connect(time, clientId, sessionPresent));
    }

    /**
     * Appends a disconnect marker for {@code clientId}.
     *
     * @param time when the connection ended; not {@code null}
     * @param clientId the device's MQTT client id; not {@code null}
     */
    public void disconnected(Instant time, String clientId) {
        append(ConnectionMarker.disconnect(time, clientId));
    }

    /**
     * Appends any item (message or marker).
     *
     * @param item the item; not {@code null}
     */
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

    /**
     * Adds a listener that sees every later item (not the ones already there).
     *
     * @param listener called under the transcript's lock; not {@code null}
     */
    public void addListener(TranscriptListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes a listener added before; no effect if it was not added.
     *
     * @param listener the listener, as added
     */
    public void removeListener(TranscriptListener listener) {
        listeners.remove(listener);
    }

    /**
     * A listener that prints each item as one readable text line to {@code out}.
     *
     * @param out where to print, e.g. {@code System.out}; not {@code null}
     * @return the listener, to pass to {@link #addListener}
     */
    public static TranscriptListener printingTo(java.io.PrintStream out) {
        Objects.requireNonNull(out, "out");
        return item -> out.println(TranscriptFormat.text(item));
    }

    /**
     * A snapshot of every item, in order.
     *
     * @return an unmodifiable copy; later items do not appear in it
     */
    public synchronized List<TranscriptItem> items() {
        return List.copyOf(items);
    }

    /**
     * A snapshot of the messages only, in order.
     *
     * @return an unmodifiable copy without the connection markers
     */
    public synchronized List<TranscriptEntry> entries() {
        return items.stream().filter(TranscriptEntry.class::isInstance).map(TranscriptEntry.class::cast).toList();
    }

    /**
     * The number of items.
     *
     * @return messages and markers together
     */
    public synchronized int size() {
        return items.size();
    }

    /**
     * Readable text, one line per item (time, arrow, client id, topic, QoS, compact payload).
     *
     * @return the text, each line ending in a newline; empty for an empty transcript
     */
    public String toText() {
        StringBuilder b = new StringBuilder();
        for (TranscriptItem i : items()) {
            b.append(TranscriptFormat.text(i)).append('\n');
        }
        return b.toString();
    }

    /**
     * One readable text line for an item.
     *
     * @param item the item; not {@code null}
     * @return the line: the payload compacted (JSON re-serialised, other text with its line breaks
     *     escaped, other bytes as base64); the topic and client id as they are
     */
    public static String textLine(TranscriptItem item) {
        return TranscriptFormat.text(Objects.requireNonNull(item, "item"));
    }

    /**
     * JSON lines, one object per item, each line ending in a newline.
     *
     * @return the text that {@link #parseJsonLines} reads back; empty for an empty transcript
     */
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
     * @param text the JSON lines, {@code \n} or {@code \r\n} separated; not {@code null}
     * @return a new transcript holding the items in order, without listeners
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
     * @param file the file, created or replaced
     * @throws IOException from the file system
     */
    public void writeJsonLines(Path file) throws IOException {
        Files.writeString(file, toJsonLines(), StandardCharsets.UTF_8);
    }

    /**
     * Reads a JSON-lines file.
     *
     * @param file a UTF-8 file as written by {@link #writeJsonLines}
     * @return a new transcript holding the items in order, without listeners
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
