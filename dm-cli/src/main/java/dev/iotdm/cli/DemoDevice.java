package dev.iotdm.cli;

import dev.iotdm.client.store.FileStateStore;
import dev.iotdm.client.ActionResponse;
import dev.iotdm.client.ClientEvent;
import dev.iotdm.client.EventPublisher;
import dev.iotdm.client.FirmwareFailureException;
import dev.iotdm.client.FirmwareHandler;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.client.firmware.DownloadOutcome;
import dev.iotdm.client.firmware.FirmwareDownloader;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.firmware.Verifier;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.Command;
import dev.iotdm.protocol.message.CustomAction;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.session.DeviceActionKind;
import dev.iotdm.protocol.session.DeviceStateStore;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.supervisor.LifecycleEvent;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.Transports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The demo's sample device: a {@link ManagedClient} over a real socket transport whose handlers
 * really do things. It owns a home directory (state file, downloads, installed firmware), the
 * current client, a firmware downloader and one "power" thread that carries out reboots and
 * factory resets.
 *
 * <ul>
 *   <li>Firmware (protocol.md §6): the download streams the image with {@link FirmwareDownloader},
 *       checked against {@code mgmt.firmware.verifier}; the install copies it to
 *       {@code installed/} and records its version, which the client then reports as
 *       {@code deviceInfo.fwVersion} and which the device boots with from then on.</li>
 *   <li>Reboot (§7): answers 202, announces it with a QoS 1 event, really closes its client and
 *       starts a new one on the same state file; the saved manage parameters make the new client
 *       manage at once (§12.29), which completes the platform's reboot.</li>
 *   <li>Factory reset (§7): the same, but the state, downloads and installed firmware are wiped
 *       first, so the device comes back with its factory firmware and manages explicitly.</li>
 *   <li>Custom action (§8): bundle {@value #BUNDLE}, action {@code blink}.</li>
 *   <li>Commands (§10.2): every command is acknowledged with a {@code command-ack} event, so the
 *       platform can see that it arrived.</li>
 * </ul>
 *
 * <p>Thread-safety: {@link #boot()} and {@link #close()} are for the demo's main thread; the
 * handlers run on the client's callback executor and the power thread.
 */
final class DemoDevice implements AutoCloseable {

    /** The firmware the device leaves the factory with. */
    static final String FACTORY_VERSION = "1.0.0";
    /** The device-management extension bundle the device supports (protocol.md §8.2). */
    static final String BUNDLE = "demo-bundle";
    /** The custom action of {@link #BUNDLE}. */
    static final String ACTION = "blink";
    /** The event a command is acknowledged with. */
    static final String COMMAND_ACK_EVENT = "command-ack";
    /** The event announcing a reboot or reset. */
    static final String LIFECYCLE_EVENT = "lifecycle";
    /** How the device manages: one hour, device and firmware actions, one bundle. */
    static final ManageParams MANAGE = ManageParams.of(3600, true, true, BUNDLE);

    private static final long MAX_IMAGE_BYTES = 16L * 1024 * 1024;

    private final DeviceOptions options;
    private final String transport;
    private final Duration timeout;
    private final Consumer<String> say;
    private final Path stateFile;
    private final Path downloads;
    private final Path installed;
    private final FirmwareDownloader downloader;
    private final ExecutorService power;
    private final AtomicReference<ManagedClient> current = new AtomicReference<>();
    /** The transport of the current client: the client does not close a transport it was given. */
    private final AtomicReference<DiagnosingTransport> currentTransport = new AtomicReference<>();
    private final AtomicReference<String> lastConnectProblem = new AtomicReference<>();
    private volatile boolean closed;

    /**
     * A powered-off device.
     *
     * @param options how it connects
     * @param transport the transport provider's name
     * @param home its own directory (state, downloads, installed firmware)
     * @param timeout how long each of its waits may take
     * @param say prints what the device does, for the live output
     */
    DemoDevice(DeviceOptions options, String transport, Path home, Duration timeout, Consumer<String> say) {
        this.options = Objects.requireNonNull(options, "options");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.say = Objects.requireNonNull(say, "say");
        this.stateFile = home.resolve("state.json");
        this.downloads = home.resolve("downloads");
        this.installed = home.resolve("installed");
        try {
            Files.createDirectories(downloads);
            Files.createDirectories(installed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the device's directories under " + home, e);
        }
        this.downloader = FirmwareDownloader.builder().connectTimeout(timeout).timeout(timeout).build();
        this.power = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "iotdm-demo-device-power");
            t.setDaemon(true);
            return t;
        });
    }

    /** The running client. */
    ManagedClient client() {
        ManagedClient c = current.get();
        if (c == null) {
            throw new IllegalStateException("the device is not running");
        }
        return c;
    }

    /**
     * Powers on: a new client with the saved state and the installed firmware version, connected.
     * If the saved state says the device is managed, the client manages by itself.
     *
     * @throws Exception when it does not connect within the timeout (the message tells why)
     */
    ManagedClient boot() throws Exception {
        if (closed) {
            throw new IllegalStateException("the device is closed");
        }
        DiagnosingTransport wire = new DiagnosingTransport(Transports.load(transport));
        currentTransport.set(wire);
        ManagedClient client = ManagedClient.builder(options)
                .transport(wire)
                .stateStore(new FileStateStore(stateFile))
                .deviceInfo(DeviceInfo.builder().manufacturer("iotdm").model("demo-sensor")
                        .serialNumber(options.deviceId()).fwVersion(installedVersion()).build())
                .connectTimeout(timeout)
                .requestTimeout(timeout)
                .firmwareHandler(new Firmware())
                .deviceActionHandler(this::onDeviceAction)
                .customActionHandler(BUNDLE, this::onCustomAction)
                .anyCommandHandler(this::onCommand)
                .listener(this::onClientEvent)
                .build();
        current.set(client);
        try {
            ManagedClient.await(client.connect(), timeout);
        } catch (TimeoutException e) {
            String problem = wire.lastConnectFailure().map(f -> "last attempt: " + f).orElse(lastConnectProblem.get());
            throw new TimeoutException("the device did not connect within " + timeout.toSeconds() + " s"
                    + (problem == null ? "" : "; " + problem));
        }
        return client;
    }

    /** The version the device runs: the installed one, or the factory one. */
    String installedVersion() {
        Path version = installed.resolve("version");
        try {
            return Files.exists(version) ? Files.readString(version, StandardCharsets.UTF_8).trim() : FACTORY_VERSION;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + version, e);
        }
    }

    /** Stops the power thread, then the client. */
    @Override
    public void close() {
        closed = true;
        power.shutdownNow();
        try {
            if (!power.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                say.accept("the device's restart did not stop within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        powerOff(current.getAndSet(null));
    }

    /** Closes a client and then its transport. */
    private void powerOff(ManagedClient client) {
        if (client != null) {
            client.close();
        }
        DiagnosingTransport wire = currentTransport.getAndSet(null);
        if (wire != null) {
            wire.close();
        }
    }

    // ---- handlers ---------------------------------------------------------------------------------

    private CompletionStage<ActionResponse> onDeviceAction(DeviceActionKind kind, String reqId) {
        ManagedClient client = current.get();
        power.execute(() -> restart(client, kind, reqId));
        // Answered from the power thread with respondDeviceAction, so that the 202 is on its way
        // before anything else the restart sends (protocol.md §7: 202 before rebooting).
        return null;
    }

    private void restart(ManagedClient old, DeviceActionKind kind, String reqId) {
        boolean reset = kind == DeviceActionKind.FACTORY_RESET;
        try {
            ManagedClient.await(old.respondDeviceAction(reqId, Rc.ACCEPTED, null), timeout);
            // The PUBACK of this QoS 1 event, sent after the 202 on the same connection, shows
            // that the broker has the 202 too: only then is it safe to drop the connection.
            ManagedClient.await(old.publishEvent(LIFECYCLE_EVENT, JsonObject.builder()
                    .put("state", reset ? "factory-resetting" : "rebooting").build(), Qos.AT_LEAST_ONCE), timeout);
            say.accept(reset ? "factory reset: powering off, wiping state and firmware" : "rebooting: powering off");
            powerOff(old);
            if (reset) {
                wipe();
            }
            if (closed) {
                return;
            }
            ManagedClient fresh = boot();
            say.accept("powered on with firmware " + installedVersion()
                    + (reset ? "; managing again" : "; the saved state makes it manage again"));
            if (reset) {
                // The wiped state holds no manage parameters: a reset device manages as at first boot.
                ManagedClient.await(fresh.manage(MANAGE), timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            say.accept((reset ? "factory reset" : "reboot") + " failed: " + DmCli.describe(e));
        }
    }

    private void wipe() throws IOException {
        Files.deleteIfExists(stateFile);
        Files.deleteIfExists(downloads.resolve("firmware.bin"));
        Files.deleteIfExists(installed.resolve("firmware.bin"));
        Files.deleteIfExists(installed.resolve("version"));
    }

    private CompletionStage<ActionResponse> onCustomAction(CustomAction action) {
        if (!action.actionId().equals(ACTION)) {
            return CompletableFuture.completedFuture(ActionResponse.notSupported(
                    "bundle " + BUNDLE + " has no action '" + action.actionId() + "'"));
        }
        String times = action.parameter("times").map(p -> p.value().toJson()).orElse("1");
        say.accept("blinking the LED " + times + " time(s)");
        return CompletableFuture.completedFuture(ActionResponse.done());
    }

    private void onCommand(Command command, EventPublisher events) {
        say.accept("command '" + command.commandId() + "' received; acknowledging it with an event");
        events.publishEvent(COMMAND_ACK_EVENT, JsonObject.builder().put("commandId", command.commandId())
                .put("format", command.format()).build(), Qos.AT_LEAST_ONCE);
    }

    private void onClientEvent(ClientEvent event) {
        if (event instanceof ClientEvent.Lifecycle l) {
            LifecycleEvent e = l.event();
            if (e instanceof LifecycleEvent.AuthenticationFailed a) {
                lastConnectProblem.set("authentication failed: " + a.detail());
            } else if (e instanceof LifecycleEvent.Disconnected d) {
                lastConnectProblem.set("disconnected: " + d.reason());
            } else if (e instanceof LifecycleEvent.GaveUp g) {
                lastConnectProblem.set("gave up: " + g.reason());
            }
        }
    }

    /** Downloads with verification and installs by copying; protocol.md §6.2 and §6.3. */
    private final class Firmware implements FirmwareHandler {
        @Override
        public CompletionStage<Void> download(FirmwareInfo image) {
            Optional<String> uri = image.uri();
            if (uri.isEmpty()) {
                return CompletableFuture.failedFuture(new FirmwareFailureException(UpdateStatus.INVALID_URI,
                        "mgmt.firmware.uri is not set"));
            }
            Optional<Verifier> verifier = Verifier.parse(image.verifier().orElse(""));
            if (verifier.isEmpty()) {
                return CompletableFuture.failedFuture(new FirmwareFailureException(UpdateStatus.VERIFICATION_FAILED,
                        "mgmt.firmware.verifier is neither MD5 nor SHA-256 hex"));
            }
            say.accept("downloading firmware " + image.version().orElse("?") + " from " + uri.get());
            return downloader.download(uri.get(), verifier.get(), downloads.resolve("firmware.bin"), MAX_IMAGE_BYTES)
                    .thenCompose(DemoDevice.this::downloaded);
        }

        @Override
        public CompletionStage<Void> install(FirmwareInfo image) throws IOException {
            Path file = downloads.resolve("firmware.bin");
            if (!Files.exists(file)) {
                return CompletableFuture.failedFuture(new FirmwareFailureException(UpdateStatus.UNSUPPORTED_IMAGE,
                        "no downloaded image to install"));
            }
            String version = image.version().orElse("unknown");
            Files.copy(file, installed.resolve("firmware.bin"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(installed.resolve("version"), version, StandardCharsets.UTF_8);
            say.accept("installed firmware " + version);
            return CompletableFuture.completedFuture(null);
        }
    }

    private CompletionStage<Void> downloaded(DownloadOutcome outcome) {
        if (outcome instanceof DownloadOutcome.Downloaded d) {
            say.accept("downloaded " + d.size() + " bytes; digest " + abbreviate(d.hexDigest()) + " matches the verifier");
            return CompletableFuture.completedFuture(null);
        }
        DownloadOutcome.Failed f = (DownloadOutcome.Failed) outcome;
        say.accept("download failed (" + f.status() + "): " + f.reason());
        return CompletableFuture.failedFuture(new FirmwareFailureException(f.status(), f.reason()));
    }

    private static String abbreviate(String hex) {
        return hex.length() <= 16 ? hex : hex.substring(0, 16) + "...";
    }
}
