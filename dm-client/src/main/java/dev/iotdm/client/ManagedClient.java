package dev.iotdm.client;

import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.firmware.FirmwareInput;
import dev.iotdm.protocol.firmware.FirmwarePhase;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LogEntry;
import dev.iotdm.protocol.message.LogSeverity;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Timestamp;
import dev.iotdm.protocol.session.DeviceSession;
import dev.iotdm.protocol.session.DeviceState;
import dev.iotdm.protocol.session.DeviceStateStore;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.session.RequestOutcome;
import dev.iotdm.protocol.session.SessionAction;
import dev.iotdm.protocol.session.SessionClosedException;
import dev.iotdm.protocol.session.SessionConfig;
import dev.iotdm.protocol.session.SessionEvent;
import dev.iotdm.protocol.supervisor.ConnectFailureKind;
import dev.iotdm.protocol.supervisor.ConnectionSupervisor;
import dev.iotdm.protocol.supervisor.LifecycleEvent;
import dev.iotdm.protocol.supervisor.ReconnectPolicy;
import dev.iotdm.protocol.supervisor.SupervisorState;
import dev.iotdm.protocol.supervisor.SupervisorAction;
import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.ConnectResult;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.SubscribeResult;
import dev.iotdm.transport.Subscription;
import dev.iotdm.transport.TransportListener;
import dev.iotdm.transport.Transports;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A managed device on the Watson IoT Platform device-management protocol: the Java counterpart
 * of the Python {@code ibmiotf.device.ManagedClient} (the README maps every seed call to ours).
 *
 * <pre>{@code
 * try (ManagedClient client = ManagedClient.builder(options)
 *         .deviceActionHandler((kind, reqId) -> CompletableFuture.completedFuture(ActionResponse.accepted()))
 *         .build()) {
 *     client.connect().get(30, SECONDS);
 *     client.manage(ManageParams.of(3600, true, false)).get(30, SECONDS);
 *     client.setLocation(Location.of(30.28, -97.73)).get(30, SECONDS);
 * }
 * }</pre>
 *
 * <p>Every request is asynchronous and returns a {@link CompletableFuture} that completes
 * exactly once: with the platform's answer, with a {@link DmRequestException} for a non-success
 * rc, with a {@link TimeoutException}, or with the reason it could not be sent. Blocking use is
 * {@link #await(CompletableFuture, Duration)} on any of them.
 *
 * <p>Threads: the protocol engine ({@link DeviceSession}) and the reconnect logic
 * ({@link ConnectionSupervisor}) run on a serial executor that may sit on a pool shared by many
 * clients; handlers, listeners and the completion of every returned future run on the callback
 * executor, never on a transport thread and never on the serial executor, so a slow handler
 * delays nothing else (as long as the callback executor has a thread to spare for the rest: the
 * default one grows as needed; a single-threaded one serialises handlers and completions).
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class ManagedClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedClient.class);

    /** Seed constant: {@code RESPONSECODE_ACCEPTED}. */
    public static final Rc RESPONSECODE_ACCEPTED = Rc.ACCEPTED;
    /** Seed constant: {@code RESPONSECODE_INTERNAL_ERROR}. */
    public static final Rc RESPONSECODE_INTERNAL_ERROR = Rc.INTERNAL_ERROR;
    /** Seed constant: {@code RESPONSECODE_FUNCTION_NOT_SUPPORTED}. */
    public static final Rc RESPONSECODE_FUNCTION_NOT_SUPPORTED = Rc.NOT_IMPLEMENTED;
    /** Seed constant: {@code UPDATESTATE_IDLE} (a {@link FirmwareState}). */
    public static final FirmwareState UPDATESTATE_IDLE = FirmwareState.IDLE;
    /** Seed constant: {@code UPDATESTATE_DOWNLOADING}. */
    public static final FirmwareState UPDATESTATE_DOWNLOADING = FirmwareState.DOWNLOADING;
    /** Seed constant: {@code UPDATESTATE_DOWNLOADED}. */
    public static final FirmwareState UPDATESTATE_DOWNLOADED = FirmwareState.DOWNLOADED;
    /** Seed constant: {@code UPDATESTATE_SUCCESS} (an {@link UpdateStatus}). */
    public static final UpdateStatus UPDATESTATE_SUCCESS = UpdateStatus.SUCCESS;
    /** Seed constant: {@code UPDATESTATE_IN_PROGRESS}. */
    public static final UpdateStatus UPDATESTATE_IN_PROGRESS = UpdateStatus.IN_PROGRESS;
    /** Seed constant: {@code UPDATESTATE_OUT_OF_MEMORY}. */
    public static final UpdateStatus UPDATESTATE_OUT_OF_MEMORY = UpdateStatus.OUT_OF_MEMORY;
    /** Seed constant: {@code UPDATESTATE_CONNECTION_LOST}. */
    public static final UpdateStatus UPDATESTATE_CONNECTION_LOST = UpdateStatus.CONNECTION_LOST;
    /** Seed constant: {@code UPDATESTATE_VERIFICATION_FAILED}. */
    public static final UpdateStatus UPDATESTATE_VERIFICATION_FAILED = UpdateStatus.VERIFICATION_FAILED;
    /** Seed constant: {@code UPDATESTATE_UNSUPPORTED_IMAGE}. */
    public static final UpdateStatus UPDATESTATE_UNSUPPORTED_IMAGE = UpdateStatus.UNSUPPORTED_IMAGE;
    /** Seed constant: {@code UPDATESTATE_INVALID_URI}. */
    public static final UpdateStatus UPDATESTATE_INVALID_URI = UpdateStatus.INVALID_URI;

    private final DeviceOptions options;
    private final MqttTransport transport;
    private final boolean ownsTransport;
    private final InstantSource clock;
    private final ScheduledExecutorService scheduler;
    private final SerialExecutor serial;
    private final Executor callbacks;
    private final DeviceStateStore store;
    private final Duration connectTimeout;
    private final FirmwareHandler firmwareHandler;
    private final DeviceActionHandler deviceActionHandler;
    private final Map<String, CustomActionHandler> customActionHandlers;
    private final CustomActionHandler anyCustomActionHandler;
    private final Map<String, CommandHandler> commandHandlers;
    private final CommandHandler anyCommandHandler;
    private final List<ClientListener> listeners;

    // Owned by the serial executor.
    private final DeviceSession session;
    private final ConnectionSupervisor supervisor;
    private final Map<Long, Completion> completions = new HashMap<>();
    private final List<CompletableFuture<Void>> connectWaiters = new ArrayList<>();
    private ScheduledFuture<?> sessionTimer;
    private Instant sessionTimerAt;
    private long sessionTimerGeneration;
    private ScheduledFuture<?> supervisorTimer;
    private long supervisorTimerGeneration;
    private int connectionEpoch;
    private boolean closed;

    // What the read-only accessors return: refreshed by the serial executor whenever the session
    // may have changed, so reading never waits for (or deadlocks on) the serial executor.
    private volatile DeviceInfo deviceInfoView;
    private volatile FirmwareInfo firmwareView;
    private volatile boolean readyView;

    /** Set by the first close(); later calls return at once. */
    private final AtomicBoolean closing = new AtomicBoolean();

    /** How a session token's outcome becomes a future's value. */
    private record Completion(String request, CompletableFuture<Object> future, boolean wantsResponse) {
    }

    private ManagedClient(Builder b) {
        this.options = b.options;
        this.ownsTransport = b.transport == null;
        this.transport = b.transport != null ? b.transport
                : b.transportName != null ? Transports.load(b.transportName) : Transports.loadDefault();
        this.clock = b.clock;
        this.scheduler = b.scheduler != null ? b.scheduler : Shared.SCHEDULER;
        this.serial = new SerialExecutor(b.executor != null ? b.executor : Shared.SESSIONS);
        this.callbacks = b.callbackExecutor != null ? b.callbackExecutor : Shared.CALLBACKS;
        this.store = b.store;
        this.connectTimeout = b.connectTimeout;
        this.firmwareHandler = b.firmwareHandler;
        this.deviceActionHandler = b.deviceActionHandler;
        this.customActionHandlers = Map.copyOf(b.customActionHandlers);
        this.anyCustomActionHandler = b.anyCustomActionHandler;
        this.commandHandlers = Map.copyOf(b.commandHandlers);
        this.anyCommandHandler = b.anyCommandHandler;
        this.listeners = List.copyOf(b.listeners);
        SessionConfig config = b.session
                .keepsSession(!options.cleanSession())
                .firmwareHandler(firmwareHandler != null)
                .deviceActionHandler(deviceActionHandler != null)
                .customActionBundles(customActionHandlers.keySet())
                .anyCustomAction(anyCustomActionHandler != null)
                .build();
        DeviceState saved = store.load().orElse(DeviceState.INITIAL);
        this.session = new DeviceSession(config, saved);
        this.supervisor = new ConnectionSupervisor(b.reconnectPolicy, b.random);
        refreshViews();
    }

    /** A builder for a device with these options. */
    public static Builder builder(DeviceOptions options) {
        return new Builder(options);
    }

    // ---- connection ----------------------------------------------------------------------------

    /**
     * Connects, subscribes and keeps the connection up (reconnecting with backoff) until
     * {@link #close()}. The future completes when the first connection is subscribed; it fails
     * with a {@link ConnectFailureException} when the broker refuses the credentials or the
     * protocol, and with a {@link TimeoutException} when no connection is ready within the
     * connect timeout (the client keeps trying in the background).
     */
    public CompletableFuture<Void> connect() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        serial.execute(() -> {
            if (closed) {
                failLater(ready, new SessionClosedException("the client is closed"));
                return;
            }
            if (session.isReady()) {
                completeLater(ready, null);
                return;
            }
            connectWaiters.add(ready);
            // On the client's scheduler (not orTimeout's JDK thread) so a virtual clock drives it
            // too, and the waiter is dropped when it expires.
            ScheduledFuture<?> timeout = scheduler.schedule(() -> serial.execute(() -> {
                if (connectWaiters.remove(ready)) {
                    failLater(ready, new TimeoutException("no connection was ready within " + connectTimeout
                            + "; the client keeps trying"));
                }
            }), nanos(connectTimeout), TimeUnit.NANOSECONDS);
            ready.whenComplete((ok, err) -> timeout.cancel(false));
            runSupervisor(supervisor.start(now()));
        });
        return ready;
    }

    /** Whether the connection is up and subscribed (as of the last step the client took). */
    public boolean isConnected() {
        return readyView;
    }

    /**
     * Stops: fails every pending future, disconnects and releases the transport. Does not
     * unmanage (the platform keeps the device managed until its lifetime runs out). Waits at most
     * a few seconds for the disconnect.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return; // idempotent: the first call did the work
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        serial.execute(() -> {
            if (closed) {
                done.complete(null);
                return;
            }
            closed = true;
            session.close(now());
            drainSession();
            runSupervisor(supervisor.close(now()));
            cancelTimers();
            failConnectWaiters(new SessionClosedException("the client was closed"));
            refreshViews();
            done.complete(null);
        });
        try {
            done.get(5, TimeUnit.SECONDS);
            transport.disconnect().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("disconnect on close did not complete cleanly: {}", e.toString());
        } finally {
            if (ownsTransport) {
                transport.close();
            }
        }
    }

    // ---- device management requests ------------------------------------------------------------

    /**
     * Becomes managed (protocol.md §3.1) with these parameters, and stays managed: after every
     * reconnect and before the lifetime runs out the client manages again with the same
     * parameters and the current deviceInfo and metadata. If not connected yet, the manage goes
     * out once connected. Completes with the platform's 200 response.
     */
    public CompletableFuture<PlatformResponse> manage(ManageParams params) {
        Objects.requireNonNull(params, "params");
        return request("manage", true, () -> session.manage(now(), params));
    }

    /** Seed form: {@code manage(lifetime, supportDeviceActions, supportFirmwareActions, bundleIds)}. */
    public CompletableFuture<PlatformResponse> manage(long lifetimeSeconds, boolean supportDeviceActions,
            boolean supportFirmwareActions, String... bundleIds) {
        return manage(ManageParams.of(lifetimeSeconds, supportDeviceActions, supportFirmwareActions, bundleIds));
    }

    /** Stops being managed (§3.2); observations are cleared and no re-manage happens. */
    public CompletableFuture<PlatformResponse> unmanage() {
        return request("unmanage", true, () -> session.unmanage(now()));
    }

    /** Reports the location (§3.3). */
    public CompletableFuture<PlatformResponse> setLocation(Location location) {
        Objects.requireNonNull(location, "location");
        return request("location update", true, () -> session.updateLocation(now(), location));
    }

    /** Appends an error code (§3.4). */
    public CompletableFuture<PlatformResponse> addErrorCode(int errorCode) {
        return request("add error code", true, () -> session.addErrorCode(now(), errorCode));
    }

    /** Seed name for {@link #addErrorCode(int)}. */
    public CompletableFuture<PlatformResponse> setErrorCode(int errorCode) {
        return addErrorCode(errorCode);
    }

    /** Clears the error codes (§3.5). */
    public CompletableFuture<PlatformResponse> clearErrorCodes() {
        return request("clear error codes", true, () -> session.clearErrorCodes(now()));
    }

    /** Appends a log entry (§3.6). */
    public CompletableFuture<PlatformResponse> addLog(LogEntry entry) {
        Objects.requireNonNull(entry, "entry");
        return request("add log", true, () -> session.addLog(now(), entry));
    }

    /** Seed form {@code addLog(msg, data, sensitivity)}: timestamped now; data is base64-encoded (§12.21). */
    public CompletableFuture<PlatformResponse> addLog(String message, String data, LogSeverity severity) {
        return addLog(LogEntry.of(message, Timestamp.of(clock.instant()), data, severity));
    }

    /** Clears the log (§3.7). */
    public CompletableFuture<PlatformResponse> clearLog() {
        return request("clear log", true, () -> session.clearLog(now()));
    }

    /**
     * Replaces the deviceInfo; notified if observed and sent with every later manage. Applied
     * asynchronously, in order with the other calls; {@link #deviceInfo()} shows it once applied.
     */
    public void setDeviceInfo(DeviceInfo info) {
        Objects.requireNonNull(info, "info");
        serial.execute(() -> guarded(() -> session.setDeviceInfo(now(), info)));
    }

    /** Replaces the metadata; notified if observed and sent with every later manage. Applied asynchronously. */
    public void setMetadata(JsonObject metadata) {
        Objects.requireNonNull(metadata, "metadata");
        serial.execute(() -> guarded(() -> session.setMetadata(now(), metadata)));
    }

    /**
     * The current deviceInfo (fwVersion changes after a successful install), as of the last step
     * the client took; never blocks.
     */
    public DeviceInfo deviceInfo() {
        return deviceInfoView;
    }

    /** The current {@code mgmt.firmware} object, as of the last step the client took; never blocks. */
    public FirmwareInfo firmware() {
        return firmwareView;
    }

    // ---- events --------------------------------------------------------------------------------

    /**
     * Publishes an event (§10.1); completes when handed to the broker (PUBACK for QoS 1).
     * Offline, events wait up to the configured limit and go out after reconnect.
     */
    public CompletableFuture<Void> publishEvent(Event event, Qos qos) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(qos, "qos");
        return request("event " + event.eventId(), false, () -> session.publishEvent(now(), event, qos.code()))
                .thenApply(x -> null);
    }

    /** Publishes a JSON event with format {@code json}. */
    public CompletableFuture<Void> publishEvent(String eventId, JsonValue data, Qos qos) {
        return publishEvent(Event.json(eventId, data), qos);
    }

    // ---- answers and firmware reports ----------------------------------------------------------

    /**
     * Answers a device action (§7), seed style: 202 before acting, 500 failed, 501 not
     * supported. Completes when the answer is on its way; fails with IllegalStateException when
     * no device action with this reqId is waiting.
     */
    public CompletableFuture<Void> respondDeviceAction(String reqId, Rc rc, String message) {
        Objects.requireNonNull(reqId, "reqId");
        Objects.requireNonNull(rc, "rc");
        return onSerial(() -> session.respondDeviceAction(now(), reqId, rc, message));
    }

    /** Seed {@code setState}: DOWNLOADED reports a finished download; other values change nothing. */
    public CompletableFuture<Void> setState(FirmwareState state) {
        Objects.requireNonNull(state, "state");
        return onSerial(() -> {
            if (state == FirmwareState.DOWNLOADED && session.firmwarePhase() == FirmwarePhase.DOWNLOADING) {
                session.reportFirmware(now(), FirmwareInput.DOWNLOAD_SUCCEEDED, null);
            } else if (state != session.firmwarePhase().wireState()) {
                throw new IllegalStateException("the firmware is " + session.firmwarePhase()
                        + "; the device reports state " + state + " only when a download finishes");
            }
        });
    }

    /**
     * Seed {@code setUpdateStatus}: a failure status ends the running download or install with
     * it; SUCCESS ends a running install; IN_PROGRESS while installing changes nothing.
     */
    public CompletableFuture<Void> setUpdateStatus(UpdateStatus status) {
        Objects.requireNonNull(status, "status");
        return onSerial(() -> {
            FirmwarePhase phase = session.firmwarePhase();
            switch (status) {
                case SUCCESS -> session.reportFirmware(now(), FirmwareInput.INSTALL_SUCCEEDED, null);
                case IN_PROGRESS -> {
                    if (phase != FirmwarePhase.INSTALLING) {
                        throw new IllegalStateException("no install is running (firmware is " + phase + ")");
                    }
                }
                default -> session.reportFirmware(now(), phase == FirmwarePhase.DOWNLOADING
                        ? FirmwareInput.DOWNLOAD_FAILED : FirmwareInput.INSTALL_FAILED, status);
            }
        });
    }

    // ---- blocking helper -----------------------------------------------------------------------

    /**
     * Waits for a future of this client, at most {@code timeout}, and returns its value.
     *
     * @throws DmRequestException when the platform refused the request
     * @throws TimeoutException when the future did not complete in time
     * @throws Exception any other cause the future failed with, unwrapped
     */
    public static <T> T await(CompletableFuture<T> future, Duration timeout) throws Exception {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    // ---- internals: the serial side ------------------------------------------------------------

    private interface TokenCall {
        long call();
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> request(String what, boolean wantsResponse, TokenCall call) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        serial.execute(() -> {
            if (closed) {
                failLater(future, new SessionClosedException(what + ": the client is closed"));
                return;
            }
            try {
                long token = call.call();
                completions.put(token, new Completion(what, future, wantsResponse));
            } catch (RuntimeException e) {
                failLater(future, e);
            }
            drainSession();
        });
        return (CompletableFuture<T>) (CompletableFuture<?>) future;
    }

    private CompletableFuture<Void> onSerial(Runnable action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        serial.execute(() -> {
            try {
                action.run();
                completeLater(done, null);
            } catch (RuntimeException e) {
                failLater(done, e);
            }
            drainSession();
        });
        return done;
    }

    private void guarded(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("ignored: {}", e.getMessage());
        }
        drainSession();
    }

    /** Completes a future for the application on the callback executor, never on the serial one. */
    private <T> void completeLater(CompletableFuture<T> future, T value) {
        onCallbacks(() -> future.complete(value));
    }

    /** Fails a future for the application on the callback executor, never on the serial one. */
    private void failLater(CompletableFuture<?> future, Throwable cause) {
        onCallbacks(() -> future.completeExceptionally(cause));
    }

    private void onCallbacks(Runnable task) {
        try {
            callbacks.execute(task);
        } catch (RejectedExecutionException e) {
            // The application shut its callback executor down: completing here beats never completing.
            task.run();
        }
    }

    /** Refreshes what the read-only accessors return. Runs on the serial executor only. */
    private void refreshViews() {
        deviceInfoView = session.deviceInfo();
        firmwareView = session.firmware();
        readyView = !closed && session.isReady();
    }

    private Instant now() {
        return clock.instant();
    }

    /** The delay until {@code at} in nanoseconds, never negative; rounding down would fire timers early. */
    private long nanosUntil(Instant at) {
        Duration d = Duration.between(now(), at);
        return d.isNegative() ? 0 : nanos(d);
    }

    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Performs what the session asked for, in order. Runs on the serial executor only. */
    private void drainSession() {
        // First, so that anything the actions below make visible (a publish, a completed future)
        // happens after the accessors show the state that caused it.
        refreshViews();
        for (SessionAction a : session.pollActions()) {
            if (a instanceof SessionAction.Publish p) {
                long id = p.id();
                int epoch = connectionEpoch;
                CompletableFuture<Void> sent;
                try {
                    sent = transport.publish(p.topic(), p.payload(), Qos.fromCode(p.qos()).orElseThrow());
                } catch (RuntimeException e) {
                    sent = CompletableFuture.failedFuture(e); // the remaining actions must still run
                }
                sent.whenComplete((ok, err) -> serial.execute(() -> {
                    if (err == null) {
                        session.publishCompleted(now(), id);
                    } else if (epoch == connectionEpoch && !endsConnection(err)) {
                        session.publishFailed(now(), id, unwrap(err));
                    }
                    // A publish that failed because its connection ended is not a failure of its
                    // request or event: the transport fails it just before connectionLost, and the
                    // session then re-sends QoS 1 events and keeps requests waiting (at least once).
                    drainSession();
                }));
            } else if (a instanceof SessionAction.Subscribe s) {
                subscribe(s.filters());
            } else if (a instanceof SessionAction.Persist p) {
                try {
                    store.save(p.state());
                } catch (RuntimeException e) {
                    LOG.error("could not save the device state: {}", e.getMessage());
                }
            } else if (a instanceof SessionAction.Disconnect d) {
                LOG.warn("disconnecting: {}", d.reason());
                failConnectWaiters(new IllegalStateException(d.reason()));
                abandonConnection(d.reason());
            } else if (a instanceof SessionAction.Emit e) {
                dispatch(e.event());
            }
        }
        rescheduleSessionTimer();
    }

    private void subscribe(List<String> filters) {
        List<Subscription> subs = new ArrayList<>();
        for (String f : filters) {
            subs.add(new Subscription(f, Qos.AT_LEAST_ONCE));
        }
        int epoch = connectionEpoch;
        CompletableFuture<List<SubscribeResult>> subscribed;
        try {
            subscribed = transport.subscribe(subs);
        } catch (RuntimeException e) {
            subscribed = CompletableFuture.failedFuture(e);
        }
        subscribed.whenComplete((results, err) -> serial.execute(() -> {
            if (epoch != connectionEpoch || closed) {
                return;
            }
            if (err != null) {
                if (!endsConnection(err)) {
                    // Not a refusal (that is a SUBACK result) but a broken call: start over.
                    abandonConnection("the subscription failed: " + unwrap(err));
                }
                return; // the connection ended: connectionLost follows and the supervisor reconnects
            }
            List<Boolean> accepted = new ArrayList<>();
            for (int i = 0; i < filters.size(); i++) {
                accepted.add(i < results.size() && results.get(i) instanceof SubscribeResult.Granted);
            }
            session.subscribed(now(), accepted);
            drainSession();
        }));
    }

    /** The engine's pure "not connected" becomes the SPI's exception, the one type users catch. */
    private static Throwable userFacing(Throwable cause) {
        if (cause instanceof dev.iotdm.protocol.session.DeliveryFailedException d
                && d.failure() == dev.iotdm.protocol.session.PublishFailure.NOT_CONNECTED) {
            return new dev.iotdm.transport.NotConnectedException(d.getMessage());
        }
        return cause;
    }

    /** Whether a transport call failed because its connection ended (connectionLost follows). */
    private static boolean endsConnection(Throwable err) {
        return unwrap(err) instanceof dev.iotdm.transport.NotConnectedException;
    }

    /**
     * Drops a connection the client cannot use and lets the supervisor reconnect with backoff, as
     * after a loss (a permanent failure would be ignored by the supervisor once connected).
     */
    private void abandonConnection(String reason) {
        connectionEpoch++; // the transport's own callbacks for this connection no longer count
        transport.disconnect();
        session.connectionLost(now());
        drainSession();
        supervisorLost(reason);
    }

    /**
     * Tells the supervisor a connection ended. Until the session was Ready the attempt had not
     * succeeded, so a loss or a refused subscription then is a failed attempt that backs off, not a
     * lost connection (which would count towards a suspected client-id take-over).
     */
    private void supervisorLost(String reason) {
        runSupervisor(supervisor.state() == SupervisorState.CONNECTED
                ? supervisor.connectionLost(now(), reason)
                : supervisor.connectFailed(now(), ConnectFailureKind.TRANSIENT, reason));
    }

    private void dispatch(SessionEvent event) {
        if (event instanceof SessionEvent.RequestCompleted rc) {
            Completion c = completions.remove(rc.token());
            if (c != null) {
                complete(c, rc.outcome());
            }
        } else if (event instanceof SessionEvent.Ready ready) {
            runSupervisor(supervisor.connectSucceeded(now(), ready.sessionPresent()));
            for (CompletableFuture<Void> w : connectWaiters) {
                completeLater(w, null);
            }
            connectWaiters.clear();
            tell(event);
        } else if (event instanceof SessionEvent.FirmwareDownloadRequested d) {
            runFirmware(d.image(), true);
        } else if (event instanceof SessionEvent.FirmwareInstallRequested i) {
            runFirmware(i.image(), false);
        } else if (event instanceof SessionEvent.DeviceActionRequested d) {
            handleAction(d.reqId(), true, () -> deviceActionHandler.handle(d.kind(), d.reqId()));
        } else if (event instanceof SessionEvent.CustomActionRequested c) {
            CustomActionHandler h = customActionHandlers.getOrDefault(c.action().bundleId(), anyCustomActionHandler);
            handleAction(c.action().reqId(), false, () -> {
                CompletionStage<ActionResponse> stage = h.handle(c.action());
                // There is no later way to answer a custom action: no answer is a failed one (§8.4).
                return stage != null ? stage : CompletableFuture.completedFuture(
                        ActionResponse.failed("the custom action handler returned no answer"));
            });
        } else if (event instanceof SessionEvent.CommandReceived c) {
            CommandHandler h = commandHandlers.getOrDefault(c.command().commandId(), anyCommandHandler);
            if (h != null) {
                callbacks.execute(() -> {
                    try {
                        h.onCommand(c.command());
                    } catch (Exception e) {
                        LOG.warn("command handler for {} failed: {}", c.command().commandId(), e.toString());
                    }
                });
            }
        } else {
            if (event instanceof SessionEvent.ProtocolProblem p) {
                LOG.warn("protocol problem: {}", p.description());
            }
            tell(event);
        }
    }

    private void complete(Completion c, RequestOutcome outcome) {
        CompletableFuture<Object> f = c.future();
        if (outcome instanceof RequestOutcome.Answered a) {
            PlatformResponse r = a.response();
            if (r.rc().isSuccess()) {
                completeLater(f, r);
            } else {
                failLater(f, new DmRequestException(c.request(), r.rc(), r.message()));
            }
        } else if (outcome instanceof RequestOutcome.Delivered) {
            completeLater(f, null);
        } else if (outcome instanceof RequestOutcome.TimedOut t) {
            failLater(f, new TimeoutException(c.request() + ": no response within " + t.after()));
        } else if (outcome instanceof RequestOutcome.Failed fail) {
            failLater(f, userFacing(fail.cause()));
        }
    }

    private interface ActionCall {
        CompletionStage<ActionResponse> call() throws Exception;
    }

    /** Runs a device or custom action handler on the callback executor and answers with its result. */
    private void handleAction(String reqId, boolean deviceAction, ActionCall call) {
        callbacks.execute(() -> {
            CompletionStage<ActionResponse> stage;
            try {
                stage = call.call();
            } catch (Exception e) {
                stage = CompletableFuture.completedFuture(ActionResponse.failed(String.valueOf(e.getMessage())));
            }
            if (stage == null) {
                return; // the application answers later with respondDeviceAction
            }
            stage.whenComplete((res, err) -> serial.execute(() -> {
                ActionResponse answer = err != null ? ActionResponse.failed(String.valueOf(unwrap(err).getMessage()))
                        : res != null ? res : ActionResponse.failed("the handler completed without an answer");
                try {
                    if (deviceAction) {
                        session.respondDeviceAction(now(), reqId, answer.rc(), answer.message().orElse(null));
                    } else {
                        session.respondCustomAction(now(), reqId, answer.rc(), answer.message().orElse(null));
                    }
                } catch (RuntimeException e) {
                    LOG.warn("could not answer {}: {}", reqId, e.getMessage());
                }
                drainSession();
            }));
        });
    }

    private interface FirmwareCall {
        CompletionStage<Void> call() throws Exception;
    }

    private void runFirmware(FirmwareInfo image, boolean download) {
        FirmwareCall call = download ? () -> firmwareHandler.download(image) : () -> firmwareHandler.install(image);
        callbacks.execute(() -> {
            CompletionStage<Void> stage;
            try {
                stage = call.call();
            } catch (Exception e) {
                stage = CompletableFuture.failedFuture(e);
            }
            if (stage == null) {
                return; // seed style: the application reports with setState / setUpdateStatus
            }
            stage.whenComplete((ok, err) -> serial.execute(() -> {
                Throwable cause = err == null ? null : unwrap(err);
                UpdateStatus failure = cause instanceof FirmwareFailureException f ? f.status()
                        : download ? UpdateStatus.CONNECTION_LOST : UpdateStatus.UNSUPPORTED_IMAGE;
                FirmwareInput report = download
                        ? (cause == null ? FirmwareInput.DOWNLOAD_SUCCEEDED : FirmwareInput.DOWNLOAD_FAILED)
                        : (cause == null ? FirmwareInput.INSTALL_SUCCEEDED : FirmwareInput.INSTALL_FAILED);
                try {
                    session.reportFirmware(now(), report, cause == null ? null : failure);
                } catch (RuntimeException e) {
                    LOG.warn("firmware report {} ignored: {}", report, e.getMessage());
                }
                drainSession();
            }));
        });
    }

    private void tell(SessionEvent event) {
        tell(new ClientEvent.Session(event));
    }

    private void tell(ClientEvent event) {
        for (ClientListener l : listeners) {
            callbacks.execute(() -> {
                try {
                    l.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("listener failed on {}: {}", event, e.toString());
                }
            });
        }
    }

    private void failConnectWaiters(Throwable cause) {
        for (CompletableFuture<Void> w : connectWaiters) {
            failLater(w, cause);
        }
        connectWaiters.clear();
    }

    private void rescheduleSessionTimer() {
        Instant next = closed ? null : session.nextTimer().orElse(null);
        if (Objects.equals(next, sessionTimerAt)) {
            return;
        }
        if (sessionTimer != null) {
            sessionTimer.cancel(false);
            sessionTimer = null;
        }
        sessionTimerAt = next;
        if (next == null) {
            return;
        }
        // A cancelled timer may already have queued its task: the generation tells it apart.
        long generation = ++sessionTimerGeneration;
        sessionTimer = scheduler.schedule(() -> serial.execute(() -> {
            if (closed || generation != sessionTimerGeneration) {
                return;
            }
            sessionTimerAt = null;
            sessionTimer = null;
            session.tick(now());
            drainSession();
        }), nanosUntil(next), TimeUnit.NANOSECONDS);
    }

    // ---- internals: connection supervision -----------------------------------------------------

    private void runSupervisor(List<SupervisorAction> actions) {
        for (SupervisorAction a : actions) {
            if (a instanceof SupervisorAction.Connect) {
                startConnect();
            } else if (a instanceof SupervisorAction.ScheduleTimer t) {
                if (supervisorTimer != null) {
                    supervisorTimer.cancel(false);
                }
                long generation = ++supervisorTimerGeneration;
                supervisorTimer = scheduler.schedule(() -> serial.execute(() -> {
                    if (!closed && generation == supervisorTimerGeneration) {
                        supervisorTimer = null;
                        runSupervisor(supervisor.tick(now()));
                    }
                }), nanosUntil(t.at()), TimeUnit.NANOSECONDS);
            } else if (a instanceof SupervisorAction.CancelTimer) {
                supervisorTimerGeneration++;
                if (supervisorTimer != null) {
                    supervisorTimer.cancel(false);
                    supervisorTimer = null;
                }
            } else if (a instanceof SupervisorAction.Emit e) {
                LifecycleEvent event = e.event();
                if (event instanceof LifecycleEvent.GaveUp g) {
                    failConnectWaiters(new IllegalStateException("gave up connecting: " + g.reason()));
                }
                tell(new ClientEvent.Lifecycle(event));
            }
        }
    }

    private void startConnect() {
        int epoch = ++connectionEpoch;
        TransportListener listener = new TransportListener() {
            @Override
            public void messageArrived(String topic, byte[] payload, Qos qos, boolean duplicate) {
                serial.execute(() -> {
                    if (epoch == connectionEpoch && !closed) {
                        session.messageArrived(now(), topic, payload);
                        drainSession();
                    }
                });
            }

            @Override
            public void connectionLost(Throwable cause) {
                String reason = cause == null ? "connection lost" : String.valueOf(cause.getMessage());
                serial.execute(() -> {
                    if (epoch != connectionEpoch || closed) {
                        return;
                    }
                    connectionEpoch++;
                    session.connectionLost(now());
                    drainSession();
                    supervisorLost(reason);
                });
            }
        };
        CompletableFuture<ConnectResult> attempt;
        try {
            attempt = transport.connect(options.toMqttConnectOptions(), listener);
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.whenComplete((result, err) -> serial.execute(() -> {
            if (epoch != connectionEpoch || closed) {
                if (err == null) {
                    transport.disconnect(); // nobody wants this connection any more (e.g. closed meanwhile)
                }
                return;
            }
            if (err != null) {
                Throwable cause = unwrap(err);
                ConnectFailureKind kind = kindOf(cause);
                if (kind != ConnectFailureKind.TRANSIENT) {
                    failConnectWaiters(cause);
                }
                runSupervisor(supervisor.connectFailed(now(), kind, String.valueOf(cause.getMessage())));
                return;
            }
            // The supervisor hears of success only when the session is Ready (both SUBACKs in, §13.2).
            session.connected(now(), result.sessionPresent());
            drainSession();
        }));
    }

    private static ConnectFailureKind kindOf(Throwable cause) {
        if (cause instanceof IllegalArgumentException) {
            // The transport refused the options themselves (e.g. an MQTT version it does not
            // speak): retrying cannot help, and connect() should say why at once.
            return ConnectFailureKind.PERMANENT;
        }
        if (!(cause instanceof ConnectFailureException cfe)) {
            return ConnectFailureKind.TRANSIENT;
        }
        ConnectFailure f = cfe.failure();
        if (f instanceof ConnectFailure.BadCredentials || f instanceof ConnectFailure.NotAuthorized) {
            return ConnectFailureKind.AUTHENTICATION;
        }
        if (f instanceof ConnectFailure.UnsupportedProtocolVersion || f instanceof ConnectFailure.ClientIdRejected) {
            return ConnectFailureKind.PERMANENT;
        }
        return ConnectFailureKind.TRANSIENT;
    }

    private void cancelTimers() {
        sessionTimerGeneration++;
        supervisorTimerGeneration++;
        if (sessionTimer != null) {
            sessionTimer.cancel(false);
        }
        if (supervisorTimer != null) {
            supervisorTimer.cancel(false);
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The default shared pools: many clients, few threads; all daemon threads. */
    private static final class Shared {
        static final ScheduledExecutorService SCHEDULER = timer();
        static final ExecutorService SESSIONS = Executors.newCachedThreadPool(daemon("iotdm-session"));
        static final ExecutorService CALLBACKS = Executors.newCachedThreadPool(daemon("iotdm-callback"));

        /** One timer thread; cancelled timers leave its queue at once (request timers are cancelled often). */
        private static ScheduledExecutorService timer() {
            // Not Executors.newSingleThreadScheduledExecutor: its wrapper hides setRemoveOnCancelPolicy.
            java.util.concurrent.ScheduledThreadPoolExecutor timer =
                    new java.util.concurrent.ScheduledThreadPoolExecutor(1, daemon("iotdm-timer"));
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }

        private static ThreadFactory daemon(String prefix) {
            AtomicInteger n = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }
    }

    /**
     * Builds a {@link ManagedClient}. Not thread-safe.
     */
    public static final class Builder {
        private final DeviceOptions options;
        private MqttTransport transport;
        private String transportName;
        private InstantSource clock = InstantSource.system();
        private ScheduledExecutorService scheduler;
        private Executor executor;
        private Executor callbackExecutor;
        private DeviceStateStore store = DeviceStateStore.inMemory();
        private Duration connectTimeout = Duration.ofSeconds(60);
        private ReconnectPolicy reconnectPolicy = ReconnectPolicy.DEFAULT;
        private RandomGenerator random = RandomGenerator.getDefault();
        private final SessionConfig.Builder session = SessionConfig.builder();
        private FirmwareHandler firmwareHandler;
        private DeviceActionHandler deviceActionHandler;
        private final Map<String, CustomActionHandler> customActionHandlers = new LinkedHashMap<>();
        private CustomActionHandler anyCustomActionHandler;
        private final Map<String, CommandHandler> commandHandlers = new LinkedHashMap<>();
        private CommandHandler anyCommandHandler;
        private final List<ClientListener> listeners = new ArrayList<>();

        private Builder(DeviceOptions options) {
            this.options = Objects.requireNonNull(options, "options");
        }

        /** The transport to use (the client does not close a transport it was given). */
        public Builder transport(MqttTransport t) {
            transport = Objects.requireNonNull(t, "transport");
            return this;
        }

        /** The transport provider to load through ServiceLoader by name (e.g. {@code paho}). */
        public Builder transport(String providerName) {
            transportName = Objects.requireNonNull(providerName, "providerName");
            return this;
        }

        /** The clock (tests use a virtual one). */
        public Builder clock(InstantSource c) {
            clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** The scheduler for timers (default: one shared daemon thread). */
        public Builder scheduler(ScheduledExecutorService s) {
            scheduler = Objects.requireNonNull(s, "scheduler");
            return this;
        }

        /** The pool the session's serial executor runs on (default: a shared pool). */
        public Builder executor(Executor e) {
            executor = Objects.requireNonNull(e, "executor");
            return this;
        }

        /** The executor for handlers, listeners and future completions (default: a shared pool). */
        public Builder callbackExecutor(Executor e) {
            callbackExecutor = Objects.requireNonNull(e, "callbackExecutor");
            return this;
        }

        /** Where the device state survives restarts (default: memory only). */
        public Builder stateStore(DeviceStateStore s) {
            store = Objects.requireNonNull(s, "stateStore");
            return this;
        }

        /** How long {@link #connect()} waits for the first ready connection (default 60 s); positive. */
        public Builder connectTimeout(Duration d) {
            Objects.requireNonNull(d, "connectTimeout");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, got " + d);
            }
            connectTimeout = d;
            return this;
        }

        /** How long a device request waits for the platform's response (default 30 s). */
        public Builder requestTimeout(Duration d) {
            session.requestTimeout(d);
            return this;
        }

        /** The reconnect backoff policy. */
        public Builder reconnectPolicy(ReconnectPolicy p) {
            reconnectPolicy = Objects.requireNonNull(p, "reconnectPolicy");
            return this;
        }

        /** The random source for backoff jitter (tests pass a seeded one). */
        public Builder random(RandomGenerator r) {
            random = Objects.requireNonNull(r, "random");
            return this;
        }

        /** The deviceInfo at start (seed: the {@code deviceInfo} constructor argument). */
        public Builder deviceInfo(DeviceInfo info) {
            session.deviceInfo(info);
            return this;
        }

        /** The metadata at start. */
        public Builder metadata(JsonObject metadata) {
            session.metadata(metadata);
            return this;
        }

        /** How many events may wait while offline; 0 makes publishing fail fast (default 1000). */
        public Builder offlineEventLimit(int limit) {
            session.offlineEventLimit(limit);
            return this;
        }

        /** Handles firmware download and install (seed: {@code firmwereActionCallback}). */
        public Builder firmwareHandler(FirmwareHandler h) {
            firmwareHandler = Objects.requireNonNull(h, "firmwareHandler");
            return this;
        }

        /** Handles reboot and factory reset (seed: {@code deviceActionCallback}). */
        public Builder deviceActionHandler(DeviceActionHandler h) {
            deviceActionHandler = Objects.requireNonNull(h, "deviceActionHandler");
            return this;
        }

        /** Handles the custom actions of one bundle (seed: {@code dmeActionCallback}). */
        public Builder customActionHandler(String bundleId, CustomActionHandler h) {
            dev.iotdm.protocol.topic.Identifiers.requireBundleId("bundleId", bundleId);
            customActionHandlers.put(bundleId, Objects.requireNonNull(h, "handler"));
            return this;
        }

        /** Handles the custom actions of every declared bundle without its own handler. */
        public Builder anyCustomActionHandler(CustomActionHandler h) {
            anyCustomActionHandler = Objects.requireNonNull(h, "handler");
            return this;
        }

        /** Handles one command id. */
        public Builder commandHandler(String commandId, CommandHandler h) {
            dev.iotdm.protocol.topic.Identifiers.requireTopicLevel("commandId", commandId);
            commandHandlers.put(commandId, Objects.requireNonNull(h, "handler"));
            return this;
        }

        /** Handles every command without its own handler (seed: {@code commandCallback}). */
        public Builder anyCommandHandler(CommandHandler h) {
            anyCommandHandler = Objects.requireNonNull(h, "handler");
            return this;
        }

        /** Adds a listener for lifecycle and session events. */
        public Builder listener(ClientListener l) {
            listeners.add(Objects.requireNonNull(l, "listener"));
            return this;
        }

        /**
         * The client, not yet connected.
         *
         * @throws IllegalArgumentException for inconsistent settings
         * @throws dev.iotdm.protocol.session.StateStoreException when the saved state cannot be read
         */
        public ManagedClient build() {
            return new ManagedClient(this);
        }
    }
}
