package dev.iotdm.client.store;

import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.session.DeviceState;
import dev.iotdm.protocol.session.DeviceStateJson;
import dev.iotdm.protocol.session.DeviceStateStore;
import dev.iotdm.protocol.session.StateStoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the state in a snapshot file and an append-only journal of changes beside it, so that a
 * save costs the size of the change, not of the whole state or of the history (issue #10).
 *
 * <h2>On disk</h2>
 * <ul>
 *   <li><b>Snapshot</b>, at the given path: the {@link DeviceStateJson} object (its own
 *       {@code "version"}, currently {@value DeviceStateJson#FORMAT_VERSION}; version 1 files of
 *       earlier releases are read) with one more member, {@code "generation"} (0 when absent).
 *       Written to a temporary file beside it, forced to disk and renamed over the old one, so a
 *       crash leaves the old or the new snapshot, never a torn one.</li>
 *   <li><b>Journal</b>, at the path plus {@code .journal}: UTF-8 lines of JSON. The first is the
 *       header {@code {"journal":1,"generation":g}}; a journal whose generation is not the
 *       snapshot's is stale (a crash between writing a snapshot and starting its journal) and is
 *       ignored. Each further line is one change, applied in order to the snapshot:
 *       <ul>
 *         <li>{@code {"answer":{"reqId":...,"response":...}}}: an answer remembered (appended);</li>
 *         <li>{@code {"forget":n}}: the n oldest answers forgotten;</li>
 *         <li>{@code {"state":{...}}}: everything but the answers replaced (the
 *             {@link DeviceStateJson} members {@code firmware}, {@code phase}, {@code manage},
 *             {@code observed}, {@code acknowledged}).</li>
 *       </ul>
 *       A save appends its lines with one write and, when durable, forces them to disk before it
 *       returns. A last line without its newline is a write torn by a crash; it was never
 *       acknowledged as saved, so it is dropped (and logged) and overwritten by the next save.</li>
 * </ul>
 * When the journal outgrows {@value #MIN_COMPACT_BYTES} bytes and twice the snapshot, the state is
 * compacted into a new snapshot (next generation) and the journal restarts, so the files stay
 * within a small multiple of the state's own size and a save's cost, amortised, is independent of
 * how many answers came before.
 *
 * <p>A snapshot or journal line that cannot be trusted (malformed, an unknown format version, a
 * value out of range) is refused with a {@link StateStoreException} naming the file, the line
 * and the key, rather than guessed at.
 *
 * <p>The journal stays open between saves (one file descriptor); {@link #close()} releases it and a
 * later save opens it again. {@code ManagedClient} closes the store it was given when it closes.
 *
 * <p>Thread-safety: not thread-safe; one session owns it.
 */
public final class FileStateStore implements DeviceStateStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileStateStore.class);

    /** The journal format this code writes and reads. */
    public static final int JOURNAL_VERSION = 1;
    /** The journal is compacted once it is larger than this and than twice the snapshot. */
    public static final int MIN_COMPACT_BYTES = 64 * 1024;

    private final Path path;
    private final Path journal;

    // What is on disk, as of the last load or save; null before either.
    private DeviceState last;
    private long generation;
    private long snapshotBytes;
    // The journal's length up to its last whole line; -1 when it must be started afresh.
    private long journalBytes = -1;
    // The journal, open for appending from journalBytes on; null when closed.
    private FileChannel appending;

    /**
     * A store that keeps the state in this file and its journal (created with their directories
     * on the first save). Nothing is read or written here.
     *
     * @param path the state file; the journal is this path with {@code .journal} appended
     * @throws NullPointerException if {@code path} is null
     */
    public FileStateStore(Path path) {
        this.path = Objects.requireNonNull(path, "path").toAbsolutePath();
        this.journal = this.path.resolveSibling(this.path.getFileName() + ".journal");
    }

    @Override
    public Optional<DeviceState> load() {
        closeJournal();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            last = null;
            journalBytes = -1;
            return Optional.empty();
        } catch (IOException e) {
            throw new StateStoreException("cannot read device state " + path + ": " + e.getMessage(), e);
        }
        DeviceState state;
        try {
            JsonObject root = (JsonObject) JsonValue.parse(bytes);
            state = DeviceStateJson.fromJson(root);
            generation = root.get("generation").map(v -> ((JsonNumber) v).longValueExact()
                    .orElseThrow(() -> new IllegalArgumentException("generation: not a whole number"))).orElse(0L);
        } catch (RuntimeException e) {
            throw new StateStoreException("device state " + path + " is not valid: " + e.getMessage(), e);
        }
        snapshotBytes = bytes.length;
        state = replay(state);
        last = state;
        return Optional.of(state);
    }

    /** Applies the journal's changes to the snapshot's state; sets {@link #journalBytes}. */
    private DeviceState replay(DeviceState snapshot) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(journal);
        } catch (NoSuchFileException e) {
            journalBytes = -1;
            return snapshot;
        } catch (IOException e) {
            throw new StateStoreException("cannot read the device state journal " + journal + ": " + e.getMessage(), e);
        }
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end < bytes.length) {
            LOG.warn("the device state journal {} ends with a torn write of {} bytes (a crash while saving);"
                    + " it was never acknowledged as saved and is dropped", journal, bytes.length - end);
        }
        String[] lines = new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n", -1);
        DeviceState state = snapshot;
        List<DeviceState.Answer> answers = new ArrayList<>(snapshot.answered());
        for (int i = 0; i < lines.length - 1; i++) { // the last element is what follows the last newline
            try {
                JsonObject line = (JsonObject) JsonValue.parse(lines[i]);
                if (i == 0) {
                    long version = number(line, "journal");
                    if (version != JOURNAL_VERSION) {
                        throw new IllegalArgumentException("journal: the journal has format " + version
                                + ", which this version of iotdm does not read (it reads " + JOURNAL_VERSION + ")");
                    }
                    if (number(line, "generation") != generation) {
                        // Stale: the snapshot already holds these changes (see the class comment).
                        journalBytes = -1;
                        return snapshot;
                    }
                    continue;
                }
                if (line.get("answer").isPresent()) {
                    answers.add(DeviceStateJson.answerFromJson(line.get("answer").get()));
                } else if (line.get("forget").isPresent()) {
                    long n = number(line, "forget");
                    if (n < 0 || n > answers.size()) {
                        throw new IllegalArgumentException("forget: " + n + " is out of range (" + answers.size()
                                + " answers)");
                    }
                    answers.subList(0, (int) n).clear();
                } else if (line.get("state").isPresent()) {
                    JsonObject core = (JsonObject) line.get("state").get();
                    Map<String, JsonValue> members = new LinkedHashMap<>(core.members());
                    members.put("version", JsonNumber.of(DeviceStateJson.FORMAT_VERSION));
                    state = DeviceStateJson.fromJson(new JsonObject(members));
                } else {
                    throw new IllegalArgumentException("the line has none of answer, forget, state");
                }
            } catch (RuntimeException e) {
                throw new StateStoreException("device state journal " + journal + " line " + (i + 1)
                        + " is not valid: " + e.getMessage(), e);
            }
        }
        journalBytes = end;
        return state.withAnswered(answers);
    }

    private static long number(JsonObject o, String key) {
        JsonValue v = o.get(key).orElseThrow(() -> new IllegalArgumentException("missing " + key));
        if (!(v instanceof JsonNumber n)) {
            throw new IllegalArgumentException(key + ": not a number");
        }
        return n.longValueExact().orElseThrow(() -> new IllegalArgumentException(key + ": not a whole number"));
    }

    @Override
    public void save(DeviceState state) {
        save(state, true);
    }

    /**
     * Appends the change from the last saved state to the journal (forced to disk when
     * {@code durable}; else written, surviving the process but not a power loss), or writes a new
     * snapshot when there is no journal yet or it has grown past its bound.
     */
    @Override
    public void save(DeviceState state, boolean durable) {
        Objects.requireNonNull(state, "state");
        try {
            Optional<byte[]> change = last == null || journalBytes < 0 ? Optional.empty() : change(last, state);
            if (change.isEmpty()) {
                compact(state);
            } else if (change.get().length > 0) {
                append(change.get(), durable);
                if (journalBytes > Math.max(MIN_COMPACT_BYTES, 2 * snapshotBytes)) {
                    compact(state);
                }
            }
            last = state;
        } catch (IOException e) {
            throw new StateStoreException("cannot write device state " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The journal lines that turn {@code from} into {@code to} (empty bytes when nothing
     * changed), or empty when the answers did not change by forgetting the oldest and appending
     * (then a snapshot is written instead).
     */
    private static Optional<byte[]> change(DeviceState from, DeviceState to) {
        List<DeviceState.Answer> before = from.answered();
        List<DeviceState.Answer> after = to.answered();
        int forget = before.size();
        if (!after.isEmpty()) {
            String first = after.get(0).reqId();
            for (int i = 0; i < before.size(); i++) {
                if (before.get(i).reqId().equals(first)) {
                    forget = i;
                    break;
                }
            }
        }
        int kept = before.size() - forget;
        if (kept > after.size() || !before.subList(forget, before.size()).equals(after.subList(0, kept))) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        if (forget > 0) {
            line(out, JsonObject.builder().put("forget", forget).build());
        }
        for (DeviceState.Answer a : after.subList(kept, after.size())) {
            line(out, JsonObject.builder().put("answer", DeviceStateJson.answerToJson(a)).build());
        }
        if (!from.withAnswered(List.of()).equals(to.withAnswered(List.of()))) {
            Map<String, JsonValue> core = new LinkedHashMap<>(DeviceStateJson.toJson(to).members());
            core.remove("version");
            core.remove("answered");
            line(out, JsonObject.builder().put("state", new JsonObject(core)).build());
        }
        return Optional.of(out.toByteArray());
    }

    private static void line(ByteArrayOutputStream out, JsonObject record) {
        out.writeBytes(record.toJsonBytes());
        out.write('\n');
    }

    /** Appends whole lines with one write, after the last whole line (overwriting a torn tail). */
    private void append(byte[] lines, boolean durable) throws IOException {
        if (appending == null) {
            appending = FileChannel.open(journal, StandardOpenOption.WRITE);
            appending.truncate(journalBytes);
        }
        try {
            appending.position(journalBytes);
            writeFully(appending, lines);
            if (durable) {
                appending.force(false);
            }
        } catch (IOException e) {
            closeJournal(); // the next save starts from the last whole line again
            throw e;
        }
        journalBytes += lines.length;
    }

    /** Releases the open journal; a later save opens it again. */
    @Override
    public void close() {
        closeJournal();
    }

    private void closeJournal() {
        if (appending != null) {
            try {
                appending.close();
            } catch (IOException e) {
                LOG.debug("closing the device state journal {}: {}", journal, e.toString());
            }
            appending = null;
        }
    }

    /** Writes the whole state as a new snapshot of the next generation, then starts its journal. */
    private void compact(DeviceState state) throws IOException {
        closeJournal();
        Files.createDirectories(path.getParent());
        long next = generation + 1;
        Map<String, JsonValue> members = new LinkedHashMap<>(DeviceStateJson.toJson(state).members());
        members.put("generation", JsonNumber.of(next));
        byte[] snapshot = new JsonObject(members).toJsonBytes();
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeFully(ch, snapshot);
            ch.force(true);
        }
        try {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
        generation = next;
        snapshotBytes = snapshot.length;
        // From here the old journal is stale (its generation is not the snapshot's); a crash
        // before the new header is written leaves it so, and load ignores it.
        byte[] header = (JsonObject.builder().put("journal", JOURNAL_VERSION).put("generation", next).build().toJson()
                + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeFully(ch, header);
            ch.force(false);
        }
        journalBytes = header.length;
    }

    private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            ch.write(buffer);
        }
    }
}
