package dev.iotdm.conformance;

import dev.iotdm.client.ActionResponse;
import dev.iotdm.client.ClientEvent;
import dev.iotdm.client.FirmwareFailureException;
import dev.iotdm.client.FirmwareHandler;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.CustomAction;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LocationField;
import dev.iotdm.protocol.message.LogEntry;
import dev.iotdm.protocol.message.LogSeverity;
import dev.iotdm.protocol.message.MetadataField;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Timestamp;
import dev.iotdm.protocol.session.DeviceActionKind;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.session.SessionEvent;
import dev.iotdm.protocol.supervisor.ReconnectPolicy;
import dev.iotdm.testkit.fault.PublishTally;
import dev.iotdm.testkit.platform.DeviceView;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.platform.OperationOutcome;
import dev.iotdm.testkit.platform.PlatformObserver;
import dev.iotdm.testkit.platform.PlatformRecorder;
import dev.iotdm.testkit.rules.CheckReport;
import dev.iotdm.testkit.scenario.AnswerWatch;
import dev.iotdm.testkit.scenario.DeviceSnapshot;
import dev.iotdm.testkit.scenario.DeviceUnderTest;
import dev.iotdm.testkit.scenario.FuturePending;
import dev.iotdm.testkit.scenario.HandlerOutcome;
import dev.iotdm.testkit.scenario.Pending;
import dev.iotdm.testkit.scenario.Problem;
import dev.iotdm.testkit.scenario.PlatformOps;
import dev.iotdm.testkit.scenario.ScenarioException;
import dev.iotdm.testkit.scenario.ScenarioRow;
import dev.iotdm.testkit.scenario.ScenarioStep;
import dev.iotdm.testkit.scenario.ScenarioWorld;
import dev.iotdm.testkit.transcript.Transcript;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.Transports;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A socket row's world: our {@code ManagedClient} over a named transport, connected through the
 * embedded broker to the row's {@link FakePlatform}, with the device's application played by
 * {@link ClientDevice}. A step settles by waiting on the futures of what it started (platform
 * operations, device requests, a restart in progress), on the platform seeing the device
 * connected, and on the publish counters of the device's transport ({@link CountingTransport})
 * and of the row's network (the embedded broker's queue per client, or the fault proxy and
 * mosquitto's deliveries to the platform), each with a generous deadline: never on an idle period.
 */
final class ClientWorld implements ScenarioWorld {

    /** The longest a step may take on a loaded machine. */
    static final Duration WAIT = Duration.ofSeconds(90);
    /**
     * The deadline of a step in a shrink's replays ({@link dev.iotdm.testkit.scenario.ScenarioRow#forReplays}):
     * a hang still shows as a step that did not settle, without waiting out {@link #WAIT} each time.
     */
    static final Duration REPLAY_WAIT = Duration.ofSeconds(20);
    /** How long a SLOW handler takes: real time, well inside {@link PlatformOps#TIMEOUT}. */
    private static final Duration SLOW = Duration.ofMillis(300);
    private static final ManageParams MANAGE = ManageParams.of(3600, true, true, PlatformOps.DECLARED_BUNDLE);
    /** Reconnects quickly after a dropped connection so that steps stay short. */
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0,
            0.0, Duration.ofSeconds(10), 1000, Duration.ofMinutes(1));

    private final FakePlatform platform;
    private final Duration stepWait;
    private final DeviceNetwork network;
    private final AutoCloseable owned;
    private final String transport;
    private final String clientId;
    private final DeviceOptions options;
    private final PlatformRecorder recorder;
    /** Every request on the transcript answered: part of a step's end. */
    private final AnswerWatch answers;
    private final PlatformObserver observer;
    private final ClientDevice device;

    /**
     * A world on {@code platform}, the device reaching it through {@code network}; {@code owned} is
     * closed with the world (what the row built for this world alone, e.g. a platform on mosquitto).
     */
    ClientWorld(FakePlatform platform, DeviceNetwork network, String transport, MqttVersion version, String deviceId,
            Duration stepWait, AutoCloseable owned) {
        this(platform, network, transport, version, deviceId, stepWait, owned, new DeviceActivity());
    }

    /** As above, the device's client running its tasks through {@code activity} (a lagging device, say). */
    ClientWorld(FakePlatform platform, DeviceNetwork network, String transport, MqttVersion version, String deviceId,
            Duration stepWait, AutoCloseable owned, DeviceActivity activity) {
        this.device = new ClientDevice(activity);
        this.platform = platform;
        this.stepWait = stepWait;
        this.network = network;
        this.owned = owned;
        this.transport = transport;
        recorder = network.reportsSubscriptions() ? PlatformRecorder.withLiveSubscriptions() : new PlatformRecorder();
        String token = "token-" + deviceId;
        clientId = platform.registerDevice("org1", "scenario", deviceId, token);
        options = DeviceOptions.builder().org("org1").typeId("scenario").deviceId(deviceId).token(token)
                .host(network.host()).port(network.port()).withoutTls()
                .mqttVersion(version).build();
        observer = recorder.onlyFor(clientId);
        answers = new AnswerWatch(recorder.transcript());
        platform.addObserver(observer);
        try {
            device.boot();
            settle(List.of(device.track("manage", device.client().manage(MANAGE))));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** {@code row} with its worlds made by {@code worlds} (short deadlines): a socket row's {@code forReplays()}. */
    static ScenarioRow replayRow(ScenarioRow row, java.util.function.Supplier<ScenarioWorld> worlds) {
        return new ScenarioRow() {
            @Override
            public String name() {
                return row.name();
            }

            @Override
            public ScenarioWorld newWorld() {
                return worlds.get();
            }

            @Override
            public boolean supports(ScenarioStep.Fault fault) {
                return row.supports(fault);
            }
        };
    }

    @Override
    public DeviceUnderTest device() {
        return device;
    }

    @Override
    public Pending start(ScenarioStep.PlatformOp op) {
        CompletableFuture<OperationOutcome> outcome = PlatformOps.start(op, PlatformOps.on(platform, clientId));
        network.trafficStarted(outcome);
        return new FuturePending(op + " (platform operation)", outcome);
    }

    @Override
    public void inject(ScenarioStep.Fault fault) {
        if (fault instanceof ScenarioStep.DropConnection) {
            device.expectReconnect();
            device.expectManage();
            network.disconnect(clientId); // the client's supervisor reconnects and manages
        } else if (fault instanceof ScenarioStep.RestartDevice) {
            network.release();
            device.restart(false, null);
        } else if (fault instanceof ScenarioStep.RestartBroker) {
            device.expectReconnect();
            device.expectManage(); // the client's supervisor reconnects and manages
            network.inject(fault);
        } else if (!network.inject(fault)) {
            throw new IllegalArgumentException(transport + " row cannot inject " + fault);
        }
    }

    /**
     * Ends the step: the operations' futures, the device's restart and manage, an answer to every
     * request, the device connected again, and then the publish counters, in the order a message
     * travels: every publish either side made was handed on by the broker (or proxy) or is known
     * lost there, and the device acknowledged every QoS 1 publish written to it
     * ({@link DeviceNetwork#awaitPublishesSettled}); the device processed what it acknowledged
     * ({@link DeviceActivity}); every publish that made has an outcome at the device's transport; and
     * the network handed those on. A message handed on can start more traffic (an answer, a notify,
     * the repeated answer to a redelivery), so this repeats until neither the transcript nor the
     * device's work moved while the counters were checked.
     */
    @Override
    public void settle(List<Pending> started) {
        long deadline = System.nanoTime() + stepWait.toNanos();
        for (Pending p : started) {
            await(((FuturePending) p).future(), deadline, p.describe());
        }
        await(device.restarting(), deadline, "the device's restart");
        await(device.expectedReconnect(), deadline, "the device's session ready on a new connection");
        await(device.expectedManage(), deadline, "the device's manage on its new connection");
        while (true) {
            awaitAnswered(deadline);
            await(device.connectedAndManaged(), deadline, "the device connected and managed again");
            long before = answers.changes();
            long work = device.activity.given();
            awaitNetworkSettled(deadline);
            device.activity.awaitIdle(deadline);
            device.awaitPublishesSettled(deadline);
            awaitNetworkSettled(deadline);
            if (answers.changes() == before && device.activity.given() == work) {
                return;
            }
        }
    }

    private void awaitNetworkSettled(long deadline) {
        try {
            network.awaitPublishesSettled(clientId, Deadlines.left(deadline));
        } catch (IllegalStateException | AssertionError e) {
            throw new ScenarioException("publishes still in flight after " + stepWait.toSeconds() + " s: "
                    + e.getMessage());
        }
    }

    @Override
    public List<PublishTally> publishTallies() {
        List<PublishTally> tallies = new ArrayList<>(network.publishTallies(clientId));
        tallies.add(device.publishTally());
        return tallies;
    }

    /**
     * Waits until every request either side published has been answered: a request still in
     * flight when the step ends (a flow's closing cancel) must not be cut off by the next step.
     * One of our devices must answer everything, so a request still open at the deadline fails
     * the step.
     */
    private void awaitAnswered(long deadline) {
        List<Problem> open;
        try {
            open = answers.awaitAnswered(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScenarioException("interrupted while waiting for answers", e);
        }
        if (!open.isEmpty()) {
            throw new ScenarioException("still unanswered after " + stepWait.toSeconds() + " s: " + open);
        }
    }

    private void await(CompletableFuture<?> future, long deadline, String what) {
        try {
            future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ScenarioException("still open after " + stepWait.toSeconds() + " s: " + what);
        } catch (ExecutionException e) {
            // a failed outcome is an outcome: the invariants judge it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScenarioException("interrupted while waiting for " + what, e);
        }
    }

    @Override
    public Optional<DeviceView> platformRecord() {
        return Optional.of(platform.device(clientId));
    }

    @Override
    public CheckReport rules() {
        return recorder.report();
    }

    @Override
    public Transcript transcript() {
        return recorder.transcript();
    }

    @Override
    public void close() {
        device.powerDown();
        platform.removeObserver(observer);
        answers.close();
        try {
            owned.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not release the world's resources", e);
        }
    }

    /** Where the device connects, and how the world cuts its connection (a network fault, not the device). */
    interface DeviceNetwork {
        /** The host the device connects to. */
        String host();

        /** The port the device connects to. */
        int port();

        /** Closes the device's connection (ending a stall first); its supervisor reconnects. */
        void disconnect(String clientId);

        /** Whether the broker reports each SUBSCRIBE to the platform (DM-MANAGE-4, DM-SUB-1 are then checked). */
        default boolean reportsSubscriptions() {
            return false;
        }

        /** Injects a network fault (a duplicate, a stall, a broker restart); false when this network cannot. */
        default boolean inject(ScenarioStep.Fault fault) {
            return false;
        }

        /**
         * A step has started its traffic ({@code started}: the outcome of what it started): a
         * stall injected before holds it until the proxy has read some of it (its byte counter
         * moved), then delivers everything in order; when {@code started} is already done, the
         * step sends nothing (refused before sending) and the stall ends at once.
         */
        default void trafficStarted(CompletableFuture<?> started) {
        }

        /** Ends a stall at once (before a restart or a drop, which a held connection would block). */
        default void release() {
        }

        /**
         * Waits until every publish either side made on the way between device and platform was
         * handed on or is known lost, and the device acknowledged every QoS 1 publish written to it
         * (or its connection closed), by the broker's and the proxy's counters.
         *
         * @throws IllegalStateException or AssertionError naming the counts when {@code timeout} passes
         */
        void awaitPublishesSettled(String clientId, Duration timeout);

        /** The counters {@link #awaitPublishesSettled} reads, for reports. */
        List<PublishTally> publishTallies(String clientId);

        /**
         * The embedded broker of {@code platform}, which can close one client's connection itself,
         * reports SUBSCRIBEs and restarts (when {@code restarts}); {@code link} is the platform's
         * link, which duplicates a request when asked.
         */
        static DeviceNetwork embedded(FakePlatform platform, DuplicatingLink link, boolean restarts) {
            return embedded(platform, link, restarts, Runnable::run);
        }

        /** As above, the broker closing a device's connection through {@code disconnects} (a late close, say). */
        static DeviceNetwork embedded(FakePlatform platform, DuplicatingLink link, boolean restarts, Executor disconnects) {
            return new DeviceNetwork() {
                @Override
                public boolean inject(ScenarioStep.Fault fault) {
                    if (fault instanceof ScenarioStep.DuplicateDelivery) {
                        link.duplicateNextRequest();
                        return true;
                    } else if (fault instanceof ScenarioStep.RestartBroker && restarts) {
                        platform.broker().restart(); // in-memory persistence: sessions go, the device reconnects
                        return true;
                    }
                    return false;
                }

                @Override
                public String host() {
                    return platform.broker().host();
                }

                @Override
                public int port() {
                    return platform.broker().port();
                }

                @Override
                public void disconnect(String clientId) {
                    disconnects.execute(() -> platform.broker().disconnectDevice(clientId));
                }

                @Override
                public boolean reportsSubscriptions() {
                    return true;
                }

                // The device's publishes reach the platform inside the broker's inbound
                // interceptor (PlatformExtension): a QoS 1 publish the device saw acknowledged is
                // with the platform, so the platform-to-device queue and the device's PUBACKs are
                // the legs to count here.
                @Override
                public void awaitPublishesSettled(String clientId, Duration timeout) {
                    long deadline = System.nanoTime() + timeout.toNanos();
                    link.awaitCopiesSent(deadline);
                    platform.broker().awaitPublishesSettled(clientId, Deadlines.left(deadline));
                    platform.broker().awaitAcknowledged(clientId, Deadlines.left(deadline));
                }

                @Override
                public List<PublishTally> publishTallies(String clientId) {
                    return List.of(link.copies(), platform.broker().publishesTo(clientId),
                            platform.broker().acknowledgementsFrom(clientId));
                }
            };
        }
    }

    /**
     * Plays the device's application on {@code ManagedClient}: answers as the current
     * {@link HandlerOutcome} says, restarts on a power thread for device actions (202 first, then a
     * new client on the same saved state; a factory reset wipes it and manages again), and
     * remembers location and metadata to re-apply after a restart and to compare with the record.
     */
    private final class ClientDevice implements DeviceUnderTest, FirmwareHandler {

        private final ExecutorService power = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "scenario-device-power");
            t.setDaemon(true);
            return t;
        });
        private final WipeableStore store = new WipeableStore();
        /** The tasks of every client the device booted: a step waits until they are all done. */
        private final DeviceActivity activity;
        private final AtomicReference<ManagedClient> current = new AtomicReference<>();
        /** Every transport the device used (one per boot), closed ones too: their publishes count. */
        private final List<CountingTransport> transports = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile CountingTransport transportNow;
        private volatile HandlerOutcome handlers = HandlerOutcome.SUCCEED;
        private volatile CompletableFuture<Void> restarting = CompletableFuture.completedFuture(null);
        private volatile CompletableFuture<Void> nextManage = new CompletableFuture<>();
        private volatile CompletableFuture<Void> expectedManage = CompletableFuture.completedFuture(null);
        private volatile CompletableFuture<Void> nextReady = new CompletableFuture<>();
        private volatile CompletableFuture<Void> expectedReconnect = CompletableFuture.completedFuture(null);
        private volatile boolean unmanaged;
        private volatile Optional<Location> location = Optional.empty();
        private volatile Optional<JsonObject> metadata = Optional.empty();

        ClientDevice(DeviceActivity activity) {
            this.activity = activity;
        }

        ManagedClient client() {
            return current.get();
        }

        void boot() {
            CountingTransport counting = new CountingTransport(Transports.load(transport));
            transports.add(counting);
            transportNow = counting;
            ManagedClient client = ManagedClient.builder(options).transport(counting).stateStore(store)
                    .executor(activity.executor()).callbackExecutor(activity.executor())
                    .deviceInfo(DeviceInfo.builder().set("fwVersion", "1.0").set("model", "scenario").build())
                    .reconnectPolicy(FAST).connectTimeout(stepWait).requestTimeout(stepWait)
                    .firmwareHandler(this).deviceActionHandler(this::onDeviceAction)
                    .customActionHandler(PlatformOps.DECLARED_BUNDLE, this::onCustomAction)
                    .listener(this::onEvent).build();
            metadata.ifPresent(client::setMetadata);
            current.set(client);
            try {
                ManagedClient.await(client.connect(), stepWait);
            } catch (Exception e) {
                throw new ScenarioException("the device did not connect within " + stepWait.toSeconds() + " s", e);
            }
        }

        void powerDown() {
            power.shutdownNow();
            ManagedClient client = current.getAndSet(null);
            if (client != null) {
                client.close();
            }
            transports.forEach(CountingTransport::close);
        }

        /** Waits until every publish of every transport the device used has an outcome. */
        void awaitPublishesSettled(long deadline) {
            for (CountingTransport t : transports) {
                t.awaitSettled(deadline);
            }
        }

        PublishTally publishTally() {
            return PublishTally.sum("device transport", transports.stream().map(CountingTransport::tally).toList());
        }

        CompletableFuture<Void> restarting() {
            return restarting;
        }

        /** From now on a step waits for the device's next automatic manage (after a reconnect or a restart). */
        void expectManage() {
            if (!unmanaged) {
                expectedManage = nextManage;
            }
        }

        /**
         * From now on a step waits until the client's session is ready on a new connection (after a
         * dropped connection or a broker restart), managed or not: an unmanaged device sends no manage
         * to wait for, and a step that ended before the drop took effect would let the next step's
         * request go out on the old connection.
         */
        void expectReconnect() {
            expectedReconnect = nextReady;
        }

        CompletableFuture<Void> expectedReconnect() {
            return expectedReconnect;
        }

        CompletableFuture<Void> expectedManage() {
            return expectedManage;
        }

        /** Done once the platform sees the device connected (and managed, unless it unmanaged). */
        CompletableFuture<Void> connectedAndManaged() {
            return CompletableFuture.runAsync(() -> platform.awaitDevice(clientId, "connected and managed",
                    v -> v.connected() && (unmanaged || v.managed()), stepWait));
        }

        Pending track(String what, CompletableFuture<?> future) {
            return new FuturePending(what + " (device request)", future);
        }

        @Override
        public String clientId() {
            return clientId;
        }

        @Override
        public Optional<Pending> call(ScenarioStep.DeviceCall call) {
            // Calls go out while unmanaged too: R12.20 allows them (docs/protocol.md §12 item 20).
            ManagedClient client = client();
            CompletableFuture<?> future;
            if (call instanceof ScenarioStep.SetLocation l) {
                Location where = PlatformOps.location(l.variant());
                // The device's location once the platform accepts it: refused while unmanaged (400, §12.20).
                future = client.setLocation(where).thenRun(() -> location = Optional.of(where));
            } else if (call instanceof ScenarioStep.AddErrorCode e) {
                future = client.addErrorCode(e.code());
            } else if (call instanceof ScenarioStep.ClearErrorCodes) {
                future = client.clearErrorCodes();
            } else if (call instanceof ScenarioStep.AddLog l) {
                future = client.addLog(LogEntry.of("scenario log " + l.variant(), Timestamp.of(Instant.now()),
                        (String) null, LogSeverity.INFORMATIONAL));
            } else if (call instanceof ScenarioStep.ClearLog) {
                future = client.clearLog();
            } else if (call instanceof ScenarioStep.Unmanage) {
                unmanaged = true;
                future = client.unmanage();
            } else if (call instanceof ScenarioStep.SendEvent e) {
                future = client.publishEvent("scenario", JsonObject.builder().put("qos", e.qos()).build(),
                        e.qos() == 0 ? Qos.AT_MOST_ONCE : Qos.AT_LEAST_ONCE);
            } else {
                throw new IllegalArgumentException("unknown call " + call);
            }
            network.trafficStarted(future);
            return Optional.of(track(call.toString(), future));
        }

        @Override
        public boolean setHandlers(HandlerOutcome outcome) {
            handlers = outcome;
            return true;
        }

        /** Manages again on a new connection (R12.15 forbids an identical manage on the same one). */
        @Override
        public Optional<Pending> remanage() {
            // The closing re-manage belongs to no step: a stall left on by the last step ends
            // here, or it would hold the manage until the deadline (seed 5440322516251670317).
            network.release();
            if (unmanaged) {
                unmanaged = false;
                return Optional.of(track("manage after unmanage", client().manage(MANAGE)));
            }
            CompletableFuture<Void> managed = nextManage;
            expectManage();
            network.disconnect(clientId);
            return Optional.of(new FuturePending("the re-manage on a new connection", managed));
        }

        @Override
        public Optional<DeviceSnapshot> snapshot() {
            ManagedClient client = client();
            return Optional.of(new DeviceSnapshot(client.deviceInfo(), metadata, location, client.firmware(),
                    MANAGE.supports()));
        }

        private void onEvent(ClientEvent event) {
            if (!(event instanceof ClientEvent.Session s)) {
                return;
            }
            if (s.event() instanceof SessionEvent.Ready) {
                CompletableFuture<Void> done = nextReady;
                nextReady = new CompletableFuture<>();
                done.complete(null);
            } else if (s.event() instanceof SessionEvent.AutoManageSucceeded) {
                CompletableFuture<Void> done = nextManage;
                nextManage = new CompletableFuture<>();
                done.complete(null);
            } else if (s.event() instanceof SessionEvent.AttributesUpdated u) {
                for (FieldValue f : u.fields()) {
                    if (f instanceof LocationField l) {
                        location = Optional.of(l.value());
                    } else if (f instanceof MetadataField m) {
                        metadata = Optional.of(m.value());
                    }
                }
            }
        }

        /** The answer as the handler outcome says; SLOW answers success later. */
        private <T> CompletionStage<T> answer(T success, T failure, T refusal) {
            return switch (handlers) {
                case SUCCEED -> CompletableFuture.completedFuture(success);
                case FAIL -> CompletableFuture.completedFuture(failure);
                case REFUSE -> CompletableFuture.completedFuture(refusal);
                case SLOW -> CompletableFuture.supplyAsync(() -> success, later());
            };
        }

        private Executor later() {
            return CompletableFuture.delayedExecutor(SLOW.toMillis(), TimeUnit.MILLISECONDS);
        }

        private CompletionStage<ActionResponse> onCustomAction(CustomAction action) {
            return answer(ActionResponse.done(), ActionResponse.failed("scenario handler says FAIL"),
                    ActionResponse.notSupported("scenario handler says REFUSE"));
        }

        private CompletionStage<ActionResponse> onDeviceAction(DeviceActionKind kind, String reqId) {
            HandlerOutcome now = handlers;
            if (now == HandlerOutcome.FAIL) {
                return CompletableFuture.completedFuture(ActionResponse.failed("scenario handler says FAIL"));
            } else if (now == HandlerOutcome.REFUSE) {
                return CompletableFuture.completedFuture(ActionResponse.notSupported("scenario handler says REFUSE"));
            }
            restart(kind == DeviceActionKind.FACTORY_RESET, reqId);
            return null; // answered 202 from the power thread, before the restart (§7)
        }

        /** Restarts on the power thread: the 202 first when asked by the platform, then a new client. */
        void restart(boolean wipe, String reqId) {
            ManagedClient old = client();
            boolean slow = handlers == HandlerOutcome.SLOW;
            if (!wipe) {
                expectManage(); // the saved state makes the new client manage by itself
            }
            restarting = CompletableFuture.runAsync(() -> {
                try {
                    if (reqId != null) {
                        if (slow) {
                            CompletableFuture.runAsync(() -> { }, later()).join();
                        }
                        ManagedClient.await(old.respondDeviceAction(reqId, Rc.ACCEPTED, null), stepWait);
                        // The PUBACK of a QoS 1 event after the 202 shows the broker has the 202 too.
                        ManagedClient.await(old.publishEvent("restarting", JsonObject.EMPTY, Qos.AT_LEAST_ONCE), stepWait);
                    }
                    CountingTransport oldTransport = transportNow;
                    old.close();
                    oldTransport.close(); // given to the client, so not closed by it
                    if (wipe) {
                        store.wipe();
                    }
                    boot();
                    if (wipe) {
                        ManagedClient.await(client().manage(MANAGE), stepWait);
                    }
                    if (!unmanaged) {
                        Optional<Location> where = location;
                        if (where.isPresent()) {
                            ManagedClient.await(client().setLocation(where.get()), stepWait);
                        }
                    }
                } catch (Exception e) {
                    throw new ScenarioException("the device's restart failed", e);
                }
            }, power);
        }

        @Override
        public CompletionStage<Void> download(FirmwareInfo image) {
            boolean verifies = image.verifier().filter(PlatformOps.GOOD_VERIFIER::equals).isPresent();
            return firmwareAnswer(verifies ? null : UpdateStatus.VERIFICATION_FAILED, UpdateStatus.CONNECTION_LOST);
        }

        @Override
        public CompletionStage<Void> install(FirmwareInfo image) {
            return firmwareAnswer(null, UpdateStatus.OUT_OF_MEMORY);
        }

        private CompletionStage<Void> firmwareAnswer(UpdateStatus onSuccess, UpdateStatus onFailure) {
            UpdateStatus status = switch (handlers) {
                case SUCCEED, SLOW -> onSuccess;
                case FAIL -> onFailure;
                case REFUSE -> UpdateStatus.UNSUPPORTED_IMAGE;
            };
            CompletableFuture<Void> result = new CompletableFuture<>();
            Runnable finish = () -> {
                if (status == null) {
                    result.complete(null);
                } else {
                    result.completeExceptionally(new FirmwareFailureException(status, "scenario handler: " + status));
                }
            };
            if (handlers == HandlerOutcome.SLOW) {
                later().execute(finish);
            } else {
                finish.run();
            }
            return result;
        }
    }
}
