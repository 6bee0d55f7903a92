package dev.iotdm.client;

import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.client.internal.ClientDriver;
import dev.iotdm.client.internal.HandlerRegistry;
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
import dev.iotdm.transport.NotConnectedException;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.Transports;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
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
 * <p>Order of calls, as the seed's: {@link #connect()} first ({@link #manage} connects by itself
 * when it comes first); any other device-management request before {@code connect()} fails at
 * once naming it (events wait in the offline queue instead), and a
 * location, error-code or log request before the first successful {@code manage()} fails at once
 * naming {@code manage()} (the platform ignores them from an unmanaged device). Handlers may be
 * given to the builder or set on the built client ({@link #setDeviceActionHandler} and the other
 * setters, as the seed assigns its callbacks) before {@code manage()} declares what they handle.
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
 * delays nothing else as long as the callback executor has a thread to spare for the rest. The
 * defaults are two pools shared by every client of the JVM, both bounded, with daemon threads
 * that end after 30 s idle: sessions on at most {@link #DEFAULT_SESSION_THREADS} threads (session
 * work never waits for the network), callbacks on at most {@link #DEFAULT_CALLBACK_THREADS}. A
 * handler that blocks holds one callback thread until it returns; once all of them are held,
 * further handlers and completions wait in the pool's queue (nothing is dropped). Return a
 * future for long work (a firmware download) or give the builder your own
 * {@link Builder#callbackExecutor(Executor) callback executor}.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class ManagedClient implements AutoCloseable, EventPublisher {

    /** Threads of the default session pool shared by every client: twice the processors, at least 4. */
    public static final int DEFAULT_SESSION_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    /** Threads of the default callback pool shared by every client. */
    public static final int DEFAULT_CALLBACK_THREADS = 16;

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
    private final HandlerRegistry handlers;
    /** Set when a manage() succeeded; location, error-code and log requests need it. */
    private volatile boolean managedOnce;

    /** Set by the first close(); later calls return its outcome. */
    private final AtomicBoolean closing = new AtomicBoolean();
    /** The first close's outcome. */
    private final CompletableFuture<CloseOutcome> closed = new CompletableFuture<>();
    private final Duration closeFlushTimeout;

    private ManagedClient(ClientDriver driver, boolean ownsTransport, HandlerRegistry handlers,
            Duration closeFlushTimeout) {
        this.driver = driver;
        this.ownsTransport = ownsTransport;
        this.handlers = handlers;
        this.closeFlushTimeout = closeFlushTimeout;
    }

    /**
     * A builder for a device with these options.
     *
     * @param options the device's identity and connection options
     * @return a builder
     */
    public static Builder builder(DeviceOptions options) {
        return new Builder(options);
    }

    // ---- connection ----------------------------------------------------------------------------

    /**
     * Connects, subscribes and keeps the connection up until {@link #close()}. The future
     * completes when the connection is subscribed.
     *
     * <p>It fails with the first attempt's failure, as the seed's {@code connect()} raised it: a
     * {@link ConnectFailureException} whose {@link ConnectFailureException#failure() failure} and
     * message say why (connection refused, unknown host, the TLS problem, the attempt's timeout
     * and what it waited for, or refused credentials naming the org, type and device id sent).
     * Automatic reconnects with backoff apply once a connection has succeeded; with
     * {@link Builder#retryUntilFirstConnect(boolean) retryUntilFirstConnect(true)} failed
     * attempts are retried from the start, and the future fails with a {@link TimeoutException}
     * naming the last attempt's failure when no connection is ready within
     * {@link Builder#connectTimeout(Duration) connectTimeout} (the client keeps trying), or at
     * once when the broker refuses the credentials or the protocol. Calling it again after a
     * failure tries again.
     *
     * @return completes when the connection is subscribed; fails as described above
     */
    public CompletableFuture<Void> connect() {
        return driver.connect();
    }

    /**
     * Whether the connection is up and subscribed (as of the last step the client took).
     *
     * @return whether the connection is up and subscribed
     */
    public boolean isConnected() {
        return driver.isReady();
    }

    /**
     * Stops gracefully, as {@link #close(Duration)} with the builder's
     * {@link Builder#closeFlushTimeout(Duration) closeFlushTimeout} (default 5 s). The outcome
     * goes to the listeners and the log when something was left unacknowledged.
     */
    @Override
    public void close() {
        close(closeFlushTimeout);
    }

    /**
     * Stops gracefully: nothing the device has decided is overtaken by the disconnect.
     *
     * <ol>
     * <li>Waits, at most {@code flushTimeout}, until every reply the client has decided (answers
     *     to the platform's requests, notifies of observed fields) has its PUBACK, and every
     *     device or custom action handler already started has answered and its answer has its
     *     PUBACK. So a reboot handler may start the device's restart and return its 202 at once:
     *     the restart's {@code close()} publishes the 202 first. Meanwhile new requests and events
     *     fail with a {@code SessionClosedException}; a lost connection is re-established as
     *     usual, and what it lost goes out again.</li>
     * <li>Fails every pending future, disconnects and releases an owned transport. Does not
     *     unmanage (the platform keeps the device managed until its lifetime runs out). This step
     *     waits at most 5 s for the session to stop and 5 s for the disconnect, then closes an
     *     owned transport (Paho: at most about 6 s more; Netty: about 2 s).</li>
     * </ol>
     *
     * <p>So it returns within {@code flushTimeout} plus about 16 s whatever the broker does. It
     * never waits for a handler beyond the flush timeout: one that never returns keeps its
     * callback thread, not the caller (do not call it from a device action handler before that
     * handler has answered: the flush would wait for the answer until the timeout).
     *
     * <p>Idempotent: a later call returns the first call's outcome, once that call has ended.
     *
     * @param flushTimeout how long to wait for the decided replies; {@link Duration#ZERO} waits for
     *     nothing
     * @return {@link CloseOutcome.Flushed}, or {@link CloseOutcome.Unacknowledged} with what the
     *     broker had not acknowledged (also told as a {@link ClientEvent.UnacknowledgedAtClose}
     *     event and a WARN line)
     * @throws IllegalArgumentException when {@code flushTimeout} is negative
     */
    public CloseOutcome close(Duration flushTimeout) {
        requireNotNegative("flushTimeout", flushTimeout);
        if (closing.compareAndSet(false, true)) { // idempotent: the first call does the work
            try {
                closed.complete(driver.close(ownsTransport, flushTimeout));
            } catch (RuntimeException | Error e) {
                closed.completeExceptionally(e);
                throw e;
            }
        }
        return closed.join();
    }

    private static Duration requireNotNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
        return d;
    }

    // ---- device management requests ------------------------------------------------------------

    /**
     * Becomes managed (protocol.md §3.1) with these parameters, and stays managed: after every
     * reconnect and before the lifetime runs out the client manages again with the same
     * parameters and the current deviceInfo and metadata. If not connected yet, the manage goes
     * out once connected. Completes with the platform's 200 response; fails at once when the
     * manage's publish fails.
     *
     * @param params the lifetime and the operations the device supports
     * @return completes with the platform's success response; fails with a {@link DmRequestException} naming its
     *     rc, a {@link TimeoutException}, or the reason it could not be sent
     */
    public CompletableFuture<PlatformResponse> manage(ManageParams params) {
        Objects.requireNonNull(params, "params");
        String missing = missingHandler(params);
        if (missing != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(missing));
        }
        CompletableFuture<PlatformResponse> managed;
        if (!closing.get() && !driver.hasConnected() && !driver.isReady()) {
            // The seed's manage connects by itself; a connect failure is the manage's failure.
            managed = connect().thenCompose(v -> request("manage", (s, now) -> s.manage(now, params)));
        } else {
            managed = request("manage", (s, now) -> s.manage(now, params));
        }
        return managed.whenComplete((r, e) -> {
            if (e == null) {
                managedOnce = true;
            }
        });
    }

    /** What manage() would declare without a handler for it, as a message; null when all are set. */
    private String missingHandler(ManageParams params) {
        if (params.supports().deviceActions() && !handlers.hasDeviceAction()) {
            return "manage declares deviceActions (reboot, factory reset) but no deviceActionHandler is set: set one"
                    + " with setDeviceActionHandler(..) or ManagedClient.Builder.deviceActionHandler(..), or pass"
                    + " false for supportDeviceActions";
        }
        if (params.supports().firmwareActions() && !handlers.hasFirmware()) {
            return "manage declares firmwareActions (download, update) but no firmwareHandler is set: set one with"
                    + " setFirmwareHandler(..) or ManagedClient.Builder.firmwareHandler(..), or pass false for"
                    + " supportFirmwareActions";
        }
        for (String bundle : params.supports().bundleIds()) {
            if (!handlers.handlesBundle(bundle)) {
                return "manage declares bundle " + bundle + " but no custom action handler is set for it: set one"
                        + " with setCustomActionHandler(\"" + bundle + "\", ..) or setAnyCustomActionHandler(..)";
            }
        }
        return null;
    }

    /**
     * Seed form: {@code manage(lifetime, supportDeviceActions, supportFirmwareActions, bundleIds)}.
     *
     * @param lifetimeSeconds 0 (never dormant) or at least 3600
     * @param supportDeviceActions whether reboot and factory reset are handled
     * @param supportFirmwareActions whether firmware download and update are handled
     * @param bundleIds the custom action bundles handled
     * @return completes with the platform's success response; fails with a {@link DmRequestException} naming its
     *     rc, a {@link TimeoutException}, or the reason it could not be sent
     */
    public CompletableFuture<PlatformResponse> manage(long lifetimeSeconds, boolean supportDeviceActions,
            boolean supportFirmwareActions, String... bundleIds) {
        return manage(ManageParams.of(lifetimeSeconds, supportDeviceActions, supportFirmwareActions, bundleIds));
    }

    /**
     * Stops being managed (§3.2); observations are cleared and no re-manage happens.
     *
     * @return completes with the platform's success response; fails with a {@link DmRequestException} naming its
     *     rc, a {@link TimeoutException}, or the reason it could not be sent
     */
    public CompletableFuture<PlatformResponse> unmanage() {
        return afterConnect("unmanage()", (s, now) -> s.unmanage(now));
    }

    /**
     * Reports the location (§3.3).
     *
     * @param location the location
     * @return completes with the platform's success response; fails with a {@link DmRequestException} naming its
     *     rc, a {@link TimeoutException}, or the reason it could not be sent
     */
    public CompletableFuture<PlatformResponse> setLocation(Location location) {
        Objects.requireNonNull(location, "location");
        return afterManage("setLocation(..)", (s, now) -> s.updateLocation(now, location));
    }

    /**
     * Appends an error code (§3.4).
     *
     * @param errorCode the error code
     * @return completes with the platform's success response; fails with a {@link DmRequestException} naming its
     *     rc, a {@link TimeoutException}, or the reason it could not be sent
     */
    public CompletableFuture<PlatformResponse> addErrorCode(int errorCode) {
        return afterManage("addErrorCode(" + errorCode + ")", (s, now) -> s.addErrorCode(now, errorCode));
    }

    /**
     * Seed name for {@link #addErrorCode(int)}.
     *
     * @param errorCode the error code
     * @return completes with the platform's success response; fails with a {@link DmRequestException} naming its
     *     rc, a {@link TimeoutException}, or the reason it could not be sent
     */
    public CompletableFuture<PlatformResponse> setErrorCode(int errorCode) {
        return addErrorCode(errorCode);
    }

    /**
     * Clears the error codes (§3.5).
     *
     * @return completes with the platform's success response; fails with a {@link DmRequestException} naming its
     *     rc, a {@link TimeoutException}, or the reason it could not be sent
     */
    public CompletableFuture<PlatformResponse> clearErrorCodes() {
        return afterManage("clearErrorCodes()", (s, now) -> s.clearErrorCodes(now));
    }

    /**
     * Appends a log entry (§3.6).
     *
     * @param entry the log entry
     * @return completes with the platform's success response; fails with a {@link DmRequestException} naming its
     *     rc, a {@link TimeoutException}, or the reason it could not be sent
     */
    public CompletableFuture<PlatformResponse> addLog(LogEntry entry) {
        Objects.requireNonNull(entry, "entry");
        return afterManage("addLog(..)", (s, now) -> s.addLog(now, entry));
    }

    /**
     * Appends a log entry without data, timestamped now (§3.6).
     *
     * @param message the log message
     * @param severity its severity
     * @return completes with the platform's success response; fails with a {@link DmRequestException} naming its
     *     rc, a {@link TimeoutException}, or the reason it could not be sent
     */
    public CompletableFuture<PlatformResponse> addLog(String message, LogSeverity severity) {
        return addLog(new LogEntry(message, Timestamp.of(driver.now()), Optional.empty(), severity));
    }

    /**
     * Appends a log entry with raw diagnostic data, timestamped now: the client base64-encodes
     * {@code data} for the wire (§12.21). Data that is base64 text already goes to
     * {@link #addLogBase64}, so that it is not encoded twice.
     *
     * @param message the log message
     * @param severity its severity
     * @param data raw diagnostic data, encoded by the client
     * @return completes with the platform's success response; fails with a {@link DmRequestException} naming its
     *     rc, a {@link TimeoutException}, or the reason it could not be sent
     */
    public CompletableFuture<PlatformResponse> addLog(String message, LogSeverity severity, byte[] data) {
        Objects.requireNonNull(data, "data");
        return addLog(LogEntry.of(message, Timestamp.of(driver.now()), data, severity));
    }

    /**
     * Seed form {@code addLog(msg, data, sensitivity)}, for data that is base64 text already (as
     * the seed's users encoded it): sent as given, never encoded again, timestamped now.
     *
     * @param message the log message
     * @param severity its severity
     * @param base64 diagnostic data as base64 text, sent as given
     * @return completes with the platform's success response; fails with a {@link DmRequestException} naming its
     *     rc, a {@link TimeoutException}, or the reason it could not be sent
     * @throws IllegalArgumentException when {@code base64} is not base64 text (raw data goes to
     *     {@link #addLog(String, LogSeverity, byte[])}, which encodes it)
     */
    public CompletableFuture<PlatformResponse> addLogBase64(String message, LogSeverity severity, String base64) {
        Objects.requireNonNull(base64, "base64");
        try {
            Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("base64 is not base64 text (" + e.getMessage() + "): pass raw data as"
                    + " bytes to addLog(message, severity, byte[]), which encodes it", e);
        }
        return addLog(new LogEntry(message, Timestamp.of(driver.now()), Optional.of(base64), severity));
    }

    /**
     * Clears the log (§3.7).
     *
     * @return completes with the platform's success response; fails with a {@link DmRequestException} naming its
     *     rc, a {@link TimeoutException}, or the reason it could not be sent
     */
    public CompletableFuture<PlatformResponse> clearLog() {
        return afterManage("clearLog()", (s, now) -> s.clearLog(now));
    }

    /**
     * Replaces the deviceInfo; notified if observed and sent with every later manage. Applied
     * asynchronously, in order with the other calls; {@link #deviceInfo()} shows it once applied.
     *
     * @param info the new deviceInfo
     */
    public void setDeviceInfo(DeviceInfo info) {
        Objects.requireNonNull(info, "info");
        driver.run((s, now) -> s.setDeviceInfo(now, info));
    }

    /**
     * Replaces the metadata; notified if observed and sent with every later manage. Applied asynchronously.
     *
     * @param metadata the new metadata
     */
    public void setMetadata(JsonObject metadata) {
        Objects.requireNonNull(metadata, "metadata");
        driver.run((s, now) -> s.setMetadata(now, metadata));
    }

    /**
     * The current deviceInfo (fwVersion changes after a successful install), as of the last step
     * the client took; never blocks.
     *
     * @return the deviceInfo
     */
    public DeviceInfo deviceInfo() {
        return driver.deviceInfo();
    }

    /**
     * The current {@code mgmt.firmware} object, as of the last step the client took; never blocks.
     *
     * @return the firmware object
     */
    public FirmwareInfo firmware() {
        return driver.firmware();
    }

    /**
     * How many requests and event publishes wait for their outcome: their futures have not
     * completed yet (offline events waiting to go out included). As of the last step the client
     * took; never blocks. Metrics read it.
     *
     * @return the number of pending requests
     */
    public int pendingRequests() {
        return driver.pendingRequests();
    }

    /**
     * How many publishes (requests, responses, notifies, events) wait in the client's bounded
     * outbound queue for room in the transport's in-flight window. As of the last step the client
     * took; never blocks. Metrics read it.
     *
     * @return the number of queued publishes
     */
    public int queuedPublishes() {
        return driver.queuedPublishes();
    }

    // ---- events --------------------------------------------------------------------------------

    /**
     * Publishes an event (§10.1); completes when handed to the broker (PUBACK for QoS 1).
     * Offline, events wait up to the configured limit and go out after reconnect.
     *
     * @param event the event
     * @param qos its quality of service
     * @return completes when the broker has the event; fails with the reason it could not be sent
     */
    @Override
    public CompletableFuture<Void> publishEvent(Event event, Qos qos) {
        return driver.publishEvent(event, qos);
    }

    /**
     * Publishes a JSON event with format {@code json}.
     *
     * @param eventId the event id (a topic level)
     * @param data the event's JSON data
     * @param qos its quality of service
     * @return completes when the broker has the event; fails with the reason it could not be sent
     */
    @Override
    public CompletableFuture<Void> publishEvent(String eventId, JsonValue data, Qos qos) {
        return EventPublisher.super.publishEvent(eventId, data, qos);
    }

    // ---- answers and firmware reports ----------------------------------------------------------

    /**
     * Answers a device action (§7), seed style: 202 before acting, 500 failed, 501 not
     * supported. Completes when the answer is on its way; fails with IllegalStateException when
     * no device action with this reqId is waiting.
     *
     * @param reqId the device action's request id
     * @param rc the answer's rc
     * @param message the answer's message, or null
     * @return completes when the answer is on its way; fails with an {@link IllegalStateException} when no device
     *     action with this reqId waits
     */
    public CompletableFuture<Void> respondDeviceAction(String reqId, Rc rc, String message) {
        Objects.requireNonNull(reqId, "reqId");
        Objects.requireNonNull(rc, "rc");
        return driver.run((s, now) -> s.respondDeviceAction(now, reqId, rc, message));
    }

    /**
     * Seed {@code setState}: DOWNLOADED reports a finished download; the current state changes
     * nothing; anything else fails with IllegalStateException naming the firmware phase.
     *
     * @param state the firmware state to report
     * @return completes when applied; fails with an {@link IllegalStateException} naming the firmware phase
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
     *
     * @param status the update status to report
     * @return completes when applied; fails with an {@link IllegalStateException} naming the firmware phase
     */
    public CompletableFuture<Void> setUpdateStatus(UpdateStatus status) {
        Objects.requireNonNull(status, "status");
        return driver.run((s, now) -> s.setUpdateStatus(now, status));
    }

    // ---- blocking helper -----------------------------------------------------------------------

    /**
     * Waits for a future of this client, at most {@code timeout}, and returns its value.
     *
     * @param <T> the future's value type
     * @param future a future this client returned
     * @param timeout how long to wait at most
     * @return the future's value
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

    // ---- handlers set on the built client (seed: callbacks assigned after construction) ---------

    /**
     * Sets the firmware handler (seed: {@code client.firmwereActionCallback = ...}); before {@code manage()}.
     *
     * @param h the handler
     */
    public void setFirmwareHandler(FirmwareHandler h) {
        handlers.firmware(h);
    }

    /**
     * Sets the device action handler (seed: {@code client.deviceActionCallback = ...}); before {@code manage()}.
     *
     * @param h the handler
     */
    public void setDeviceActionHandler(DeviceActionHandler h) {
        handlers.deviceAction(h);
    }

    /**
     * Sets the handler of one bundle's custom actions (seed: {@code client.dmeActionCallback = ...}).
     *
     * @param bundleId the bundle id
     * @param h the handler
     */
    public void setCustomActionHandler(String bundleId, CustomActionHandler h) {
        dev.iotdm.protocol.topic.Identifiers.requireBundleId("bundleId", bundleId);
        handlers.customAction(bundleId, h);
    }

    /**
     * Sets the handler of the custom actions of every bundle without its own.
     *
     * @param h the handler
     */
    public void setAnyCustomActionHandler(CustomActionHandler h) {
        handlers.anyCustomAction(h);
    }

    /**
     * Sets the handler of one command id.
     *
     * @param commandId the command id
     * @param h the handler
     */
    public void setCommandHandler(String commandId, CommandHandler h) {
        dev.iotdm.protocol.topic.Identifiers.requireTopicLevel("commandId", commandId);
        handlers.command(commandId, h);
    }

    /**
     * Sets the handler of every command without its own (seed: {@code client.commandCallback = ...}).
     *
     * @param h the handler
     */
    public void setAnyCommandHandler(CommandHandler h) {
        handlers.anyCommand(h);
    }

    /**
     * Adds a listener for lifecycle and session events; it sees events from now on.
     *
     * @param l the listener
     */
    public void addListener(ClientListener l) {
        handlers.listener(l);
    }

    /**
     * A device-management request that needs connect() to have been called: fails at once with a
     * {@link NotConnectedException} naming it otherwise. (Events are different: they wait in the
     * offline queue, see {@link #publishEvent(Event, Qos)}.)
     */
    private <T> CompletableFuture<T> afterConnect(String what, ClientDriver.TokenCall call) {
        if (!closing.get() && !driver.isStarted() && !driver.isReady()) {
            return CompletableFuture.failedFuture(new NotConnectedException(what + ": the client is not connected:"
                    + " call connect() first (manage() connects by itself)"
                    + (driver.hasConnected() ? "" : "; a connect() that failed is not retried until called again")));
        }
        return request(what, call);
    }

    /**
     * A request that needs manage(): fails at once, naming it, when no manage succeeded, none is
     * under way and none was restored (§3.3-3.7).
     */
    private <T> CompletableFuture<T> afterManage(String what, ClientDriver.TokenCall call) {
        // A manage under way or restored from the state store counts: the session sends in order.
        if (!closing.get() && !managedOnce && !driver.wantsManaged() && (driver.isStarted() || driver.isReady())) {
            return CompletableFuture.failedFuture(new IllegalStateException(what + ": the device is not managed yet:"
                    + " wait for manage() to succeed first (the platform ignores location, error-code and log"
                    + " requests from an unmanaged device)"));
        }
        return afterConnect(what, call);
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> request(String what, ClientDriver.TokenCall call) {
        return (CompletableFuture<T>) (CompletableFuture<?>) driver.request(what, call);
    }

    /** The default shared pools: many clients, few threads; all daemon threads. */
    static final class Shared {
        static final ScheduledExecutorService SCHEDULER = timer();
        static final ThreadPoolExecutor SESSIONS = bounded(DEFAULT_SESSION_THREADS, "iotdm-session");
        static final ThreadPoolExecutor CALLBACKS = bounded(DEFAULT_CALLBACK_THREADS, "iotdm-callback");

        /**
         * At most {@code threads} threads, started one per task until the bound and ending after
         * 30 s idle; beyond the bound tasks queue (never refused, never a thread per client).
         */
        private static ThreadPoolExecutor bounded(int threads, String prefix) {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), daemon(prefix));
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }

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
     * Builds a {@link ManagedClient}. Not thread-safe. The handlers and listeners given to a
     * builder belong to the client it builds: build one client per builder.
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
        private Duration closeFlushTimeout = Duration.ofSeconds(5);
        private boolean retryUntilFirstConnect;
        private ReconnectPolicy reconnectPolicy = ReconnectPolicy.DEFAULT;
        private RandomGenerator random = RandomGenerator.getDefault();
        private int outboundQueueLimit = 1000;
        private final SessionConfig.Builder session = SessionConfig.builder();
        private final HandlerRegistry handlers = new HandlerRegistry();

        private Builder(DeviceOptions options) {
            this.options = Objects.requireNonNull(options, "options");
        }

        /**
         * The transport to use (the client does not close a transport it was given).
         *
         * @param t the transport
         * @return this builder
         */
        public Builder transport(MqttTransport t) {
            transport = Objects.requireNonNull(t, "transport");
            return this;
        }

        /**
         * The transport provider to load through ServiceLoader by name (e.g. {@code paho}).
         *
         * @param providerName the provider's name
         * @return this builder
         */
        public Builder transport(String providerName) {
            transportName = Objects.requireNonNull(providerName, "providerName");
            return this;
        }

        /**
         * The clock (tests use a virtual one).
         *
         * @param c the clock
         * @return this builder
         */
        public Builder clock(InstantSource c) {
            clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * The scheduler for timers (default: one shared daemon thread).
         *
         * @param s the scheduler
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService s) {
            scheduler = Objects.requireNonNull(s, "scheduler");
            return this;
        }

        /**
         * The pool the session's serial executor runs on (default: a shared pool of {@link #DEFAULT_SESSION_THREADS}).
         *
         * @param e the pool
         * @return this builder
         */
        public Builder executor(Executor e) {
            executor = Objects.requireNonNull(e, "executor");
            return this;
        }

        /**
         * The executor for handlers, listeners and future completions (default: a shared pool of
         * {@link #DEFAULT_CALLBACK_THREADS} threads; see the class comment).
         *
         * @param e the callback executor
         * @return this builder
         */
        public Builder callbackExecutor(Executor e) {
            callbackExecutor = Objects.requireNonNull(e, "callbackExecutor");
            return this;
        }

        /**
         * Where the device state survives restarts (default: memory only), e.g. a
         * {@code FileStateStore}; closed with the client when it is {@link AutoCloseable}.
         *
         * @param s the state store
         * @return this builder
         */
        public Builder stateStore(DeviceStateStore s) {
            store = Objects.requireNonNull(s, "stateStore");
            return this;
        }

        /**
         * How long {@link ManagedClient#connect()} waits for a ready connection (CONNACK and the
         * SUBACK of the device-management subscription), all attempts included (default 60 s);
         * positive. One attempt is bounded by {@code DeviceOptions}' {@code attemptTimeout}
         * (default 30 s); this bound matters when attempts are retried
         * ({@link #retryUntilFirstConnect(boolean)}).
         *
         * @param d the timeout, positive
         * @return this builder
         * @throws IllegalArgumentException when {@code d} is not positive
         */
        public Builder connectTimeout(Duration d) {
            Objects.requireNonNull(d, "connectTimeout");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, got " + d);
            }
            connectTimeout = d;
            return this;
        }

        /**
         * How long {@link ManagedClient#close()} waits for the PUBACKs of the replies the client
         * has decided (answers, notifies) before it disconnects (default 5 s); zero waits for
         * nothing. See {@link ManagedClient#close(Duration)}.
         *
         * @param d the flush timeout, not negative
         * @return this builder
         * @throws IllegalArgumentException when {@code d} is negative
         */
        public Builder closeFlushTimeout(Duration d) {
            closeFlushTimeout = requireNotNegative("closeFlushTimeout", d);
            return this;
        }

        /**
         * Whether failed connect attempts are retried with backoff before a first connection
         * succeeded (default false: {@link ManagedClient#connect()} completes with the first
         * attempt's failure, and automatic reconnects apply only after a first success). True suits
         * a device that may start before its broker; connect() then fails only after
         * {@link #connectTimeout(Duration)}, naming the last attempt's failure.
         *
         * @param retry whether to retry before a first success
         * @return this builder
         */
        public Builder retryUntilFirstConnect(boolean retry) {
            retryUntilFirstConnect = retry;
            return this;
        }

        /**
         * How long a device request waits for the platform's response (default 30 s).
         *
         * @param d the timeout
         * @return this builder
         */
        public Builder requestTimeout(Duration d) {
            session.requestTimeout(d);
            return this;
        }

        /**
         * The reconnect backoff policy.
         *
         * @param p the policy
         * @return this builder
         */
        public Builder reconnectPolicy(ReconnectPolicy p) {
            reconnectPolicy = Objects.requireNonNull(p, "reconnectPolicy");
            return this;
        }

        /**
         * The random source for backoff jitter (tests pass a seeded one).
         *
         * @param r the random source
         * @return this builder
         */
        public Builder random(RandomGenerator r) {
            random = Objects.requireNonNull(r, "random");
            return this;
        }

        /**
         * How many publishes may wait for room in the transport's in-flight window (default
         * 1000); beyond it a publish fails as {@code WINDOW_FULL} with an
         * {@link ClientEvent.OutboundQueueFull} event.
         *
         * @param limit the bound, at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code limit} is below 1
         */
        public Builder outboundQueueLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("outboundQueueLimit must be at least 1, got " + limit);
            }
            outboundQueueLimit = limit;
            return this;
        }

        /**
         * The deviceInfo at start (seed: the {@code deviceInfo} constructor argument).
         *
         * @param info the deviceInfo
         * @return this builder
         */
        public Builder deviceInfo(DeviceInfo info) {
            session.deviceInfo(info);
            return this;
        }

        /**
         * The metadata at start.
         *
         * @param metadata the metadata
         * @return this builder
         */
        public Builder metadata(JsonObject metadata) {
            session.metadata(metadata);
            return this;
        }

        /**
         * The offline policy: how many events, and separately how many device requests (location,
         * error codes, logs), may wait while offline and go out after the next connect (requests
         * after its manage); a request lost unanswered with a clean session goes out again. 0
         * makes both fail fast with {@code NotConnectedException} (default 1000).
         *
         * @param limit the limit, 0 or more
         * @return this builder
         */
        public Builder offlineEventLimit(int limit) {
            session.offlineEventLimit(limit);
            return this;
        }

        /**
         * How many bytes (UTF-8 reqIds plus answers) the remembered answers to platform requests
         * may take; beyond it (or beyond 256 answers) the oldest are forgotten, so a very late
         * redelivery of one is handled anew (default 256 KiB).
         *
         * @param bytes the bound in bytes
         * @return this builder
         */
        public Builder answerMemoryBytes(int bytes) {
            session.answerMemoryBytes(bytes);
            return this;
        }

        /**
         * Handles firmware download and install (seed: {@code firmwereActionCallback}).
         *
         * @param h the handler
         * @return this builder
         */
        public Builder firmwareHandler(FirmwareHandler h) {
            handlers.firmware(h);
            return this;
        }

        /**
         * Handles reboot and factory reset (seed: {@code deviceActionCallback}).
         *
         * @param h the handler
         * @return this builder
         */
        public Builder deviceActionHandler(DeviceActionHandler h) {
            handlers.deviceAction(h);
            return this;
        }

        /**
         * Handles the custom actions of one bundle (seed: {@code dmeActionCallback}).
         *
         * @param bundleId the bundle id
         * @param h the handler
         * @return this builder
         */
        public Builder customActionHandler(String bundleId, CustomActionHandler h) {
            dev.iotdm.protocol.topic.Identifiers.requireBundleId("bundleId", bundleId);
            handlers.customAction(bundleId, h);
            return this;
        }

        /**
         * Handles the custom actions of every declared bundle without its own handler.
         *
         * @param h the handler
         * @return this builder
         */
        public Builder anyCustomActionHandler(CustomActionHandler h) {
            handlers.anyCustomAction(h);
            return this;
        }

        /**
         * Handles one command id.
         *
         * @param commandId the command id
         * @param h the handler
         * @return this builder
         */
        public Builder commandHandler(String commandId, CommandHandler h) {
            dev.iotdm.protocol.topic.Identifiers.requireTopicLevel("commandId", commandId);
            handlers.command(commandId, h);
            return this;
        }

        /**
         * Handles every command without its own handler (seed: {@code commandCallback}).
         *
         * @param h the handler
         * @return this builder
         */
        public Builder anyCommandHandler(CommandHandler h) {
            handlers.anyCommand(h);
            return this;
        }

        /**
         * Adds a listener for lifecycle and session events.
         *
         * @param l the listener
         * @return this builder
         */
        public Builder listener(ClientListener l) {
            handlers.listener(l);
            return this;
        }

        /**
         * The client, not yet connected.
         *
         * @return the client
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
                // Handlers may still be set after build(): the engine counts every capability as
                // handled, manage() refuses to declare one without a handler, and the registry's
                // delegates answer 501 for any that is still missing when a request arrives.
                SessionConfig config = session
                        .keepsSession(!options.cleanSession())
                        .firmwareHandler(true)
                        .deviceActionHandler(true)
                        .anyCustomAction(true)
                        .reqIds(() -> UUID.randomUUID().toString())
                        .build();
                ClientDriver driver = new ClientDriver(new ClientDriver.Settings(t, options.toMqttConnectOptions(version),
                        clock, scheduler != null ? scheduler : Shared.SCHEDULER,
                        executor != null ? executor : Shared.SESSIONS,
                        callbackExecutor != null ? callbackExecutor : Shared.CALLBACKS, store, connectTimeout,
                        reconnectPolicy, random, config, handlers.driverHandlers(), outboundQueueLimit,
                        retryUntilFirstConnect));
                return new ManagedClient(driver, owns, handlers, closeFlushTimeout);
            } catch (RuntimeException e) {
                if (owns) {
                    t.close();
                }
                throw e;
            }
        }
    }
}
