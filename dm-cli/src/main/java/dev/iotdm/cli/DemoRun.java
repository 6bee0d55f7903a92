package dev.iotdm.cli;

import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LogSeverity;
import dev.iotdm.protocol.message.Parameter;
import dev.iotdm.protocol.message.Supports;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Qos;
import dev.iotdm.testkit.platform.DeviceView;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.platform.FirmwareImage;
import dev.iotdm.testkit.platform.OperationOutcome;
import dev.iotdm.testkit.platform.PlatformConfig;
import dev.iotdm.testkit.platform.PlatformRecorder;
import dev.iotdm.testkit.rules.Audience;
import dev.iotdm.testkit.rules.CheckReport;
import dev.iotdm.testkit.rules.Verdict;
import dev.iotdm.testkit.rules.Violation;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One run of the demo: the fake platform on an embedded broker, a firmware HTTP server and a
 * {@link DemoDevice} over a real socket, then every device-management feature in order. Each
 * step's outcome is decided by what the PLATFORM saw (operation outcomes, its record of the
 * device, the events it received), never by the device's own futures; the rule checker follows
 * everything the platform sees. It owns all of these resources and closes them before
 * {@link #run()} returns.
 *
 * <p>Thread-safety: one run, on one thread.
 */
final class DemoRun {

    /** The features, in the order they run: the rows of the summary table. */
    static final List<String> FEATURES = List.of("manage", "location", "error code add", "error codes clear",
            "log add", "log clear", "firmware download", "observe", "firmware update", "cancel", "reboot",
            "factory reset", "custom action", "event", "command", "unmanage");

    static final String ORG = "demo";
    static final String TYPE = "sensor";
    static final String DEVICE_ID = "demo-device-1";
    static final String NEW_VERSION = "1.1.0";
    static final String READING_EVENT = "reading";
    static final String COMMAND = "blink";

    /** Extra time for an operation's future beyond its own timeout, which the engine enforces. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    /** How a step ended. */
    enum Status {
        /** The platform saw what the step expects. */
        OK,
        /** It did not, or the step could not run. */
        FAILED,
        /** Not run, because an earlier step failed. */
        SKIPPED
    }

    /**
     * One row of the summary.
     *
     * @param feature the feature's name
     * @param status how it ended
     * @param millis how long it took
     * @param detail what the platform saw, or why it failed
     */
    record StepResult(String feature, Status status, long millis, String detail) {
        /** Requires every text part. */
        StepResult {
            Objects.requireNonNull(feature, "feature");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** A step failed; the message says what the platform saw instead. */
    static final class StepFailure extends Exception {
        private static final long serialVersionUID = 1L;

        StepFailure(String message) {
            super(message);
        }
    }

    /** One step: runs, and returns what the platform saw, or throws. */
    @FunctionalInterface
    private interface Step {
        String run() throws Exception;
    }

    private final PrintStream out;
    private final String transport;
    private final MqttVersion mqttVersion;
    private final FirmwareServer.Digest digest;
    private final Duration timeout;
    private final boolean transcript;

    private FakePlatform platform;
    private DemoDevice device;
    private FirmwareServer firmware;
    private String clientId;

    /**
     * A run.
     *
     * @param out where the live transcript and the summary go
     * @param transport the device's transport provider name
     * @param mqttVersion the MQTT version the device speaks
     * @param digest the firmware verifier's algorithm
     * @param timeout how long each step may take
     * @param transcript whether to print the live transcript
     */
    DemoRun(PrintStream out, String transport, MqttVersion mqttVersion, FirmwareServer.Digest digest,
            Duration timeout, boolean transcript) {
        this.out = Objects.requireNonNull(out, "out");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.mqttVersion = Objects.requireNonNull(mqttVersion, "mqttVersion");
        this.digest = Objects.requireNonNull(digest, "digest");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.transcript = transcript;
    }

    /**
     * Runs every step, prints the summary table and the rule checker's verdict.
     *
     * @return {@link DmCli#OK} when every step succeeded and no rule was violated, else {@link DmCli#FAILED}
     */
    int run() throws IOException {
        Path home = Files.createTempDirectory("iotdm-demo-");
        List<StepResult> results = new ArrayList<>();
        CheckReport report;
        try {
            PlatformRecorder recorder = new PlatformRecorder();
            out.println("Starting the fake platform (embedded MQTT broker on 127.0.0.1) ...");
            try (FakePlatform p = FakePlatform.builder()
                    .config(PlatformConfig.defaults().withOperationTimeout(timeout)).build();
                    FirmwareServer fs = FirmwareServer.start("demo-fw", NEW_VERSION, 64 * 1024, digest)) {
                platform = p;
                firmware = fs;
                platform.addObserver(recorder);
                if (transcript) {
                    recorder.transcript().addListener(new TranscriptPrinter(out, false));
                }
                String token = newToken();
                clientId = platform.registerDevice(ORG, TYPE, DEVICE_ID, token);
                DeviceOptions options = DeviceOptions.builder().org(ORG).typeId(TYPE).deviceId(DEVICE_ID)
                        .token(token).host(platform.broker().host()).port(platform.broker().port())
                        .withoutTls().mqttVersion(mqttVersion).build();
                out.println("  platform: mqtt://" + platform.broker().host() + ":" + platform.broker().port());
                out.println("  firmware: " + firmware.uri() + " (" + firmware.size() + " bytes, "
                        + digest.jcaName() + " " + firmware.verifier().hex() + ")");
                out.println("  device:   " + clientId + " over the '" + transport + "' transport ("
                        + versionText(mqttVersion) + "), plain TCP");
                try (DemoDevice d = new DemoDevice(options, transport, home.resolve("device"), timeout,
                        line -> out.println("  [device] " + line))) {
                    device = d;
                    runSteps(results);
                }
                awaitDisconnected();
                report = recorder.report();
            }
        } finally {
            deleteRecursively(home);
        }
        printSummary(results, report);
        boolean allOk = results.stream().allMatch(r -> r.status() == Status.OK);
        // Our own device: a violation of any required or recommended rule fails the demo.
        return allOk && Verdict.of(report, Audience.OUR_DEVICE).passed() ? DmCli.OK : DmCli.FAILED;
    }

    private void runSteps(List<StepResult> results) {
        List<Step> steps = List.of(this::manage, this::location, this::addErrorCode, this::clearErrorCodes,
                this::addLog, this::clearLog, this::firmwareDownload, this::observe, this::firmwareUpdate,
                this::cancel, this::reboot, this::factoryReset, this::customAction, this::event, this::command,
                this::unmanage);
        boolean failed = false;
        for (int i = 0; i < steps.size(); i++) {
            String feature = FEATURES.get(i);
            if (failed) {
                results.add(new StepResult(feature, Status.SKIPPED, 0, "an earlier step failed"));
                continue;
            }
            out.println();
            out.println("== [" + (i + 1) + "/" + steps.size() + "] " + feature);
            long start = System.nanoTime();
            Status status;
            String detail;
            try {
                detail = steps.get(i).run();
                status = Status.OK;
            } catch (StepFailure e) {
                detail = e.getMessage();
                status = Status.FAILED;
            } catch (AssertionError e) {
                // FakePlatform's waits fail with what the platform saw instead.
                detail = e.getMessage();
                status = Status.FAILED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                detail = "interrupted";
                status = Status.FAILED;
            } catch (Exception e) {
                detail = DmCli.describe(e);
                status = Status.FAILED;
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            out.println("   " + status + " (" + millis + " ms): " + detail);
            results.add(new StepResult(feature, status, millis, firstLine(detail)));
            failed = status != Status.OK;
        }
    }

    // ---- the steps: the device acts or the platform asks; the platform's record decides --------------

    private String manage() throws Exception {
        device.boot();
        device.client().manage(DemoDevice.MANAGE);
        DeviceView view = platform.awaitManaged(clientId, timeout);
        Supports s = view.supports().orElse(Supports.NONE);
        if (!s.deviceActions() || !s.firmwareActions() || !s.bundleIds().contains(DemoDevice.BUNDLE)) {
            throw new StepFailure("managed, but supports is " + s);
        }
        return "managed, lifetime " + view.lifetime().orElse(0) + " s, supports deviceActions firmwareActions "
                + String.join(" ", s.bundleIds());
    }

    private String location() {
        Location where = Location.of(48.85837, 2.294481).withElevation(35);
        device.client().setLocation(where);
        DeviceView view = platform.awaitDevice(clientId, "at " + where.latitude() + "," + where.longitude(),
                v -> v.location().filter(l -> l.latitude() == where.latitude()
                        && l.longitude() == where.longitude()).isPresent(), timeout);
        Location l = view.location().orElseThrow();
        return "location " + l.latitude() + ", " + l.longitude()
                + (l.elevation().isPresent() ? ", elevation " + l.elevation().getAsDouble() + " m" : "");
    }

    private String addErrorCode() {
        device.client().addErrorCode(42);
        DeviceView view = platform.awaitDevice(clientId, "with error code 42", v -> v.errorCodes().contains(42),
                timeout);
        return "diag.errorCodes " + view.errorCodes();
    }

    private String clearErrorCodes() {
        device.client().clearErrorCodes();
        DeviceView view = platform.awaitDevice(clientId, "without error codes", v -> v.errorCodes().isEmpty(),
                timeout);
        return "diag.errorCodes " + view.errorCodes();
    }

    private String addLog() {
        String message = "battery low";
        device.client().addLog(message, LogSeverity.WARNING, "level=7%".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        DeviceView view = platform.awaitDevice(clientId, "with log entry '" + message + "'",
                v -> v.log().stream().anyMatch(e -> e.message().equals(message)), timeout);
        return "diag.log has " + view.log().size() + " entry: '" + view.log().get(view.log().size() - 1).message()
                + "' (" + view.log().get(view.log().size() - 1).severity() + ")";
    }

    private String clearLog() {
        device.client().clearLog();
        platform.awaitDevice(clientId, "with an empty log", v -> v.log().isEmpty(), timeout);
        return "diag.log is empty";
    }

    private String firmwareDownload() throws Exception {
        FirmwareImage image = FirmwareImage.of(NEW_VERSION, "demo-fw", firmware.uri(), firmware.verifier().hex());
        OperationOutcome outcome = await(platform.firmwareDownload(clientId, Optional.of(image), timeout));
        requireSucceeded(outcome);
        DeviceView view = platform.device(clientId);
        if (view.firmwareState().orElse(null) != FirmwareState.DOWNLOADED) {
            throw new StepFailure("the download succeeded, but mgmt.firmware.state is " + view.firmwareState());
        }
        return "mgmt.firmware.state DOWNLOADED: " + firmware.size() + "-byte image " + NEW_VERSION
                + " checked against its " + digest.jcaName() + " verifier";
    }

    private String observe() throws Exception {
        requireSucceeded(await(platform.observe(clientId, List.of("deviceInfo"), timeout)));
        DeviceView view = platform.device(clientId);
        if (!view.observations().contains("deviceInfo")) {
            throw new StepFailure("observe succeeded, but the platform observes " + view.observations());
        }
        return "observing deviceInfo (fwVersion " + fwVersion(view) + ")";
    }

    private String firmwareUpdate() throws Exception {
        String before = fwVersion(platform.device(clientId));
        requireSucceeded(await(platform.firmwareUpdate(clientId, Optional.empty(), timeout)));
        DeviceView view = platform.awaitDevice(clientId, "running firmware " + NEW_VERSION,
                v -> NEW_VERSION.equals(fwVersion(v)), timeout);
        if (view.firmwareUpdateStatus().orElse(null) != UpdateStatus.SUCCESS
                || view.firmwareState().orElse(null) != FirmwareState.IDLE) {
            throw new StepFailure("installed, but mgmt.firmware is " + view.firmware());
        }
        return "deviceInfo.fwVersion " + before + " -> " + fwVersion(view) + ", state IDLE, updateStatus SUCCESS";
    }

    private String cancel() throws Exception {
        requireSucceeded(await(platform.cancel(clientId, List.of("deviceInfo"), timeout)));
        DeviceView view = platform.device(clientId);
        if (view.observations().contains("deviceInfo")) {
            throw new StepFailure("cancel succeeded, but the platform still observes " + view.observations());
        }
        return "no longer observing deviceInfo";
    }

    private String reboot() throws Exception {
        int manages = platform.device(clientId).manageCount();
        requireSucceeded(await(platform.reboot(clientId, timeout)));
        DeviceView view = platform.awaitManaged(clientId, timeout);
        if (view.manageCount() <= manages) {
            throw new StepFailure("the reboot completed without a new manage");
        }
        return "202, reconnected and managed again (manage #" + view.manageCount() + "); fwVersion "
                + fwVersion(view) + " kept";
    }

    private String factoryReset() throws Exception {
        int manages = platform.device(clientId).manageCount();
        requireSucceeded(await(platform.factoryReset(clientId, timeout)));
        DeviceView view = platform.awaitManaged(clientId, timeout);
        if (view.manageCount() <= manages) {
            throw new StepFailure("the factory reset completed without a new manage");
        }
        if (!DemoDevice.FACTORY_VERSION.equals(fwVersion(view))) {
            throw new StepFailure("managed again, but fwVersion is " + fwVersion(view) + ", not the factory "
                    + DemoDevice.FACTORY_VERSION);
        }
        return "202, wiped, managed again (manage #" + view.manageCount() + "); fwVersion back to "
                + fwVersion(view);
    }

    private String customAction() throws Exception {
        OperationOutcome outcome = await(platform.customAction(clientId, DemoDevice.BUNDLE, DemoDevice.ACTION,
                List.of(new Parameter("times", JsonNumber.of(3))), timeout));
        requireSucceeded(outcome);
        return DemoDevice.BUNDLE + "/" + DemoDevice.ACTION + " (times=3) answered 200";
    }

    private String event() throws Exception {
        JsonObject reading = JsonObject.builder().put("temperature", JsonNumber.of(21.5))
                .put("unit", "C").build();
        device.client().publishEvent(READING_EVENT, reading, Qos.AT_LEAST_ONCE);
        Event event = platform.awaitEvent(clientId, READING_EVENT, timeout);
        return "event '" + event.eventId() + "' (" + event.format() + ") "
                + TranscriptPrinter.compact(event.payload().bytes());
    }

    private String command() throws Exception {
        byte[] payload = "{\"times\":2}".getBytes(StandardCharsets.UTF_8);
        requireSucceeded(await(platform.command(clientId, COMMAND, "json", payload)));
        Event ack = platform.awaitEvent(clientId, DemoDevice.COMMAND_ACK_EVENT, timeout);
        return "command '" + COMMAND + "' delivered; the device acknowledged it with event '" + ack.eventId() + "'";
    }

    private String unmanage() {
        device.client().unmanage();
        platform.awaitDevice(clientId, "unmanaged", v -> !v.managed(), timeout);
        return "unmanaged";
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private OperationOutcome await(CompletableFuture<OperationOutcome> operation) throws Exception {
        try {
            return operation.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new StepFailure("the platform did not finish the operation within " + timeout.plus(GRACE));
        }
    }

    private static void requireSucceeded(OperationOutcome outcome) throws StepFailure {
        if (!Outcomes.succeeded(outcome)) {
            throw new StepFailure(Outcomes.describe(outcome));
        }
    }

    private static String fwVersion(DeviceView view) {
        return view.deviceInfo().flatMap(DeviceInfo::fwVersion).orElse("(none)");
    }

    /** Waits until the platform has seen the device go, so the checker has seen everything. */
    private void awaitDisconnected() {
        try {
            platform.awaitDevice(clientId, "disconnected", v -> !v.connected(), timeout);
        } catch (AssertionError e) {
            out.println("note: the platform did not see the device disconnect: " + firstLine(e.getMessage()));
        }
    }

    private void printSummary(List<StepResult> results, CheckReport report) {
        out.println();
        out.println("Summary (what the platform observed)");
        int width = "feature".length();
        for (StepResult r : results) {
            width = Math.max(width, r.feature().length());
        }
        String format = "  %-" + width + "s  %-7s  %7s  %s%n";
        out.printf(format, "feature", "outcome", "time ms", "platform saw");
        out.printf(format, "-".repeat(width), "-------", "-------", "------------");
        for (StepResult r : results) {
            out.printf(format, r.feature(), r.status(), r.status() == Status.SKIPPED ? "-" : r.millis(),
                    abbreviate(r.detail(), 110));
        }
        out.println();
        if (report.isClean()) {
            out.println("Rule checker: no rule violations (" + report.exercised().size() + " rules exercised)");
        } else {
            out.println("Rule checker: " + report.violations().size() + " rule violation(s):");
            for (Violation v : report.violations()) {
                out.println("  " + v.toString().replace("\n", "\n  "));
            }
        }
        long ok = results.stream().filter(r -> r.status() == Status.OK).count();
        boolean success = ok == results.size() && Verdict.of(report, Audience.OUR_DEVICE).passed();
        out.println(success
                ? "DEMO PASSED: all " + results.size() + " steps OK, no rule violations"
                : "DEMO FAILED: " + ok + " of " + results.size() + " steps OK, " + report.violations().size()
                        + " rule violation(s)");
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    private static String versionText(MqttVersion v) {
        return switch (v) {
            case MQTT_3_1_1 -> "MQTT 3.1.1";
            case MQTT_5 -> "MQTT 5";
        };
    }

    /** A fresh random token for the demo device; it is never printed. */
    private static String newToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Deletes the demo's files; a failure is reported, not thrown, so it cannot hide the result. */
    private void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            out.println("note: could not delete the demo's temporary directory " + root + ": " + e.getMessage());
        }
    }
}
