package dev.iotdm.client.store;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;
import dev.iotdm.protocol.session.DeviceState;
import dev.iotdm.protocol.session.DeviceStateJson;
import dev.iotdm.protocol.session.DeviceStateStore;
import dev.iotdm.protocol.session.StateStoreException;

/**
 * Keeps the state in one JSON file. Each save writes a temporary file beside it, forces it to
 * disk and renames it over the old one, so a crash leaves either the old or the new state, never
 * a torn file. Thread-safety: not thread-safe; one session owns it.
 */
public final class FileStateStore implements DeviceStateStore {

    private final Path path;

    /** A store that keeps the state in this file (created with its directories on the first save). */
    public FileStateStore(Path path) {
        this.path = Objects.requireNonNull(path, "path").toAbsolutePath();
    }

    @Override
    public Optional<DeviceState> load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StateStoreException("cannot read device state " + path + ": " + e.getMessage(), e);
        }
        try {
            return Optional.of(DeviceStateJson.decode(bytes));
        } catch (RuntimeException e) {
            throw new StateStoreException("device state " + path + " is not valid: " + e.getMessage(), e);
        }
    }

    @Override
    public void save(DeviceState state) {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            Files.createDirectories(path.getParent());
            try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(DeviceStateJson.encode(state)));
                channel.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StateStoreException("cannot write device state " + path + ": " + e.getMessage(), e);
        }
    }
}
