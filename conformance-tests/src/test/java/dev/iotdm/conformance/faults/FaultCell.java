package dev.iotdm.conformance.faults;

import dev.iotdm.client.ActionResponse;
import dev.iotdm.client.ClientEvent;
import dev.iotdm.client.CloseOutcome;
import dev.iotdm.client.FirmwareHandler;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.client.store.FileStateStore;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.codec.WireText;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.CustomAction;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.session.DeviceActionKind;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.supervisor.LifecycleEvent;
import dev.iotdm.protocol.supervisor.ReconnectPolicy;
import dev.iotdm.protocol.topic.Direction;
import dev.iotdm.testkit.fault.FaultProxy;
import dev.iotdm.testkit.platform.DeviceView;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.platform.OperationOutcome;
import dev.iotdm.testkit.scenario.Invariants;
import dev.iotdm.testkit.scenario.PlatformOps;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Qos;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One cell of the fault matrix: a fresh device (its own id, its own {@link FaultProxy} in front of
 * the row's broker, a {@link FileStateStore}, keep-alive 1 s) runs one {@link Flow}; when the flow is
 * midway the cell strikes one {@link NetworkFault}, lets the flow go on, undoes a lasting fault
 * once the device has noticed, and then judges: every operation succeeded, the platform's record
 * of {@code mgmt.firmware} equals the device's, every event reached the platform, every platform
 * request was answered and no handler ran twice for one reqId. Every wait has a deadline; nothing
 * sleeps.
 */
final class FaultCell {

    /**
     * The keep-alive of every matrix device: a dead link is noticed within a few seconds. (One
     * second made a loaded 2-core machine miss pings and the broker drop healthy links.)
     */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(2);
    /** How long a platform operation may take, a reconnect included (a broker restart adds {@link #RESTART}). */
    private static final Duration OPERATION = Duration.ofSeconds(20);
    /** What a broker restart (about 4 s to stop, then a start) adds to an operation's time on a loaded machine. */
    private static final Duration RESTART = Duration.ofSeconds(20);
    /** How long a step of the cell may wait on a loaded machine. */
    private static final Duration STEP = Duration.ofSeconds(40);
    /** How long the records may take to agree once the flow is over. */
    private static final Duration CONVERGE = Duration.ofSeconds(15);
    private static final ManageParams MANAGE = ManageParams.of(3600, true, true, PlatformOps.DECLARED_BUNDLE);
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(1),
            2.0, 0.0, Duration.ofSeconds(10), 1000, Duration.ofMinutes(1));
    private static final int BURST = 200;
    private static final int BURST_STRIKE_AT = 50;
    private static final int EVENTS = 50;
    private static final int EVENTS_STRIKE_AFTER = 10;
    private static final String EVENT_ID = "matrix";

    private final FakePlatform platform;
    private final String transport;
    private final MqttVersion version;
    private final NetworkFault fault;
    private final Flow flow;
    private final Path stateDir;
    private final String deviceId;
    private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

    FaultCell(FakePlatform platform, String transport, MqttVersion version, NetworkFault fault, Flow flow,
            Path stateDir, String deviceId) {
        this.platform = platform;
        this.transport = transport;
        this.version = version;
        this.fault = fault;
        this.flow = flow;
        this.stateDir = stateDir;
        this.deviceId = deviceId;
    }

    private Duration operationTimeout() {
        return fault == NetworkFault.BROKER_RESTART ? OPERATION.plus(RESTART) : OPERATION;
    }

    /** The cell's name in the table. */
    String name() {
        return transport + "-" + (version == MqttVersion.MQTT_5 ? "5" : "3.1.1") + " / " + fault + " / " + flow;
    }

    /** Runs the cell and says what it saw; never throws for a fault the device mishandles. */
    CellResult run() throws Exception {
        long start = System.nanoTime();
        String token = "token-" + deviceId;
        String clientId = platform.registerDevice("org1", "faults", deviceId, token);
        int lost = 0;
        int duplicates;
        try (FaultProxy proxy = FaultProxy.open(platform.broker().host(), platform.broker().port(), 0);
             Device device = new Device(proxy, token)) {
            device.boot();
            awaitStep(device.client().manage(MANAGE), "the first manage");
            switch (flow) {
                case FIRMWARE_DOWNLOAD -> firmware(proxy, device, clientId, false);
                case FIRMWARE_UPDATE -> firmware(proxy, device, clientId, true);
                case REBOOT -> reboot(proxy, device, clientId);
                case BURST_200_REQUESTS -> burst(proxy, device, clientId);
                case EVENTS_50 -> lost = events(proxy, device, clientId);
            }
            checkRecords(device, clientId);
            List<TranscriptEntry> seen = platform.transcript(clientId);
            List<String> open = Invariants.answers(seen, Direction.PLATFORM_TO_DEVICE, Invariants.DEVICE_RESPONSE)
                    .stream().filter(p -> p.invariant().equals("unanswered request")).map(p -> p.detail()).toList();
            int unanswered = open.size();
            if (unanswered > 0) {
                failures.add(unanswered + " platform requests unanswered, first " + open.subList(0, Math.min(3, unanswered)));
            }
            duplicates = device.duplicateResponses(seen) + device.duplicateEvents;
            int reruns = device.reruns();
            if (reruns > 0) {
                failures.add(reruns + " handler re-runs for one reqId");
            }
            if (lost > 0) {
                failures.add(lost + " of " + EVENTS + " events lost");
            }
            if (!failures.isEmpty()) {
                failures.add("transcript tail: " + tail(seen));
            }
            return new CellResult(name(), failures.isEmpty(), lost, duplicates, unanswered, reruns,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), String.join("; ", failures));
        }
    }

    // ---- flows --------------------------------------------------------------------------------------------

    private void firmware(FaultProxy proxy, Device device, String clientId, boolean update) throws Exception {
        if (update) {
            device.gate.complete(null); // the download before the update runs without a fault
            expectSuccess("the download before the update", platform.firmwareDownload(clientId,
                    Optional.of(PlatformOps.image(true)), operationTimeout()));
            device.gate = new CompletableFuture<>();
        }
        CompletableFuture<OperationOutcome> outcome = update
                ? platform.firmwareUpdate(clientId, Optional.of(PlatformOps.image(true)), operationTimeout())
                : platform.firmwareDownload(clientId, Optional.of(PlatformOps.image(true)), operationTimeout());
        awaitStep(update ? device.installing : device.downloading, "the device's firmware handler");
        strikeThen(proxy, device, () -> device.gate.complete(null));
        expectSuccess(update ? "the firmware update" : "the firmware download", outcome);
    }

    private void reboot(FaultProxy proxy, Device device, String clientId) throws Exception {
        CompletableFuture<OperationOutcome> outcome = platform.reboot(clientId, operationTimeout());
        String reqId = awaitStep(device.rebootRequested, "the device's reboot handler");
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        strikeThen(proxy, device, () -> device.client().respondDeviceAction(reqId, Rc.ACCEPTED, null)
                .whenComplete((v, e) -> {
                    if (e != null) {
                        failures.add("the 202's future failed (" + e + ")");
                    }
                    accepted.complete(null);
                }));
        awaitStep(accepted, "the 202 to the reboot on its way");
        // The device reboots at once: the close waits for the 202's PUBACK first, through the
        // reconnect the fault may cost, and says when it had to give up.
        CloseOutcome closed = device.restart();
        if (closed instanceof CloseOutcome.Unacknowledged u) {
            failures.add("the close before the reboot left replies unacknowledged: " + u);
        }
        expectSuccess("the reboot", outcome);
    }

    private void burst(FaultProxy proxy, Device device, String clientId) throws Exception {
        List<CompletableFuture<OperationOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            outcomes.add(platform.customAction(clientId, PlatformOps.DECLARED_BUNDLE, "doIt", List.of(), operationTimeout()));
        }
        awaitStep(device.burstMidway, "the device's " + BURST_STRIKE_AT + "th custom action");
        strikeThen(proxy, device, () -> { });
        int failed = 0;
        for (CompletableFuture<OperationOutcome> o : outcomes) {
            if (!(await(o, operationTimeout().plus(STEP)) instanceof OperationOutcome.Succeeded)) {
                failed++;
            }
        }
        if (failed > 0) {
            failures.add(failed + " of " + BURST + " custom actions did not succeed (the handler ran for "
                    + device.runs.size() + " reqIds)");
        }
    }

    /** Publishes the events and returns how many never reached the platform. */
    private int events(FaultProxy proxy, Device device, String clientId) throws Exception {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < EVENTS_STRIKE_AFTER; i++) {
            sent.add(device.event(i));
        }
        strikeThen(proxy, device, () -> {
            for (int i = EVENTS_STRIKE_AFTER; i < EVENTS; i++) {
                sent.add(device.event(i));
            }
        });
        int refused = 0;
        for (CompletableFuture<Void> s : sent) {
            try {
                s.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                refused++;
            }
        }
        if (refused > 0) {
            failures.add(refused + " event futures failed or stayed open");
        }
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        int lost = 0;
        int deliveries = 0;
        for (int i = 0; i < EVENTS; i++) {
            Pattern seq = Pattern.compile("\"seq\"\\s*:\\s*" + i + "\\b");
            try {
                platform.awaitMessage(clientId, "event seq " + i, e -> isEvent(e) && seq.matcher(e.payloadText()).find(),
                        Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - System.nanoTime())));
            } catch (AssertionError missing) {
                lost++;
            }
            deliveries += (int) platform.transcript(clientId).stream()
                    .filter(e -> isEvent(e) && seq.matcher(e.payloadText()).find()).count();
        }
        device.duplicateEvents = Math.max(0, deliveries - (EVENTS - lost));
        return lost;
    }

    /** The last few messages the platform saw or sent for the device, as direction, topic and the start of the payload. */
    private static String tail(List<TranscriptEntry> seen) {
        return seen.subList(Math.max(0, seen.size() - 8), seen.size()).stream()
                .map(e -> (e.direction() == Direction.DEVICE_TO_PLATFORM ? "<- " : "-> ") + e.topic() + " "
                        + WireText.escape(e.payloadText().length() > 80 ? e.payloadText().substring(0, 80) : e.payloadText()))
                .collect(java.util.stream.Collectors.joining(" | "));
    }

    private static boolean isEvent(TranscriptEntry e) {
        return e.direction() == Direction.DEVICE_TO_PLATFORM && e.topic().startsWith("iot-2/evt/" + EVENT_ID + "/");
    }

    // ---- the fault ----------------------------------------------------------------------------------------

    /**
     * Strikes the fault, runs {@code thenMidFlow} (what goes out on the dead link), and undoes a
     * lasting fault once the device has noticed: a stalled or half-open link is only noticed
     * through the keep-alive.
     */
    private void strikeThen(FaultProxy proxy, Device device, Runnable thenMidFlow) throws Exception {
        CompletableFuture<Void> noticed = device.nextDisconnect();
        fault.strike(proxy, platform.broker());
        thenMidFlow.run();
        if (fault.lasting()) {
            awaitStep(noticed, "the device noticing the " + fault);
            fault.recover(proxy);
        }
    }

    // ---- verdicts -----------------------------------------------------------------------------------------

    private void checkRecords(Device device, String clientId) {
        try {
            platform.awaitDevice(clientId, "connected, managed, and mgmt.firmware as the device has it",
                    v -> v.connected() && v.managed() && sameFirmware(v, device.client().firmware()), CONVERGE);
        } catch (AssertionError e) {
            DeviceView v = platform.device(clientId);
            FirmwareInfo mine = device.client().firmware();
            failures.add("records differ: platform connected=" + v.connected() + " managed=" + v.managed()
                    + " firmware " + v.firmwareState().map(Enum::name).orElse("-") + "/"
                    + v.firmwareUpdateStatus().map(Enum::name).orElse("-") + ", device "
                    + mine.state().map(Enum::name).orElse("-") + "/" + mine.updateStatus().map(Enum::name).orElse("-"));
        }
    }

    /**
     * Whether the platform's {@code mgmt.firmware} equals the device's, a field the platform never
     * heard of counting as its initial value (IDLE, SUCCESS): a device that never ran a firmware
     * flow has told the platform nothing.
     */
    private static boolean sameFirmware(DeviceView v, FirmwareInfo device) {
        return v.firmwareState().orElse(FirmwareState.IDLE) == device.state().orElse(FirmwareState.IDLE)
                && v.firmwareUpdateStatus().orElse(UpdateStatus.SUCCESS) == device.updateStatus().orElse(UpdateStatus.SUCCESS);
    }

    private void expectSuccess(String what, CompletableFuture<OperationOutcome> outcome) {
        OperationOutcome o = await(outcome, operationTimeout().plus(STEP));
        if (!(o instanceof OperationOutcome.Succeeded)) {
            failures.add(what + ": " + o);
        }
    }

    private static OperationOutcome await(CompletableFuture<OperationOutcome> outcome, Duration timeout) {
        try {
            return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new OperationOutcome.TimedOut("no outcome within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            return new OperationOutcome.Refused(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static <T> T awaitStep(CompletableFuture<T> future, String what) throws Exception {
        try {
            return future.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("still waiting after " + STEP.toSeconds() + " s for " + what, e);
        }
    }

    /**
     * The device's application: firmware handlers held on a gate the cell opens after the strike,
     * a reboot handler that lets the cell answer, a custom action handler counting runs per reqId,
     * and a restart on the same state file.
     */
    private final class Device implements FirmwareHandler, AutoCloseable {
        private final DeviceOptions options;
        private final FileStateStore store = new FileStateStore(stateDir.resolve(deviceId + ".json"));
        private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        private final AtomicInteger customActions = new AtomicInteger();
        final CompletableFuture<Void> downloading = new CompletableFuture<>();
        final CompletableFuture<Void> installing = new CompletableFuture<>();
        final CompletableFuture<String> rebootRequested = new CompletableFuture<>();
        final CompletableFuture<Void> burstMidway = new CompletableFuture<>();
        volatile CompletableFuture<Void> gate = new CompletableFuture<>();
        volatile CompletableFuture<Void> disconnected = new CompletableFuture<>();
        volatile int duplicateEvents;
        private volatile ManagedClient client;

        Device(FaultProxy proxy, String token) {
            options = DeviceOptions.builder().org("org1").typeId("faults").deviceId(deviceId).token(token)
                    .host("127.0.0.1").port(proxy.port()).withoutTls().mqttVersion(version)
                    .keepAlive(KEEP_ALIVE).connectTimeout(Duration.ofSeconds(3))
                    // The burst keeps its session: requests the broker holds for an offline device must reach it.
                    .cleanSession(!keptSession()).sessionExpiry(keptSession() ? Duration.ofHours(1) : Duration.ZERO)
                    .build();
        }

        private boolean keptSession() {
            return flow == Flow.BURST_200_REQUESTS;
        }

        ManagedClient client() {
            return client;
        }

        void boot() throws Exception {
            ManagedClient c = ManagedClient.builder(options).transport(transport).stateStore(store)
                    .deviceInfo(DeviceInfo.builder().set("fwVersion", "1.0").set("model", "matrix").build())
                    .reconnectPolicy(FAST).connectTimeout(STEP).requestTimeout(STEP)
                    .firmwareHandler(this).deviceActionHandler(this::onDeviceAction)
                    .customActionHandler(PlatformOps.DECLARED_BUNDLE, this::onCustomAction)
                    .listener(this::onEvent).build();
            client = c;
            awaitStep(c.connect(), "the device's connect");
        }

        /**
         * Closes the client, waiting up to a step for the PUBACKs of its decided replies, and boots
         * a new one on the same state file, as a rebooted device does.
         */
        CloseOutcome restart() throws Exception {
            CloseOutcome closed = client.close(STEP);
            boot();
            return closed;
        }

        CompletableFuture<Void> nextDisconnect() {
            disconnected = new CompletableFuture<>();
            return disconnected;
        }

        CompletableFuture<Void> event(int seq) {
            return client.publishEvent(EVENT_ID, JsonObject.builder().put("seq", seq).build(), Qos.AT_LEAST_ONCE);
        }

        int reruns() {
            return runs.values().stream().mapToInt(n -> Math.max(0, n.get() - 1)).sum();
        }

        /** Responses the platform received more than once for one reqId. */
        int duplicateResponses(List<TranscriptEntry> seen) {
            Map<String, Integer> perReqId = new ConcurrentHashMap<>();
            Pattern reqId = Pattern.compile("\"reqId\"\\s*:\\s*\"([^\"]*)\"");
            for (TranscriptEntry e : seen) {
                if (e.direction() == Direction.DEVICE_TO_PLATFORM && e.topic().equals(Invariants.DEVICE_RESPONSE)) {
                    var m = reqId.matcher(e.payloadText());
                    if (m.find()) {
                        perReqId.merge(m.group(1), 1, Integer::sum);
                    }
                }
            }
            return perReqId.values().stream().mapToInt(n -> n - 1).sum();
        }

        private void ran(String reqId) {
            runs.computeIfAbsent(Objects.requireNonNull(reqId), k -> new AtomicInteger()).incrementAndGet();
        }

        private void onEvent(ClientEvent event) {
            if (event instanceof ClientEvent.Lifecycle l && l.event() instanceof LifecycleEvent.Disconnected) {
                disconnected.complete(null);
            }
        }

        private CompletableFuture<ActionResponse> onDeviceAction(DeviceActionKind kind, String reqId) {
            ran(reqId);
            rebootRequested.complete(reqId);
            return null; // the cell answers 202 once the fault has struck
        }

        private CompletableFuture<ActionResponse> onCustomAction(CustomAction action) {
            ran(action.reqId());
            if (customActions.incrementAndGet() == BURST_STRIKE_AT) {
                burstMidway.complete(null);
            }
            return CompletableFuture.completedFuture(ActionResponse.done());
        }

        @Override
        public CompletableFuture<Void> download(FirmwareInfo image) {
            ran("download " + image.uri());
            downloading.complete(null);
            return gate;
        }

        @Override
        public CompletableFuture<Void> install(FirmwareInfo image) {
            ran("install " + image.uri());
            installing.complete(null);
            return gate;
        }

        @Override
        public void close() {
            ManagedClient c = client;
            if (c != null) {
                c.close();
            }
        }
    }
}
