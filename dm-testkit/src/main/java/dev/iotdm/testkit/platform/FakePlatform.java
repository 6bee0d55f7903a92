package dev.iotdm.testkit.platform;

import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.Parameter;
import dev.iotdm.testkit.broker.DeviceConnectionListener;
import dev.iotdm.testkit.broker.DevicePublish;
import dev.iotdm.testkit.broker.DevicePublishListener;
import dev.iotdm.testkit.broker.DeviceRegistry;
import dev.iotdm.testkit.broker.EmbeddedBroker;
import dev.iotdm.testkit.broker.PublishRefusal;
import dev.iotdm.testkit.platform.PlatformAction.DisconnectDevice;
import dev.iotdm.testkit.platform.PlatformAction.Observed;
import dev.iotdm.testkit.platform.PlatformAction.OperationCompleted;
import dev.iotdm.testkit.platform.PlatformAction.SendToDevice;
import dev.iotdm.testkit.platform.PlatformEvent.DeviceEvent;
import dev.iotdm.testkit.platform.PlatformEvent.MessageSeen;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The fake Watson IoT Platform for tests: one {@link PlatformEngine} driven on its own serial
 * thread with a real clock, wired to an {@link EmbeddedBroker} (owned, or attached) or to any other
 * {@link DeviceLink}. It exposes the platform's operations as futures and test-fixture waits that
 * read like the domain and, when they time out, fail with what was seen instead.
 *
 * <pre>{@code
 * try (FakePlatform platform = FakePlatform.start()) {
 *     String device = platform.registerDevice("org1", "sensor", "dev1", "secret");
 *     // ... connect a device to platform.broker().host() / port() ...
 *     platform.awaitManaged(device, Duration.ofSeconds(10));
 *     OperationOutcome outcome = platform.reboot(device).get(30, TimeUnit.SECONDS);
 * }
 * }</pre>
 *
 * <p>The facade is thin on purpose: every rule lives in the engine. Without a broker
 * ({@link Builder#withoutBroker()}), a transport feeds {@link #publishListener()} and
 * {@link #connectionListener()} and is {@link #attach(DeviceLink) attached} as the link.
 *
 * <p>Thread-safety: thread-safe. Engine work runs serially on the platform thread; observers are
 * called there too, and futures are completed on the common pool so dependent stages never run on
 * the platform thread.
 */
public final class FakePlatform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FakePlatform.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration TIMEOUT_GRACE = Duration.ofSeconds(5);
    private static final int SEEN_ENTRIES = 20;

    private final PlatformEngine engine;
    private final InstantSource clock;
    private final ScheduledThreadPoolExecutor executor;
    private final List<PlatformObserver> observers = new CopyOnWriteArrayList<>();
    private final MessageLog transcript = new MessageLog();
    private final DevicePublishListener publishListener = new PublishInput();
    private final DeviceConnectionListener connectionListener = new ConnectionInput();
    /** The futures of {@link #whenDevice} still waiting, failed at close. */
    private final Set<CompletableFuture<DeviceView>> pendingWaits = ConcurrentHashMap.newKeySet();

    // Touched only on the platform thread.
    private final Map<OperationToken, CompletableFuture<OperationOutcome>> futures = new HashMap<>();
    private final List<Waiter<?>> waiters = new ArrayList<>();
    private final List<DeviceEvent> events = new ArrayList<>();
    private ScheduledFuture<?> timer;
    private Instant timerAt;

    private volatile DeviceLink link;
    private volatile EmbeddedBroker broker;
    private volatile boolean ownsBroker;
    private volatile boolean closed;

    private FakePlatform(PlatformConfig config, InstantSource clock) {
        this.engine = new PlatformEngine(config);
        this.clock = clock;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "iotdm-fake-platform");
            thread.setDaemon(true);
            return thread;
        });
        this.executor.setRemoveOnCancelPolicy(true);
        // Timers left at close (operation deadlines) must not keep the thread alive.
        this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * A platform with default settings on a new embedded broker, started.
     *
     * @return the running platform, whose broker listens on 127.0.0.1 at a free port; close it
     */
    public static FakePlatform start() {
        return builder().build();
    }

    /**
     * Options for a platform.
     *
     * @return a builder holding the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---- wiring -------------------------------------------------------------------------------

    /**
     * The registry the broker authenticates devices against (thread-safe).
     *
     * @return the registry, to build a broker of one's own with
     */
    public DeviceRegistry deviceRegistry() {
        return engine;
    }

    /**
     * The listener a transport hands device publishes and refusals to.
     *
     * @return the same listener on every call; it never blocks the caller
     */
    public DevicePublishListener publishListener() {
        return publishListener;
    }

    /**
     * The listener a transport reports device connections to.
     *
     * @return the same listener on every call; it never blocks the caller
     */
    public DeviceConnectionListener connectionListener() {
        return connectionListener;
    }

    /**
     * Sends through a broker built with this platform's {@link #deviceRegistry()},
     * {@link #publishListener()} and {@link #connectionListener()}. The caller keeps owning it.
     *
     * @param attached the broker, started or about to be; not {@code null}; {@link #close()} does
     *     not close it
     */
    public void attach(EmbeddedBroker attached) {
        Objects.requireNonNull(attached, "broker");
        this.broker = attached;
        this.link = DeviceLink.of(attached, attached::disconnectDevice);
    }

    /**
     * Sends through {@code deviceLink}, e.g. an in-memory transport.
     *
     * @param deviceLink replaces the link set before; not {@code null}
     */
    public void attach(DeviceLink deviceLink) {
        this.link = Objects.requireNonNull(deviceLink, "link");
    }

    /**
     * The broker devices connect to.
     *
     * @return the owned or attached broker, for its host and port
     * @throws IllegalStateException if the platform has no broker (a bare {@link DeviceLink})
     */
    public EmbeddedBroker broker() {
        EmbeddedBroker b = broker;
        if (b == null) {
            throw new IllegalStateException("this platform runs without a broker");
        }
        return b;
    }

    /**
     * The engine's configuration.
     *
     * @return the configuration the platform was built with
     */
    public PlatformConfig config() {
        return engine.config();
    }

    /**
     * Adds an observer, e.g. a rule checker; it sees everything from now on.
     *
     * @param observer called on the platform thread; not {@code null}
     */
    public void addObserver(PlatformObserver observer) {
        observers.add(Objects.requireNonNull(observer, "observer"));
    }

    /**
     * Removes an observer; no effect if it was not added.
     *
     * @param observer the observer, as added
     */
    public void removeObserver(PlatformObserver observer) {
        observers.remove(observer);
    }

    // ---- registry, faults, snapshots ----------------------------------------------------------

    /**
     * Registers a device with its token.
     *
     * @param orgId the organisation id
     * @param typeId the device type
     * @param deviceId the device id
     * @param token the secret the device connects with; never logged
     * @return its client id {@code d:<org>:<type>:<id>}
     * @throws IllegalArgumentException if an id is malformed or the token empty
     * @throws IllegalStateException if the platform is closed or its thread does not answer in 10 s
     */
    public String registerDevice(String orgId, String typeId, String deviceId, String token) {
        return call(() -> engine.register(orgId, typeId, deviceId, token));
    }

    /**
     * Adds a fault (see {@link PlatformFault}).
     *
     * @param fault applies to messages handled after this call; not {@code null}
     * @throws IllegalStateException if the platform is closed
     */
    public void addFault(PlatformFault fault) {
        Objects.requireNonNull(fault, "fault");
        call(() -> {
            engine.addFault(fault);
            return null;
        });
    }

    /**
     * Removes every fault; messages already held by a {@link PlatformFault.Delay} stay held.
     *
     * @throws IllegalStateException if the platform is closed
     */
    public void clearFaults() {
        call(() -> {
            engine.clearFaults();
            return null;
        });
    }

    /**
     * A snapshot of the platform's record of a device.
     *
     * @param clientId the device's client id, as {@link #registerDevice} returned it
     * @return the record as of now
     * @throws IllegalArgumentException if the device is not registered
     * @throws IllegalStateException if the platform is closed
     */
    public DeviceView device(String clientId) {
        return call(() -> engine.device(clientId))
                .orElseThrow(() -> new IllegalArgumentException("no device '" + clientId + "' is registered"));
    }

    /**
     * Every message in and out so far, in order.
     *
     * @return an unmodifiable copy
     */
    public List<TranscriptEntry> transcript() {
        return transcript.all();
    }

    /**
     * The messages to and from one device so far, in order.
     *
     * @param clientId the device's client id
     * @return an unmodifiable list; empty for an unknown device
     */
    public List<TranscriptEntry> transcript(String clientId) {
        return transcript.of(clientId);
    }

    // ---- operations -----------------------------------------------------------------------------

    /**
     * Writes attributes on the device (protocol.md §4.2), with the default timeout.
     *
     * @param clientId a registered device
     * @param fields the values to write; at least one
     * @return completes with {@link OperationOutcome.Succeeded} on 204, another outcome otherwise;
     *     {@link OperationOutcome.Refused} at once when the device is not managed
     * @throws IllegalArgumentException if the device is not registered or {@code fields} is empty
     * @throws IllegalStateException if the platform is closed
     */
    public CompletableFuture<OperationOutcome> deviceUpdate(String clientId, List<FieldValue> fields) {
        return deviceUpdate(clientId, fields, config().operationTimeout());
    }

    /**
     * Writes attributes on the device (protocol.md §4.2).
     *
     * @param clientId a registered device
     * @param fields the values to write; at least one
     * @param timeout how long the device may take to answer; positive
     * @return completes with {@link OperationOutcome.Succeeded} on 204, another outcome otherwise;
     *     {@link OperationOutcome.Refused} at once when the device is not managed
     * @throws IllegalArgumentException if the device is not registered, {@code fields} is empty or
     *     the timeout is not positive
     * @throws IllegalStateException if the platform is closed
     */
    public CompletableFuture<OperationOutcome> deviceUpdate(String clientId, List<FieldValue> fields,
            Duration timeout) {
        return operation(timeout, now -> engine.deviceUpdate(now, clientId, fields, timeout));
    }

    /**
     * Starts observing attributes (§4.3), with the default timeout.
     *
     * @param clientId a registered device
     * @param fields the attribute names, e.g. {@code mgmt.firmware}
     * @return completes with {@link OperationOutcome.Succeeded} (the current values as data) on
     *     200, another outcome otherwise
     * @throws IllegalArgumentException if the device is not registered or the list or a name is empty
     * @throws IllegalStateException if the platform is closed
     */
    public CompletableFuture<OperationOutcome> observe(String clientId, List<String> fields) {
        return observe(clientId, fields, config().operationTimeout());
    }

    /**
     * Starts observing attributes (§4.3).
     *
     * @param clientId a registered device
     * @param fields the attribute names, e.g. {@code mgmt.firmware}
     * @param timeout how long the device may take to answer; positive
     * @return completes with {@link OperationOutcome.Succeeded} (the current values as data) on
     *     200, another outcome otherwise
     * @throws IllegalArgumentException if the device is not registered, the list or a name is empty or the
     *     timeout is not positive
     * @throws IllegalStateException if the platform is closed
     */
    public CompletableFuture<OperationOutcome> observe(String clientId, List<String> fields, Duration timeout) {
        return operation(timeout, now -> engine.observe(now, clientId, fields, timeout));
    }

    /**
     * Stops observing attributes (§4.4), with the default timeout.
     *
     * @param clientId a registered device
     * @param fields the attribute names observed before
     * @return completes with {@link OperationOutcome.Succeeded} on 200, another outcome otherwise
     * @throws IllegalArgumentException if the device is not registered or the list or a name is empty
     * @throws IllegalStateException if the platform is closed
     */
    public CompletableFuture<OperationOutcome> cancel(String clientId, List<String> fields) {
        return cancel(clientId, fields, config().operationTimeout());
    }

    /**
     * Stops observing attributes (§4.4).
     *
     * @param clientId a registered device
     * @param fields the attribute names observed before
     * @param timeout how long the device may take to answer; positive
     * @return completes with {@link OperationOutcome.Succeeded} on 200, another outcome otherwise
     * @throws IllegalArgumentException if the device is not registered, the list or a name is empty or the
     *     timeout is not positive
     * @throws IllegalStateException if the platform is closed
     */
    public CompletableFuture<OperationOutcome> cancel(String clientId, List<String> fields, Duration timeout) {
        return operation(timeout, now -> engine.cancel(now, clientId, fields, timeout));
    }

    /**
     * Reboots the device: done when it answered 202 and managed again (§7); default timeout.
     *
     * @param clientId a registered device
     * @return completes with {@link OperationOutcome.Succeeded} after the new manage, or with the
     *     failure rc (500, 501), a timeout or a refusal
     * @throws IllegalArgumentException if the device is not registered
     * @throws IllegalStateException if the platform is closed
     */
    public CompletableFuture<OperationOutcome> reboot(String clientId) {
        return reboot(clientId, config().operationTimeout());
    }

    /**
     * Reboots the device: done when it answered 202 and managed again (§7).
     *
     * @param clientId a registered device
     * @param timeout for the answer and the new manage together; positive
     * @return completes with {@link OperationOutcome.Succeeded} after the new manage, or with the
     *     failure rc (500, 501), a timeout or a refusal
     * @throws IllegalArgumentException if the device is not registered or the timeout not positive
     * @throws IllegalStateException if the platform is closed
     */
    public CompletableFuture<OperationOutcome> reboot(String clientId, Duration timeout) {
        return operation(timeout, now -> engine.reboot(now, clientId, timeout));
    }

    /**
     * Factory-resets the device (§7); default timeout. Completes as {@link #reboot(String)} does.
     *
     * @param clientId a registered device
     * @return completes with {@link OperationOutcome.Succeeded} after the new manage, or with the
     *     failure rc, a timeout or a refusal
     * @throws IllegalArgumentException if the device is not registered
     * @throws IllegalStateException if the platform is closed
     */
    public CompletableFuture<OperationOutcome> factoryReset(String clientId) {
        return factoryReset(clientId, config().operationTimeout());
    }

    /**
     * Factory-resets the device (§7). Completes as {@link #reboot(String, Duration)} does.
     *
     * @param clientId a registered device
     * @param timeout for the answer and the new manage together; positive
     * @return completes with {@link OperationOutcome.Succeeded} after the new manage, or with the
     *     failure rc, a timeout or a refusal
     * @throws IllegalArgumentException if the device is not registered or the timeout not positive
     * @throws IllegalStateException if the platform is closed
     */
    public CompletableFuture<OperationOutcome> factoryReset(String clientId, Duration timeout) {
        return operation(timeout, now -> engine.factoryReset(now, clientId, timeout));
    }

    /**
     * The full firmware download flow (§6.2); no image skips the device/update step.
     *
     * @param clientId a registered device
     * @param image the parameters written to {@code mgmt.firmware} first, or empty
     * @param timeout for the whole flow; positive
     * @return completes with {@link OperationOutcome.Succeeded} at {@code DOWNLOADED}, with
     *     {@link OperationOutcome.Failed} carrying the refused step's rc or the failure
     *     {@code updateStatus}, or with a timeout or a refusal
     * @throws IllegalArgumentException if the device is not registered or the timeout not positive
     * @throws IllegalStateException if the platform is closed
     */
    public CompletableFuture<OperationOutcome> firmwareDownload(String clientId, Optional<FirmwareImage> image,
            Duration timeout) {
        return operation(timeout, now -> engine.firmwareDownload(now, clientId, image, timeout));
    }

    /**
     * The full firmware update flow (§6.3); no image skips the device/update step.
     *
     * @param clientId a registered device
     * @param image the parameters written to {@code mgmt.firmware} first, or empty
     * @param timeout for the whole flow; positive
     * @return completes with {@link OperationOutcome.Succeeded} at {@code IDLE} with update status
     *     success, with {@link OperationOutcome.Failed} carrying the refused step's rc or the failure
     *     {@code updateStatus}, or with a timeout or a refusal
     * @throws IllegalArgumentException if the device is not registered or the timeout not positive
     * @throws IllegalStateException if the platform is closed
     */
    public CompletableFuture<OperationOutcome> firmwareUpdate(String clientId, Optional<FirmwareImage> image,
            Duration timeout) {
        return operation(timeout, now -> engine.firmwareUpdate(now, clientId, image, timeout));
    }

    /**
     * A device-management extension action (§8).
     *
     * @param clientId a registered device
     * @param bundleId the extension bundle's id, a topic level
     * @param actionId the action's id, a topic level
     * @param parameters the action's parameters, in order
     * @param timeout how long the device may take to answer; positive
     * @return completes with {@link OperationOutcome.Succeeded} (the response's data) on 200, with
     *     {@link OperationOutcome.Failed} on any other rc, or with a timeout or a refusal
     * @throws IllegalArgumentException if the device is not registered, an id is not a valid topic
     *     level or the timeout not positive
     * @throws IllegalStateException if the platform is closed
     */
    public CompletableFuture<OperationOutcome> customAction(String clientId, String bundleId, String actionId,
            List<Parameter> parameters, Duration timeout) {
        return operation(timeout, now -> engine.customAction(now, clientId, bundleId, actionId, parameters, timeout));
    }

    /**
     * A command (§10.2); succeeds once handed to the transport. The device need not be managed.
     *
     * @param clientId a registered device
     * @param commandId the command's id, a topic level
     * @param format the format, a topic level, e.g. {@code json}
     * @param payload the bytes sent as they are; at most the codec's outbound limit
     * @return completes with {@link OperationOutcome.Succeeded} once the broker took the message,
     *     or with a timeout (the default operation timeout)
     * @throws IllegalArgumentException if the device is not registered, an id is not a valid topic
     *     level or the payload is over the limit
     * @throws IllegalStateException if the platform is closed
     */
    public CompletableFuture<OperationOutcome> command(String clientId, String commandId, String format,
            byte[] payload) {
        Duration timeout = config().operationTimeout();
        return operation(timeout, now -> engine.command(now, clientId, commandId, format, payload, timeout));
    }

    // ---- waits ----------------------------------------------------------------------------------

    /**
     * Waits until the device is managed.
     *
     * @param clientId a registered device
     * @param timeout how long to wait
     * @return the record once it is managed
     * @throws AssertionError naming what was seen, if it is not managed within {@code timeout}
     */
    public DeviceView awaitManaged(String clientId, Duration timeout) {
        return awaitDevice(clientId, "managed", DeviceView::managed, timeout);
    }

    /**
     * Waits until the platform knows {@code mgmt.firmware.state} of the device to be {@code state}.
     *
     * @param clientId a registered device
     * @param state the state awaited; not {@code null}
     * @param timeout how long to wait
     * @return the record once it shows that state
     * @throws AssertionError naming what was seen, if it does not within {@code timeout}
     */
    public DeviceView awaitFirmwareState(String clientId, FirmwareState state, Duration timeout) {
        Objects.requireNonNull(state, "state");
        return awaitDevice(clientId, "mgmt.firmware.state " + state,
                view -> view.firmwareState().equals(Optional.of(state)), timeout);
    }

    /**
     * Waits until the platform's record of the device satisfies {@code condition}.
     *
     * @param clientId a registered device; not {@code null}
     * @param description what is awaited, for the failure message
     * @param condition tested on the platform thread after each input; must be quick; not
     *     {@code null}
     * @param timeout how long to wait
     * @return the first record that satisfies {@code condition}
     * @throws AssertionError naming what was seen, if it does not within {@code timeout}
     */
    public DeviceView awaitDevice(String clientId, String description, Predicate<DeviceView> condition,
            Duration timeout) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(condition, "condition");
        return await("device " + clientId + " to be " + description, clientId,
                () -> engine.device(clientId).filter(condition), timeout);
    }

    /**
     * Waits for an event {@code eventId} from the device (protocol.md §10.1) and returns the first one.
     *
     * @param clientId the sending device; not {@code null}
     * @param eventId the event id of the topic {@code iot-2/evt/<eventId>/fmt/<format>}; not {@code null}
     * @param timeout how long to wait
     * @return the first such event since the platform started, even one that came before this call
     * @throws AssertionError naming what was seen, if none arrives within {@code timeout}
     */
    public Event awaitEvent(String clientId, String eventId, Duration timeout) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(eventId, "eventId");
        return await("event '" + eventId + "' from " + clientId, clientId, () -> events.stream()
                .filter(e -> e.clientId().equals(clientId) && e.event().eventId().equals(eventId))
                .map(DeviceEvent::event).findFirst(), timeout);
    }

    /**
     * Waits for a message in the transcript that satisfies {@code condition}, and returns the first.
     *
     * @param clientId the device whose messages (both ways) are searched
     * @param description what is awaited, for the failure message
     * @param condition tested on the platform thread; must be quick; not {@code null}
     * @param timeout how long to wait
     * @return the first matching message since the platform started, even one before this call
     * @throws AssertionError naming what was seen, if none does within {@code timeout}
     */
    public TranscriptEntry awaitMessage(String clientId, String description, Predicate<TranscriptEntry> condition,
            Duration timeout) {
        Objects.requireNonNull(condition, "condition");
        return await(description, clientId, () -> transcript.first(clientId, condition), timeout);
    }

    /**
     * Completes, without blocking the caller, once the platform's record of the device satisfies
     * {@code condition} (at once if it does now). Cancelling the future ends the wait; closing the
     * platform fails it.
     *
     * @param clientId a device's client id; not {@code null}
     * @param condition tested on the platform thread after each input; must be quick; not
     *     {@code null}
     * @return completes with the first record that satisfies {@code condition}, on the platform
     *     thread (use the {@code ...Async} stages for slow work); has no timeout of its own, so
     *     bound the wait on it
     * @throws IllegalStateException if the platform is closed
     */
    public CompletableFuture<DeviceView> whenDevice(String clientId, Predicate<DeviceView> condition) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(condition, "condition");
        if (closed) {
            throw new IllegalStateException("the fake platform is closed");
        }
        Waiter<DeviceView> waiter = new Waiter<>(() -> engine.device(clientId).filter(condition));
        executor.execute(() -> {
            if (!waiter.tryComplete()) {
                waiters.add(waiter);
            }
        });
        pendingWaits.add(waiter.future);
        waiter.future.whenComplete((v, e) -> pendingWaits.remove(waiter.future));
        return waiter.future;
    }

    /**
     * Whether the broker holds a session for the device: connected, or offline with a kept session
     * whose subscriptions queue what is sent to it. False without a broker.
     *
     * @param clientId the device's MQTT client id
     * @return completes with the broker's answer; at once with {@code false} without a broker
     */
    public CompletableFuture<Boolean> brokerKeepsSession(String clientId) {
        EmbeddedBroker b = broker;
        return b == null ? CompletableFuture.completedFuture(false) : b.hasSession(clientId);
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    /** Closes the owned broker (if any), stops the platform thread and fails unfinished operations. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ownsBroker) {
            broker.close();
        }
        try {
            executor.execute(() -> {
                IllegalStateException error = new IllegalStateException("the fake platform was closed");
                futures.values().forEach(f -> ForkJoinPool.commonPool().execute(() -> f.completeExceptionally(error)));
                futures.clear();
                waiters.clear();
                pendingWaits.forEach(f -> ForkJoinPool.commonPool().execute(() -> f.completeExceptionally(error)));
            });
        } catch (RejectedExecutionException e) {
            // already stopped
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FakePlatform[" + (broker != null ? broker : link) + (closed ? ", closed" : "") + "]";
    }

    // ---- the platform thread --------------------------------------------------------------------

    /** Runs {@code task} on the platform thread, then carries out the engine's actions. */
    private void submit(Consumer<PlatformEngine> task) {
        if (closed) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    task.accept(engine);
                } catch (RuntimeException e) {
                    LOG.warn("the platform engine failed on an input", e);
                }
                drain();
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("input after close ignored");
        }
    }

    /** Runs {@code task} on the platform thread and waits for its result; its exceptions are rethrown. */
    private <T> T call(Supplier<T> task) {
        if (closed) {
            throw new IllegalStateException("the fake platform is closed");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
            drain();
        });
        try {
            return result.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the platform thread did not answer within " + CALL_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the platform thread", e);
        }
    }

    private CompletableFuture<OperationOutcome> operation(Duration timeout, Function<Instant, OperationToken> start) {
        PlatformConfig.requirePositive("timeout", timeout);
        CompletableFuture<OperationOutcome> future = call(() -> {
            OperationToken token = start.apply(clock.instant());
            CompletableFuture<OperationOutcome> f = new CompletableFuture<>();
            futures.put(token, f);
            return f;
        });
        // The engine completes every operation by its deadline; this only guards a stuck platform thread.
        return future.orTimeout(timeout.plus(TIMEOUT_GRACE).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Carries out the engine's actions until there are none, then re-arms the timer. */
    private void drain() {
        List<PlatformAction> batch;
        while (!(batch = engine.pollActions()).isEmpty()) {
            for (PlatformAction action : batch) {
                if (action instanceof SendToDevice send) {
                    send(send);
                } else if (action instanceof DisconnectDevice disconnect) {
                    DeviceLink l = link;
                    if (l != null) {
                        l.disconnect(disconnect.clientId());
                    }
                } else if (action instanceof Observed observed) {
                    record(observed.event());
                } else if (action instanceof OperationCompleted completed) {
                    CompletableFuture<OperationOutcome> f = futures.remove(completed.token());
                    if (f != null) {
                        ForkJoinPool.commonPool().execute(() -> f.complete(completed.outcome()));
                    }
                }
            }
        }
        waiters.removeIf(Waiter::tryComplete);
        rearmTimer();
    }

    private void send(SendToDevice send) {
        DeviceLink l = link;
        if (l == null) {
            engine.deliveryFailed(clock.instant(), send.clientId(), send.topic(), "no link is attached");
            return;
        }
        l.send(send.clientId(), send.topic(), send.payload(), send.qos(), send.deliveryTimeout())
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        LOG.debug("sending {} to {} failed: {}", send.topic(), send.clientId(), error.toString());
                        submit(e -> e.deliveryFailed(clock.instant(), send.clientId(), send.topic(), error.toString()));
                    }
                });
    }

    private void record(PlatformEvent event) {
        if (event instanceof MessageSeen seen) {
            transcript.add(seen.entry());
        } else if (event instanceof DeviceEvent deviceEvent) {
            events.add(deviceEvent);
        }
        for (PlatformObserver observer : observers) {
            try {
                event.dispatchTo(observer);
            } catch (RuntimeException e) {
                LOG.warn("platform observer {} failed on {}", observer, event, e);
            }
        }
    }

    private void rearmTimer() {
        Optional<Instant> next = engine.nextTimer();
        if (next.isPresent() && timer != null && next.get().equals(timerAt)) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
            timer = null;
            timerAt = null;
        }
        if (next.isEmpty() || closed) {
            return;
        }
        // One millisecond late rather than early, so the tick finds the timer due.
        long delay = Math.max(0, Duration.between(clock.instant(), next.get()).toNanos()) + 1_000_000;
        timerAt = next.get();
        timer = executor.schedule(() -> {
            timer = null;
            timerAt = null;
            engine.tick(clock.instant());
            drain();
        }, delay, TimeUnit.NANOSECONDS);
    }

    private <T> T await(String what, String clientId, Supplier<Optional<T>> probe, Duration timeout) {
        PlatformConfig.requirePositive("timeout", timeout);
        if (closed) {
            throw new IllegalStateException("the fake platform is closed");
        }
        Waiter<T> waiter = new Waiter<>(probe);
        executor.execute(() -> {
            if (!waiter.tryComplete()) {
                waiters.add(waiter);
            }
        });
        try {
            return waiter.future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            submit(x -> waiters.remove(waiter));
            throw new AssertionError("expected " + what + " within " + timeout.toMillis() + " ms; saw: "
                    + seen(clientId));
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for " + what + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }

    /** What the platform knows about a device, for failure messages. */
    private String seen(String clientId) {
        String view;
        try {
            view = call(() -> engine.device(clientId).map(DeviceView::toString).orElse("(not registered)"));
        } catch (RuntimeException e) {
            view = "(unavailable: " + e.getMessage() + ")";
        }
        List<TranscriptEntry> entries = transcript(clientId);
        StringBuilder b = new StringBuilder(view).append("\n  last messages of ").append(clientId).append(':');
        if (entries.isEmpty()) {
            b.append(" none");
        }
        entries.subList(Math.max(0, entries.size() - SEEN_ENTRIES), entries.size())
                .forEach(e -> b.append("\n    ").append(e));
        return b.toString();
    }

    /**
     * Every message in and out, in order, and each device's in order. Appended on the platform thread
     * (a copy-on-write list copied the whole transcript on every message: 7% of the platform
     * thread's samples with 3,000 devices coming up, issue #15), read from any thread. Guarded by
     * itself.
     */
    private static final class MessageLog {
        private final List<TranscriptEntry> all = new ArrayList<>();
        private final Map<String, List<TranscriptEntry>> byDevice = new HashMap<>();

        synchronized void add(TranscriptEntry entry) {
            all.add(entry);
            byDevice.computeIfAbsent(entry.clientId(), id -> new ArrayList<>()).add(entry);
        }

        synchronized List<TranscriptEntry> all() {
            return List.copyOf(all);
        }

        synchronized List<TranscriptEntry> of(String clientId) {
            return List.copyOf(byDevice.getOrDefault(clientId, List.of()));
        }

        synchronized Optional<TranscriptEntry> first(String clientId, Predicate<TranscriptEntry> condition) {
            return byDevice.getOrDefault(clientId, List.of()).stream().filter(condition).findFirst();
        }
    }

    /** A wait in progress: completed on the platform thread once its probe finds something. */
    private static final class Waiter<T> {
        final Supplier<Optional<T>> probe;
        final CompletableFuture<T> future = new CompletableFuture<>();

        Waiter(Supplier<Optional<T>> probe) {
            this.probe = probe;
        }

        boolean tryComplete() {
            if (future.isDone()) {
                return true;
            }
            Optional<T> found;
            try {
                found = probe.get();
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
                return true;
            }
            found.ifPresent(future::complete);
            return found.isPresent();
        }
    }

    /** Hands device publishes and refusals to the engine, on the platform thread. */
    private final class PublishInput implements DevicePublishListener {
        @Override
        public void onPublish(DevicePublish publish) {
            submit(e -> e.devicePublished(clock.instant(), publish.clientId(), publish.topic(), publish.payload(),
                    publish.qos(), publish.retain(), publish.duplicate()));
        }

        @Override
        public void onRefused(DevicePublish publish, PublishRefusal reason) {
            submit(e -> e.payloadRefused(clock.instant(), publish.clientId(), publish.topic(), reason));
        }
    }

    /** Hands device connections to the engine, on the platform thread. */
    private final class ConnectionInput implements DeviceConnectionListener {
        @Override
        public void onConnected(String clientId) {
            submit(e -> e.deviceConnected(clock.instant(), clientId));
        }

        @Override
        public void onDisconnected(String clientId) {
            submit(e -> e.deviceDisconnected(clock.instant(), clientId));
        }

        @Override
        public void onConnectRefused(String clientId, String reason) {
            submit(e -> e.brokerRefused(clock.instant(), String.valueOf(clientId),
                    PlatformEvent.BrokerRefusal.Kind.CONNECT, reason));
        }

        @Override
        public void onSubscribeRefused(String clientId, String filter) {
            submit(e -> e.brokerRefused(clock.instant(), clientId, PlatformEvent.BrokerRefusal.Kind.SUBSCRIBE, filter));
        }

        @Override
        public void onSubscribed(String clientId, String filter) {
            // On the platform thread, so observers see it in order with the device's messages.
            submit(e -> {
                Instant now = clock.instant();
                for (PlatformObserver observer : observers) {
                    try {
                        observer.onSubscribe(now, clientId, List.of(filter));
                    } catch (RuntimeException ex) {
                        LOG.warn("platform observer {} failed on a subscribe of {}", observer, clientId, ex);
                    }
                }
            });
        }
    }

    /**
     * Options of a {@link FakePlatform}. Not thread-safe; use from one thread, then {@link #build()}.
     */
    public static final class Builder {
        private PlatformConfig config = PlatformConfig.defaults();
        private InstantSource clock = InstantSource.system();
        private Consumer<EmbeddedBroker.Builder> brokerOptions = b -> { };
        private boolean withBroker = true;

        private Builder() {
        }

        /**
         * The engine's configuration (default {@link PlatformConfig#defaults()}).
         *
         * @param platformConfig the configuration; not {@code null}
         * @return this builder
         */
        public Builder config(PlatformConfig platformConfig) {
            this.config = Objects.requireNonNull(platformConfig, "config");
            return this;
        }

        /**
         * The clock; it must advance with real time, since timers are real delays (default: system).
         *
         * @param instantSource the clock; not {@code null}
         * @return this builder
         */
        public Builder clock(InstantSource instantSource) {
            this.clock = Objects.requireNonNull(instantSource, "clock");
            return this;
        }

        /**
         * Extra options for the owned broker (TLS, persistence, ...); its listeners are set by the
         * platform.
         *
         * @param options applied to the broker's builder in {@link #build()}; replaces earlier
         *     options; not {@code null}
         * @return this builder
         */
        public Builder brokerOptions(Consumer<EmbeddedBroker.Builder> options) {
            this.brokerOptions = Objects.requireNonNull(options, "brokerOptions");
            return this;
        }

        /**
         * Builds no broker: {@link FakePlatform#attach} a link (or a broker) before devices talk.
         *
         * @return this builder
         */
        public Builder withoutBroker() {
            this.withBroker = false;
            return this;
        }

        /**
         * Builds the platform and, unless {@link #withoutBroker()}, builds and starts its broker.
         *
         * @return the running platform; close it
         * @throws RuntimeException from the broker's start (the platform is closed again then)
         */
        public FakePlatform build() {
            FakePlatform platform = new FakePlatform(config, clock);
            if (withBroker) {
                EmbeddedBroker.Builder b = EmbeddedBroker.builder(platform.deviceRegistry());
                brokerOptions.accept(b);
                EmbeddedBroker owned = b.publishListener(platform.publishListener())
                        .connectionListener(platform.connectionListener())
                        .build();
                platform.attach(owned);
                platform.ownsBroker = true;
                try {
                    owned.start();
                } catch (RuntimeException e) {
                    platform.close();
                    throw e;
                }
            }
            return platform;
        }
    }
}
