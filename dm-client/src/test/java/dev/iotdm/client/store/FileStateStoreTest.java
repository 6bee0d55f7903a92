package dev.iotdm.client.store;

import static dev.iotdm.client.testing.ClientAssertions.assertThat;
import static dev.iotdm.client.testing.ClientAssertions.assertThatThrownBy;

import dev.iotdm.protocol.firmware.FirmwarePhase;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Timestamp;
import dev.iotdm.protocol.session.DeviceState;
import dev.iotdm.protocol.session.DeviceStateStore;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.session.StateStoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileStateStoreTest {

    @TempDir
    Path dir;

    @Test
    void the_file_store_writes_atomically_and_leaves_no_temporary_file() throws IOException {
        Path file = dir.resolve("nested").resolve("state.json");
        DeviceStateStore store = new FileStateStore(file);
        DeviceState state = new DeviceState(
                new FirmwareInfo(Optional.of("1.1"), Optional.of("image.bin"), Optional.of("http://127.0.0.1/image.bin"),
                        Optional.of("abc"), Optional.of(FirmwareState.DOWNLOADED), Optional.of(UpdateStatus.UNSUPPORTED_IMAGE),
                        Optional.of(new Timestamp("2018-05-01T10:15:30.000Z"))),
                FirmwarePhase.DOWNLOADED, Optional.of(ManageParams.of(7200, true, false, "b1", "b2")),
                List.of(new DeviceState.Answer("p-1", "{\"rc\":202,\"reqId\":\"p-1\"}")));

        store.save(DeviceState.INITIAL);
        store.save(state);

        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
        assertThat(store.load()).contains(state);
        assertThat(new FileStateStore(file).load()).contains(state);
    }


    @Test
    void a_missing_file_is_no_state() {
        assertThat(new FileStateStore(dir.resolve("absent.json")).load()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[]", "{\"version\":1}", "{\"firmware\":{},\"phase\":\"LOST\"}",
            "{\"firmware\":{\"state\":\"x\"},\"phase\":\"IDLE\"}"})
    void a_corrupt_file_gives_a_state_store_exception_naming_the_file(String content) throws IOException {
        Path file = dir.resolve("state.json");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new FileStateStore(file).load()).isInstanceOf(StateStoreException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void an_unwritable_location_gives_a_state_store_exception() throws IOException {
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a file, not a directory");
        assertThatThrownBy(() -> new FileStateStore(blocker.resolve("state.json")).save(DeviceState.INITIAL))
                .isInstanceOf(StateStoreException.class).hasMessageContaining("state.json");
    }
}
