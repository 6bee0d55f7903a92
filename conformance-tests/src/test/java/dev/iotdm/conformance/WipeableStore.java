package dev.iotdm.conformance;

import dev.iotdm.protocol.session.DeviceState;
import dev.iotdm.protocol.session.DeviceStateStore;
import java.util.Optional;

/** A device's saved state in memory, wiped by a factory reset. Thread-safe. */
final class WipeableStore implements DeviceStateStore {
    private DeviceState state;

    @Override
    public synchronized Optional<DeviceState> load() {
        return Optional.ofNullable(state);
    }

    @Override
    public synchronized void save(DeviceState newState) {
        state = newState;
    }

    synchronized void wipe() {
        state = null;
    }
}
