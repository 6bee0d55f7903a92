package dev.iotdm.protocol.session;

import java.util.Optional;

/**
 * A store that keeps the bytes the state file format holds ({@link DeviceStateJson}), so a
 * restart in a test reads back exactly what a file store would.
 */
final class BytesStore implements DeviceStateStore {
    private byte[] saved;

    @Override
    public Optional<DeviceState> load() {
        return Optional.ofNullable(saved).map(DeviceStateJson::decode);
    }

    @Override
    public void save(DeviceState state) {
        saved = DeviceStateJson.encode(state);
    }
}
