package dev.iotdm.cli;

import dev.iotdm.protocol.codec.WireText;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.MetadataField;
import dev.iotdm.protocol.message.Supports;
import dev.iotdm.testkit.broker.ExternalBroker;
import dev.iotdm.testkit.broker.TopicFilters;
import dev.iotdm.testkit.fault.Fault;
import dev.iotdm.testkit.fault.FaultProxy;
import dev.iotdm.testkit.platform.DeviceLink;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.platform.FirmwareImage;
import dev.iotdm.testkit.platform.OperationOutcome;
import dev.iotdm.testkit.platform.PlatformConfig;
import dev.iotdm.testkit.platform.PlatformRecorder;
import dev.iotdm.testkit.rules.Audience;
import dev.iotdm.testkit.rules.RuleTable;
import dev.iotdm.testkit.scenario.ExternalRow;
import dev.iotdm.testkit.scenario.RowResult;
import dev.iotdm.testkit.scenario.ScenarioFailure;
import dev.iotdm.testkit.scenario.ScenarioRunner;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Transports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One run of {@code dm-cli conformance}: platform and firmware servers up, the device under test
 * (optionally started as a child process) connected and managed, the operations its {@code supports}
 * allow, then the rule table written and the verdict returned as the exit code.
 *
 * <p>Thread-safety: used on one thread; the child's output is copied on a daemon thread.
 */
final class ConformanceRun {

    /** A custom action to run when the device declares its bundle. */
    record BundleAction(String bundleId, String actionId) {
        BundleAction {
            Objects.requireNonNull(bundleId, "bundleId");
            Objects.requireNonNull(actionId, "actionId");
        }
    }

    /** What one operation did, against what a conforming device does. */
    private record OpResult(String name, String expected, String outcome, long millis) {
    }

    /** The action sent to a declared bundle the user named no action for: a conforming device answers 501. */
    static final String PROBE_ACTION = "iotdm-conformance-probe";
    /** How long the device may take, after manage, to subscribe to the request topics (iot-java subscribes late). */
    private static final Duration SUBSCRIBE_GRACE = Duration.ofSeconds(5);
    private static final int SCENARIO_STEPS = 10;
    /** Each replay runs on the real device: a small shrink budget keeps a failing run short. */
    private static final int SCENARIO_SHRINK_REPLAYS = 10;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String REQUEST_TOPIC = "iotdm-1/observe";

    private final PrintStream out;
    private final DeviceSpec device;
    private final Optional<BrokerAddress> attach;
    private final int scenarios;
    /** Why the scenarios failed, when they did: the exit code is then 1 too. */
    private Optional<String> scenarioFailure = Optional.empty();
    private final int port;
    private final Duration wait;
    private final Duration timeout;
    private final List<BundleAction> actions;
    private final Path reportDir;
    private final List<String> childCommand;
    private final boolean transcript;
    private final List<OpResult> results = new ArrayList<>();

    ConformanceRun(PrintStream out, DeviceSpec device, Optional<BrokerAddress> attach, int port, Duration wait,
            Duration timeout, List<BundleAction> actions, int scenarios, Path reportDir, List<String> childCommand,
            boolean transcript) {
        this.scenarios = scenarios;
        this.out = Objects.requireNonNull(out, "out");
        this.device = Objects.requireNonNull(device, "device");
        this.attach = Objects.requireNonNull(attach, "attach");
        this.port = port;
        this.wait = Objects.requireNonNull(wait, "wait");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.actions = List.copyOf(actions);
        this.reportDir = Objects.requireNonNull(reportDir, "reportDir");
        this.childCommand = List.copyOf(childCommand);
        this.transcript = transcript;
    }

    /** Runs everything; {@link DmCli#OK} when no required rule was violated and the device managed. */
    int run() throws IOException, InterruptedException {
        // The embedded broker reports each SUBSCRIBE in order with the messages: DM-MANAGE-4 is checked live.
        PlatformRecorder recorder = attach.isEmpty() ? PlatformRecorder.withLiveSubscriptions() : new PlatformRecorder();
        PlatformConfig config = PlatformConfig.defaults().withOperationTimeout(timeout);
        String clientId;
        boolean managed;
        try (PlatformSide side = attach.isEmpty() ? PlatformSide.embedded(config, port) : PlatformSide.attached(config);
                FirmwareServer good = FirmwareServer.start("conformance-fw", "2.0.0", 64 * 1024,
                        FirmwareServer.Digest.SHA256);
                FirmwareServer tampered = FirmwareServer.start("conformance-fw", "2.0.1-tampered", 64 * 1024,
                        FirmwareServer.Digest.SHA256)) {
            FakePlatform platform = side.platform();
            platform.addObserver(recorder);
            if (transcript) {
                recorder.transcript().addListener(new TranscriptPrinter(out, false));
            }
            clientId = platform.registerDevice(device.org(), device.typeId(), device.deviceId(), device.token());
            if (attach.isPresent()) {
                BrokerAddress to = attach.get();
                side.attach(to, port, clientId, device.org(), wait);
                out.println("attached to the broker at " + WireText.escape(to.host()) + ":" + to.port()
                        + "; the device connects through a proxy that reports its connections (a plain broker reports"
                        + " no SUBSCRIBE: DM-SUB-1 and DM-MANAGE-4 are not checked)");
            }
            String host = side.host();
            int brokerPort = side.port();
            out.println("iotdm conformance: waiting up to " + wait.toSeconds() + " s for " + WireText.escape(clientId)
                    + " at mqtt://" + host + ":" + brokerPort + " (username use-token-auth, password = token)");
            Process child = startChild(host, brokerPort);
            try {
                managed = awaitManaged(platform, clientId);
                if (managed) {
                    exercise(side, recorder, clientId, good, tampered);
                }
                recorder.checker().finish(Instant.now());
            } finally {
                stopChild(child);
            }
        }
        RuleTable table = RuleTable.of(clientId, recorder.report(), Audience.EXTERNAL_DEVICE);
        String text = (managed ? "" : "FAILED: the device never connected and managed within " + wait.toSeconds()
                + " s; the rule table below has nothing to judge\n") + table.toText() + operationsText(managed);
        Files.createDirectories(reportDir);
        Files.writeString(reportDir.resolve("conformance.txt"), text, StandardCharsets.UTF_8);
        Files.writeString(reportDir.resolve("conformance-junit.xml"), table.toJUnitXml(), StandardCharsets.UTF_8);
        Files.writeString(reportDir.resolve("conformance.json"), table.toJson(), StandardCharsets.UTF_8);
        out.println();
        out.print(text);
        out.println("report written to " + reportDir.toAbsolutePath() + " (conformance.txt, conformance-junit.xml,"
                + " conformance.json)");
        boolean passed = managed && table.verdict().passed() && scenarioFailure.isEmpty();
        out.println(passed ? "CONFORMANCE PASSED: no required rule violated"
                : !managed ? "CONFORMANCE FAILED: the device never connected and managed within " + wait.toSeconds() + " s"
                        : !table.verdict().passed() ? "CONFORMANCE FAILED: " + table.verdict().failures().size()
                                + " required rule violation(s)"
                                : "CONFORMANCE FAILED: a scenario failed (see its shrunk transcript above)");
        return passed ? DmCli.OK : DmCli.FAILED;
    }

    private boolean awaitManaged(FakePlatform platform, String clientId) {
        try {
            platform.awaitManaged(clientId, wait);
            out.println("device managed");
            return true;
        } catch (AssertionError e) {
            out.println("the device did not manage within " + wait.toSeconds() + " s: " + firstLine(e.getMessage()));
            return false;
        }
    }

    /** Runs the operations the device's supports allow, in an order that leaves the destructive ones last. */
    private void exercise(PlatformSide side, PlatformRecorder recorder, String clientId, FirmwareServer good,
            FirmwareServer tampered) throws InterruptedException {
        FakePlatform platform = side.platform();
        if (side.reportsSubscriptions() && !checkSubscription(platform, recorder, clientId)) {
            return;
        }
        operations(platform, clientId, good, tampered);
        if (scenarios > 0) {
            runScenarios(platform, clientId, good, tampered);
        }
    }

    /**
     * Seeded scenarios of platform operations on the device ({@link ExternalRow}): its traffic is
     * in the rule table too; a failing scenario is shrunk on the device itself and printed.
     */
    private void runScenarios(FakePlatform platform, String clientId, FirmwareServer good, FirmwareServer tampered) {
        FirmwareImage image = FirmwareImage.of("2.0.0", "conformance-fw", good.uri(), good.verifier().hex());
        FirmwareImage bad = FirmwareImage.of("2.0.1", "conformance-fw", tampered.uri(), good.verifier().hex());
        ExternalRow row = new ExternalRow(platform, clientId, verifies -> verifies ? image : bad, timeout);
        out.println("> " + scenarios + " seeded scenarios of platform operations, up to " + SCENARIO_STEPS + " steps each");
        long t0 = System.nanoTime();
        String outcome;
        try {
            RowResult result = new ScenarioRunner(row, SCENARIO_STEPS, SCENARIO_SHRINK_REPLAYS).run(scenarios);
            outcome = "OK: " + result.scenarios() + " passed (seed " + result.seed() + ", replay with -Dpbt.seed="
                    + result.seed() + ")";
        } catch (ScenarioFailure f) {
            scenarioFailure = Optional.of(f.getMessage());
            out.println(f.getMessage());
            outcome = "FAILED: " + firstLine(f.getMessage());
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        results.add(new OpResult(scenarios + " scenarios", "every one passes", outcome, millis));
        out.println("< scenarios: " + WireText.escape(outcome) + " (" + millis + " ms)");
    }

    /** Whether the device holds a subscription for platform requests; false after the one probe that records it does not. */
    private boolean checkSubscription(FakePlatform platform, PlatformRecorder recorder, String clientId)
            throws InterruptedException {
        Set<String> filters = awaitRequestSubscription(platform, clientId);
        recorder.checker().onSubscribe(Instant.now(), clientId, List.copyOf(filters));
        out.println("the device subscribed to: " + (filters.isEmpty() ? "nothing" : WireText.escape(String.join(" ",
                filters.stream().sorted().toList()))));
        if (filters.stream().noneMatch(f -> TopicFilters.matches(f, REQUEST_TOPIC))) {
            // One probe records the finding (DM-SUB-1); every further request would only wait out its timeout.
            op("observe (probe: no subscription for " + REQUEST_TOPIC + ")", "not delivered",
                    () -> platform.observe(clientId, List.of(FieldValue.METADATA), SUBSCRIBE_GRACE));
            out.println("skipping the other operations: the device holds no subscription for platform requests");
            return false;
        }
        return true;
    }

    private void operations(FakePlatform platform, String clientId, FirmwareServer good, FirmwareServer tampered)
            throws InterruptedException {
        Supports supports = platform.device(clientId).supports().orElse(Supports.NONE);
        out.println("the device declares: deviceActions " + supports.deviceActions() + ", firmwareActions "
                + supports.firmwareActions() + ", bundles " + WireText.escape(supports.bundleIds().toString()));
        op("device/update metadata", "204", () -> platform.deviceUpdate(clientId,
                List.of(new MetadataField(JsonObject.builder().put("conformance", true).build())), timeout));
        String observed = supports.firmwareActions() ? FieldValue.FIRMWARE : FieldValue.METADATA;
        op("observe " + observed, "200 with the current value", () -> platform.observe(clientId, List.of(observed),
                timeout));
        op("cancel " + observed, "200", () -> platform.cancel(clientId, List.of(observed), timeout));
        if (supports.firmwareActions()) {
            FirmwareImage image = FirmwareImage.of("2.0.0", "conformance-fw", good.uri(), good.verifier().hex());
            op("firmware download " + good.uri(), "OK (state 2)",
                    () -> platform.firmwareDownload(clientId, Optional.of(image), timeout));
            op("firmware update", "OK (state 0, updateStatus 0)",
                    () -> platform.firmwareUpdate(clientId, Optional.empty(), timeout));
            // The tampered image with the good image's verifier: the device must refuse it.
            FirmwareImage bad = FirmwareImage.of("2.0.1", "conformance-fw", tampered.uri(), good.verifier().hex());
            op("firmware download with a wrong verifier", "FAILED updateStatus " + UpdateStatus.VERIFICATION_FAILED,
                    () -> platform.firmwareDownload(clientId, Optional.of(bad), timeout));
        }
        for (String bundle : supports.bundleIds()) {
            List<BundleAction> named = actions.stream().filter(a -> a.bundleId().equals(bundle)).toList();
            if (named.isEmpty()) {
                named = List.of(new BundleAction(bundle, PROBE_ACTION));
            }
            for (BundleAction a : named) {
                op("custom action " + a.bundleId() + "/" + a.actionId(),
                        a.actionId().equals(PROBE_ACTION) ? "501 (unknown action)" : "200",
                        () -> platform.customAction(clientId, a.bundleId(), a.actionId(), List.of(), timeout));
            }
        }
        if (supports.deviceActions()) {
            // Each completes when the device answered 202 and managed again.
            op("reboot", "202, then manage again", () -> platform.reboot(clientId, wait));
            op("factory reset", "202, then manage again", () -> platform.factoryReset(clientId, wait));
        }
    }

    /**
     * The filters the device holds once one lets a platform request through, or what it holds when
     * {@link #SUBSCRIBE_GRACE} is over (some devices subscribe only after their manage is answered).
     */
    private Set<String> awaitRequestSubscription(FakePlatform platform, String clientId) throws InterruptedException {
        long deadline = System.nanoTime() + SUBSCRIBE_GRACE.toNanos();
        while (true) {
            Set<String> filters = query(platform, clientId);
            if (filters.stream().anyMatch(f -> TopicFilters.matches(f, REQUEST_TOPIC))
                    || System.nanoTime() - deadline >= 0) {
                return filters;
            }
            // A bounded poll of the broker's store: it offers no subscription events.
            CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(POLL.toMillis(),
                    TimeUnit.MILLISECONDS)).join();
        }
    }

    private Set<String> query(FakePlatform platform, String clientId) throws InterruptedException {
        try {
            return platform.broker().subscriptions(clientId).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            out.println("note: the broker did not list the device's subscriptions: " + DmCli.describe(e));
            return Set.of();
        }
    }

    private void op(String name, String expected, Supplier<CompletableFuture<OperationOutcome>> start)
            throws InterruptedException {
        out.println("> " + name + " (a conforming device: " + expected + ")");
        long t0 = System.nanoTime();
        String outcome;
        try {
            // The operation times itself out; the extra minute only guards against a platform bug.
            outcome = Outcomes.describe(start.get().get(wait.plus(timeout).toSeconds() + 60, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            outcome = "ERROR " + DmCli.describe(e);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        results.add(new OpResult(name, expected, outcome, millis));
        out.println("< " + name + ": " + WireText.escape(outcome) + " (" + millis + " ms)");
    }

    private String operationsText(boolean managed) {
        StringBuilder b = new StringBuilder("\nOperations (informative; the exit code follows the required rules)\n");
        if (!managed) {
            b.append("  none: the device never managed\n");
        }
        for (OpResult r : results) {
            b.append(String.format("  %-48s %7d ms  expected %s; got %s%n", WireText.escape(r.name()), r.millis(),
                    r.expected(), WireText.escape(r.outcome())));
        }
        return b.toString();
    }

    private Process startChild(String host, int brokerPort) throws IOException {
        if (childCommand.isEmpty()) {
            return null;
        }
        ProcessBuilder pb = new ProcessBuilder(childCommand).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("IOTDM_HOST", host);
        env.put("IOTDM_PORT", Integer.toString(brokerPort));
        env.put("IOTDM_ORG", device.org());
        env.put("IOTDM_TYPE", device.typeId());
        env.put("IOTDM_DEVICE", device.deviceId());
        env.put("IOTDM_TOKEN", device.token());
        Process p = pb.start();
        out.println("started the device: " + WireText.escape(String.join(" ", childCommand)) + " (pid " + p.pid()
                + ")");
        Thread copier = new Thread(() -> copyOutput(p), "conformance-device-output");
        copier.setDaemon(true);
        copier.start();
        return p;
    }

    private void copyOutput(Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                out.println("  [device] " + WireText.escape(line));
            }
        } catch (IOException e) {
            out.println("note: the device's output ended: " + e.getMessage());
        }
    }

    /** Stops the child we started (only it): politely, then forcibly. */
    private void stopChild(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        out.println("the device process ended" + (p.isAlive() ? " not (still alive)" : " with exit code " + p.exitValue()));
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /**
     * A broker to attach to ({@code --broker}).
     *
     * @param host its host name or address
     * @param port its plain MQTT port
     */
    record BrokerAddress(String host, int port) {
        BrokerAddress {
            Objects.requireNonNull(host, "host");
        }
    }

    /**
     * The platform and how the device reaches it: the embedded broker, or an attached broker with
     * the platform as its client ({@link ExternalBroker}) and a {@link FaultProxy} the device
     * connects through, which reports its connections (a plain broker tells nobody).
     */
    private static final class PlatformSide implements AutoCloseable {
        private final FakePlatform platform;
        private FaultProxy proxy;
        private ExternalBroker external;

        private PlatformSide(FakePlatform platform) {
            this.platform = platform;
        }

        static PlatformSide embedded(PlatformConfig config, int port) {
            return new PlatformSide(FakePlatform.builder().config(config).brokerOptions(b -> b.port(port)).build());
        }

        static PlatformSide attached(PlatformConfig config) {
            return new PlatformSide(FakePlatform.builder().config(config).withoutBroker().build());
        }

        FakePlatform platform() {
            return platform;
        }

        /** Connects the platform to {@code to} for {@code clientId} and opens the device's proxy on {@code listenPort}. */
        void attach(BrokerAddress to, int listenPort, String clientId, String org, Duration wait) {
            proxy = FaultProxy.open(to.host(), to.port(), listenPort);
            MqttConnectOptions options = MqttConnectOptions.builder().clientId("a:" + org + ":iotdm-conformance")
                    .host(to.host()).port(to.port()).version(MqttVersion.MQTT_3_1_1).build();
            // Found by name through ServiceLoader: dm-cli names no transport library.
            external = ExternalBroker.connect(Transports.load("netty"), options, clientId, platform.publishListener(),
                    wait);
            external.reportConnections(proxy, platform.connectionListener(), wait);
            FaultProxy network = proxy;
            platform.attach(DeviceLink.of(external, id -> network.apply(new Fault.DropConnections())));
        }

        String host() {
            return proxy != null ? "127.0.0.1" : platform.broker().host();
        }

        int port() {
            return proxy != null ? proxy.port() : platform.broker().port();
        }

        /** Whether the broker reports the device's subscriptions (only the embedded one does). */
        boolean reportsSubscriptions() {
            return proxy == null;
        }

        @Override
        public void close() {
            try {
                if (external != null) {
                    external.close();
                }
                if (proxy != null) {
                    proxy.close();
                }
            } finally {
                platform.close();
            }
        }
    }
}
