package dev.iotdm.samples;

import dev.iotdm.client.ActionResponse;
import dev.iotdm.client.CloseOutcome;
import dev.iotdm.client.FirmwareFailureException;
import dev.iotdm.client.FirmwareHandler;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.client.firmware.DownloadOutcome;
import dev.iotdm.client.firmware.FirmwareDownloader;
import dev.iotdm.client.store.FileStateStore;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.firmware.Verifier;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.session.DeviceActionKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seed's managed device: firmware download with verification (a mismatch reports
 * VERIFICATION_FAILED), firmware update (the new version becomes {@code deviceInfo.fwVersion}),
 * reboot and factory reset. A reboot answers 202, then restarts the client on the same state
 * file, which manages again (protocol.md §7); a factory reset also wipes that state and the
 * installed firmware.
 */
public final class ManagedDeviceSample implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long MAX_IMAGE_BYTES = 64L * 1024 * 1024;
    private static final String FACTORY_VERSION = "1.0.0";

    private final DeviceOptions options;
    private final Path dir;
    private final FirmwareDownloader downloader = FirmwareDownloader.create();
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile ManagedClient client;

    /** A device with these options keeping its state and firmware under {@code dir}. */
    public ManagedDeviceSample(DeviceOptions options, Path dir) {
        this.options = options;
        this.dir = dir;
    }

    /** Connects and manages with device and firmware actions. */
    public void start() throws Exception {
        start(true);
    }

    /**
     * Connects, and manages when {@code manage}: a client restarted on its state file manages by
     * itself once connected (the state keeps the manage), and a second identical manage would
     * break protocol.md §12.15.
     */
    private void start(boolean manage) throws Exception {
        ManagedClient c = ManagedClient.builder(options).transport("paho")
                .stateStore(new FileStateStore(dir.resolve("state.json")))
                .deviceInfo(DeviceInfo.builder().manufacturer("Acme").model("sample").fwVersion(installedVersion())
                        .build())
                .build();
        // Seed style: the callbacks are assigned to the built client, before manage declares them.
        c.setFirmwareHandler(new Firmware());
        c.setDeviceActionHandler((kind, reqId) -> {
            // Answer 202 first, act after (§7). The restart may start at once: its close() waits
            // for this handler's 202 and for the broker's PUBACK of it before it disconnects.
            CompletableFuture.runAsync(() -> restart(kind));
            return CompletableFuture.completedFuture(ActionResponse.accepted());
        });
        client = c;
        ManagedClient.await(c.connect(), WAIT);
        if (manage) {
            ManagedClient.await(c.manage(3600, true, true), WAIT);
        }
    }

    /** How often the device restarted after a reboot or factory reset. */
    public int restarts() {
        return restarts.get();
    }

    /** The running client. */
    public ManagedClient client() {
        return client;
    }

    private void restart(DeviceActionKind kind) {
        ManagedClient old = client;
        try {
            if (old.close(WAIT) instanceof CloseOutcome.Unacknowledged u) {
                // Also a WARN line and an event; the saved state keeps the answer for the next start.
                System.err.println("restarting with " + u.replies() + " replies the broker did not acknowledge");
            }
            if (kind == DeviceActionKind.FACTORY_RESET) {
                Files.deleteIfExists(dir.resolve("state.json"));
                Files.deleteIfExists(dir.resolve("installed.bin"));
                Files.deleteIfExists(dir.resolve("installed.version"));
            }
            start(kind == DeviceActionKind.FACTORY_RESET); // a reset wiped the state: manage anew
            restarts.incrementAndGet();
        } catch (Exception e) {
            System.err.println("restart after " + kind + " failed: " + e);
        }
    }

    private String installedVersion() throws IOException {
        Path v = dir.resolve("installed.version");
        return Files.exists(v) ? Files.readString(v).strip() : FACTORY_VERSION;
    }

    /** Downloads and verifies with {@link FirmwareDownloader}; installs by copying the image. */
    private final class Firmware implements FirmwareHandler {
        @Override
        public CompletionStage<Void> download(FirmwareInfo image) {
            Optional<Verifier> verifier = Verifier.parse(image.verifier().orElse(""));
            if (image.uri().isEmpty() || verifier.isEmpty()) {
                return CompletableFuture.failedFuture(new FirmwareFailureException(UpdateStatus.INVALID_URI,
                        "the firmware object needs a uri and an MD5 or SHA-256 verifier"));
            }
            return downloader.download(image.uri().get(), verifier.get(), dir.resolve("download.bin"), MAX_IMAGE_BYTES)
                    .thenCompose(outcome -> outcome instanceof DownloadOutcome.Failed f
                            ? CompletableFuture.failedFuture(new FirmwareFailureException(f.status(), f.reason()))
                            : CompletableFuture.completedFuture(null));
        }

        @Override
        public CompletionStage<Void> install(FirmwareInfo image) throws IOException {
            Files.copy(dir.resolve("download.bin"), dir.resolve("installed.bin"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(dir.resolve("installed.version"), image.version().orElse("unknown"));
            return CompletableFuture.completedFuture(null); // the client reports SUCCESS and the new fwVersion
        }
    }

    @Override
    public void close() {
        ManagedClient c = client;
        if (c != null) {
            c.close();
        }
    }

    /** Runs against {@code IOTDM_HOST}:{@code IOTDM_PORT} with the {@code IOTDM_*} identity until stopped. */
    public static void main(String[] args) throws Exception {
        try (ManagedDeviceSample sample = new ManagedDeviceSample(Env.options(),
                Files.createTempDirectory("iotdm-sample"))) {
            sample.start();
            Thread.currentThread().join(); // serves the platform's requests until the process is stopped
        }
    }
}
