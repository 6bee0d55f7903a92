package dev.iotdm.protocol.session;

import java.util.Optional;

/**
 * Keeps a device's {@link DeviceState} across restarts (dm-client's {@code FileStateStore} keeps it in a file). The session asks for a save (a
 * {@link SessionAction.Persist}) before the actions that depend on it; implementations must make
 * the write durable and atomic before returning.
 *
 * <p>Thread-safety: called from the session's serial executor only; implementations need not
 * be thread-safe unless shared.
 */
public interface DeviceStateStore {

    /**
     * The saved state, or empty for a device that never saved one.
     *
     * @return the state last saved
     * @throws StateStoreException when the saved state cannot be read
     */
    Optional<DeviceState> load();

    /**
     * Saves the state durably, replacing the previous one.
     *
     * @param state the state to save, not null
     * @throws StateStoreException when it cannot be written
     */
    void save(DeviceState state);

    /**
     * Saves the state, replacing the previous one; durably (forced to disk before returning) when
     * {@code durable}, else at least as far as surviving the process (see
     * {@link SessionAction.Persist}). The default saves durably.
     *
     * @param state the state to save, not null
     * @param durable whether the save must reach stable storage before this method returns
     * @throws StateStoreException when it cannot be written
     */
    default void save(DeviceState state, boolean durable) {
        save(state);
    }

    /**
     * A store that keeps the state in memory only (lost with the process).
     *
     * @return a new, empty store; thread-safe
     */
    static DeviceStateStore inMemory() {
        return new InMemoryStateStore();
    }

}
