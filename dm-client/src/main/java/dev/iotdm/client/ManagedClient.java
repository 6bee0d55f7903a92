package dev.iotdm.client;

import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.client.internal.ClientDriver;
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
import dev.iotdm.protocol.session.DeviceStateStore;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.session.SessionConfig;
import dev.iotdm.protocol.supervisor.ReconnectPolicy;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.Transports;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

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
 * <p>Threads: the protocol engine ({@code DeviceSession}) and the reconnect logic
 * ({@code ConnectionSupervisor}), pumped by an internal driver, run on a serial executor that may sit on a pool shared by many
 * clients; handlers, listeners and the completion of every returned future run on the callback
 * executor, never on a transport thread and never on the serial executor, so a slow handler
 * delays nothing else (as long as the callback executor has a thread to spare for the rest: the
 * default one grows as needed; a single-threaded one serialises handlers and completions).
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class ManagedClient implements AutoCloseable {

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

    private final ClientDriver driver;
    private final boolean ownsTransport;

    /** Set by the first close(); later calls return at once. */
    private final AtomicBoolean closing = new AtomicBoolean();

    private ManagedClient(ClientDriver driver, boolean ownsTransport) {
        this.driver = driver;
        this.ownsTransport = ownsTransport;
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
        return driver.connect();
    }

    /** Whether the connection is up and subscribed (as of the last step the client took). */
    public boolean isConnected() {
        return driver.isReady();
    }

    /**
     * Stops: fails every pending future, disconnects and releases the transport. Does not
     * unmanage (the platform keeps the device managed until its lifetime runs out). Waits at most
     * a few seconds for the disconnect.
     */
    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) { // idempotent: the first call does the work
            driver.close(ownsTransport);
        }
    }

    // ---- device management requests ------------------------------------------------------------

    /**
     * Becomes managed (protocol.md §3.1) with these parameters, and stays managed: after every
     * reconnect and before the lifetime runs out the client manages again with the same
     * parameters and the current deviceInfo and metadata. If not connected yet, the manage goes
     * out once connected. Completes with the platform's 200 response; fails at once when the
     * manage's publish fails.
     */
    public CompletableFuture<PlatformResponse> manage(ManageParams params) {
        Objects.requireNonNull(params, "params");
        return request("manage", (s, now) -> s.manage(now, params));
    }

    /** Seed form: {@code manage(lifetime, supportDeviceActions, supportFirmwareActions, bundleIds)}. */
    public CompletableFuture<PlatformResponse> manage(long lifetimeSeconds, boolean supportDeviceActions,
            boolean supportFirmwareActions, String... bundleIds) {
        return manage(ManageParams.of(lifetimeSeconds, supportDeviceActions, supportFirmwareActions, bundleIds));
    }

    /** Stops being managed (§3.2); observations are cleared and no re-manage happens. */
    public CompletableFuture<PlatformResponse> unmanage() {
        return request("unmanage", (s, now) -> s.unmanage(now));
    }

    /** Reports the location (§3.3). */
    public CompletableFuture<PlatformResponse> setLocation(Location location) {
        Objects.requireNonNull(location, "location");
        return request("location update", (s, now) -> s.updateLocation(now, location));
    }

    /** Appends an error code (§3.4). */
    public CompletableFuture<PlatformResponse> addErrorCode(int errorCode) {
        return request("add error code", (s, now) -> s.addErrorCode(now, errorCode));
    }

    /** Seed name for {@link #addErrorCode(int)}. */
    public CompletableFuture<PlatformResponse> setErrorCode(int errorCode) {
        return addErrorCode(errorCode);
    }

    /** Clears the error codes (§3.5). */
    public CompletableFuture<PlatformResponse> clearErrorCodes() {
        return request("clear error codes", (s, now) -> s.clearErrorCodes(now));
    }

    /** Appends a log entry (§3.6). */
    public CompletableFuture<PlatformResponse> addLog(LogEntry entry) {
        Objects.requireNonNull(entry, "entry");
        return request("add log", (s, now) -> s.addLog(now, entry));
    }

    /** Seed form {@code addLog(msg, data, sensitivity)}: timestamped now; data is base64-encoded (§12.21). */
    public CompletableFuture<PlatformResponse> addLog(String message, String data, LogSeverity severity) {
        return addLog(LogEntry.of(message, Timestamp.of(driver.now()), data, severity));
    }

    /** Clears the log (§3.7). */
    public CompletableFuture<PlatformResponse> clearLog() {
        return request("clear log", (s, now) -> s.clearLog(now));
    }

    /**
     * Replaces the deviceInfo; notified if observed and sent with every later manage. Applied
     * asynchronously, in order with the other calls; {@link #deviceInfo()} shows it once applied.
     */
    public void setDeviceInfo(DeviceInfo info) {
        Objects.requireNonNull(info, "info");
        driver.run((s, now) -> s.setDeviceInfo(now, info));
    }

    /** Replaces the metadata; notified if observed and sent with every later manage. Applied asynchronously. */
    public void setMetadata(JsonObject metadata) {
        Objects.requireNonNull(metadata, "metadata");
        driver.run((s, now) -> s.setMetadata(now, metadata));
    }

    /**
     * The current deviceInfo (fwVersion changes after a successful install), as of the last step
     * the client took; never blocks.
     */
    public DeviceInfo deviceInfo() {
        return driver.deviceInfo();
    }

    /** The current {@code mgmt.firmware} object, as of the last step the client took; never blocks. */
    public FirmwareInfo firmware() {
        return driver.firmware();
    }

    // ---- events --------------------------------------------------------------------------------

    /**
     * Publishes an event (§10.1); completes when handed to the broker (PUBACK for QoS 1).
     * Offline, events wait up to the configured limit and go out after reconnect.
     */
    public CompletableFuture<Void> publishEvent(Event event, Qos qos) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(qos, "qos");
        return driver.request("event " + event.eventId(), (s, now) -> s.publishEvent(now, event, qos.code()))
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
        return driver.run((s, now) -> s.respondDeviceAction(now, reqId, rc, message));
    }

    /**
     * Seed {@code setState}: DOWNLOADED reports a finished download; the current state changes
     * nothing; anything else fails with IllegalStateException naming the firmware phase.
     */
    public CompletableFuture<Void> setState(FirmwareState state) {
        Objects.requireNonNull(state, "state");
        return driver.run((s, now) -> s.setFirmwareState(now, state));
    }

    /**
     * Seed {@code setUpdateStatus}: a failure status ends the running download with it, rejects
     * a downloaded image (back to IDLE, e.g. VERIFICATION_FAILED after {@code setState(DOWNLOADED)})
     * or ends the running install with it; SUCCESS ends a running install; IN_PROGRESS while
     * installing changes nothing.
     */
    public CompletableFuture<Void> setUpdateStatus(UpdateStatus status) {
        Objects.requireNonNull(status, "status");
        return driver.run((s, now) -> s.setUpdateStatus(now, status));
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

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> request(String what, ClientDriver.TokenCall call) {
        return (CompletableFuture<T>) (CompletableFuture<?>) driver.request(what, call);
    }

    /** The default shared pools: many clients, few threads; all daemon threads. */
    private static final class Shared {
        static final ScheduledExecutorService SCHEDULER = timer();
        static final ExecutorService SESSIONS = Executors.newCachedThreadPool(daemon("iotdm-session"));
        static final ExecutorService CALLBACKS = Executors.newCachedThreadPool(daemon("iotdm-callback"));

        /** One timer thread; cancelled timers leave its queue at once (request timers are cancelled often). */
        private static ScheduledExecutorService timer() {
            // Not Executors.newSingleThreadScheduledExecutor: its wrapper hides setRemoveOnCancelPolicy.
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("iotdm-timer"));
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
        private int outboundQueueLimit = 1000;
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

        /**
         * Where the device state survives restarts (default: memory only), e.g. a
         * {@code FileStateStore}; closed with the client when it is {@link AutoCloseable}.
         */
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

        /**
         * How many publishes may wait for room in the transport's in-flight window (default
         * 1000); beyond it a publish fails as {@code WINDOW_FULL} with an
         * {@link ClientEvent.OutboundQueueFull} event.
         */
        public Builder outboundQueueLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("outboundQueueLimit must be at least 1, got " + limit);
            }
            outboundQueueLimit = limit;
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

        /**
         * The offline policy: how many events, and separately how many device requests (location,
         * error codes, logs), may wait while offline and go out after the next connect (requests
         * after its manage); a request lost unanswered with a clean session goes out again. 0
         * makes both fail fast with {@code NotConnectedException} (default 1000).
         */
        public Builder offlineEventLimit(int limit) {
            session.offlineEventLimit(limit);
            return this;
        }

        /**
         * How many bytes (UTF-8 reqIds plus answers) the remembered answers to platform requests
         * may take; beyond it (or beyond 256 answers) the oldest are forgotten, so a very late
         * redelivery of one is handled anew (default 256 KiB).
         */
        public Builder answerMemoryBytes(int bytes) {
            session.answerMemoryBytes(bytes);
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
         * @throws IllegalArgumentException for inconsistent settings, or an MQTT version the transport
         *     does not speak (naming the versions it does)
         * @throws dev.iotdm.protocol.session.StateStoreException when the saved state cannot be read
         */
        public ManagedClient build() {
            boolean owns = transport == null;
            MqttTransport t = transport != null ? transport
                    : transportName != null ? Transports.load(transportName) : Transports.loadDefault();
            try {
                MqttVersion version = options.mqttVersion().orElse(t.preferredVersion());
                if (!t.supportedVersions().contains(version)) {
                    throw new IllegalArgumentException("the transport " + t.getClass().getSimpleName() + " speaks "
                            + t.supportedVersions() + ", not " + version + ": choose one of those with"
                            + " DeviceOptions.Builder.mqttVersion(...), or leave it unset to use " + t.preferredVersion()
                            + ", or choose a transport that speaks " + version);
                }
                SessionConfig config = session
                        .keepsSession(!options.cleanSession())
                        .firmwareHandler(firmwareHandler != null)
                        .deviceActionHandler(deviceActionHandler != null)
                        .customActionBundles(customActionHandlers.keySet())
                        .anyCustomAction(anyCustomActionHandler != null)
                        .reqIds(() -> UUID.randomUUID().toString())
                        .build();
                ClientDriver.Handlers handlers = new ClientDriver.Handlers(firmwareHandler, deviceActionHandler,
                        customActionHandlers, anyCustomActionHandler, commandHandlers, anyCommandHandler, listeners);
                ClientDriver driver = new ClientDriver(new ClientDriver.Settings(t, options.toMqttConnectOptions(version),
                        clock, scheduler != null ? scheduler : Shared.SCHEDULER,
                        executor != null ? executor : Shared.SESSIONS,
                        callbackExecutor != null ? callbackExecutor : Shared.CALLBACKS, store, connectTimeout,
                        reconnectPolicy, random, config, handlers, outboundQueueLimit));
                return new ManagedClient(driver, owns);
            } catch (RuntimeException e) {
                if (owns) {
                    t.close();
                }
                throw e;
            }
        }
    }
}
