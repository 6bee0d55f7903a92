package dev.iotdm.protocol.session;

import java.util.Optional;

/** Keeps the state in a field. Thread-safety: safe to share (volatile field). */
final class InMemoryStateStore implements DeviceStateStore {

    private volatile DeviceState state;

    @Override
    public Optional<DeviceState> load() {
        return Optional.ofNullable(state);
    }

    @Override
    public void save(DeviceState s) {
        state = s;
    }
}
