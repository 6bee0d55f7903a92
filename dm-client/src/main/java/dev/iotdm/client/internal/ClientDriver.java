package dev.iotdm.client.internal;

import dev.iotdm.client.ActionResponse;
import dev.iotdm.client.ClientEvent;
import dev.iotdm.client.ClientListener;
import dev.iotdm.client.CloseOutcome;
import dev.iotdm.client.CommandHandler;
import dev.iotdm.client.CustomActionHandler;
import dev.iotdm.client.DeviceActionHandler;
import dev.iotdm.client.DmRequestException;
import dev.iotdm.client.EventPublisher;
import dev.iotdm.client.FirmwareFailureException;
import dev.iotdm.client.FirmwareHandler;
import dev.iotdm.protocol.codec.WireText;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.session.DeliveryFailedException;
import dev.iotdm.protocol.session.DeviceSession;
import dev.iotdm.protocol.session.DeviceState;
import dev.iotdm.protocol.session.DeviceStateStore;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.session.PublishFailure;
import dev.iotdm.protocol.session.RequestOutcome;
import dev.iotdm.protocol.session.SessionAction;
import dev.iotdm.protocol.session.SessionClosedException;
import dev.iotdm.protocol.session.SessionConfig;
import dev.iotdm.protocol.session.SessionEvent;
import dev.iotdm.protocol.supervisor.ConnectFailureKind;
import dev.iotdm.protocol.supervisor.ConnectionSupervisor;
import dev.iotdm.protocol.supervisor.LifecycleEvent;
import dev.iotdm.protocol.supervisor.ReconnectPolicy;
import dev.iotdm.protocol.supervisor.SupervisorAction;
import dev.iotdm.protocol.supervisor.SupervisorState;
import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.ConnectResult;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.NotConnectedException;
import dev.iotdm.transport.PublishRefusedException;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.SerialExecutor;
import dev.iotdm.transport.SubscribeResult;
import dev.iotdm.transport.Subscription;
import dev.iotdm.transport.TransportListener;
import dev.iotdm.transport.WindowFullException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pumps one device's {@link DeviceSession} and {@link ConnectionSupervisor}: performs their
 * actions on the transport, feeds them the transport's results, runs the application's handlers
 * on the callback executor and completes the facade's futures. The facade
 * ({@code ManagedClient}) owns the public API; this class owns everything that moves.
 *
 * <p>Owns: the serial executor every engine call runs on, the one timer (the earliest of the
 * session's timer, the supervisor's deadline and the connect waiters' deadlines), the
 * connection epoch that tells stale transport callbacks apart, and the futures waiting for
 * session tokens.
 *
 * <p>Every hand-off to the callback executor survives its rejection (an application that shut
 * its executor down): futures then complete on the serial executor, a handler that cannot run
 * answers its request as failed, and listeners and commands are logged as not delivered. No
 * action of the session is dropped because an earlier one failed.
 *
 * <p>Thread-safety: public methods may be called from any thread; state is confined to the
 * serial executor.
 */
public final class ClientDriver {

    private static final Logger LOG = LoggerFactory.getLogger(ClientDriver.class);

    /**
     * What the facade's builder decided.
     *
     * @param transport the transport
     * @param connectOptions the options every connect uses (version resolved)
     * @param clock the clock
     * @param scheduler the scheduler of the one timer
     * @param pool the pool the serial executor runs on
     * @param callbacks the executor of handlers, listeners and future completions
     * @param store where the device state survives restarts
     * @param connectTimeout how long {@link #connect()} waits for a ready connection, all attempts included
     * @param reconnectPolicy the reconnect backoff
     * @param random the backoff jitter's source
     * @param session the session configuration
     * @param handlers the application's handlers and listeners
     * @param outboundLimit how many publishes may wait for in-flight room, at least 1
     * @param retryUntilFirstConnect whether failed attempts are retried before a first success
     */
    public record Settings(MqttTransport transport, MqttConnectOptions connectOptions, InstantSource clock,
            ScheduledExecutorService scheduler, Executor pool, Executor callbacks, DeviceStateStore store,
            Duration connectTimeout, ReconnectPolicy reconnectPolicy, RandomGenerator random, SessionConfig session,
            Handlers handlers, int outboundLimit, boolean retryUntilFirstConnect) {
        /** Validates the limit. */
        public Settings {
            if (outboundLimit < 1) {
                throw new IllegalArgumentException("outboundLimit must be at least 1, got " + outboundLimit);
            }
        }
    }

    /**
     * The application's handlers; absent ones are null.
     *
     * @param firmware firmware download and install
     * @param deviceAction reboot and factory reset
     * @param customActions custom actions by bundle id
     * @param anyCustomAction custom actions of other declared bundles
     * @param commands commands by command id
     * @param anyCommand other commands
     * @param listeners lifecycle and session event listeners
     */
    public record Handlers(FirmwareHandler firmware, DeviceActionHandler deviceAction,
            Map<String, CustomActionHandler> customActions, CustomActionHandler anyCustomAction,
            Map<String, CommandHandler> commands, CommandHandler anyCommand, List<ClientListener> listeners) {
        /** Copies the maps and list. */
        public Handlers {
            customActions = Map.copyOf(customActions);
            commands = Map.copyOf(commands);
            listeners = List.copyOf(listeners);
        }
    }

    /** A call into the session that returns the token of its outcome. */
    public interface TokenCall {
        /** Calls the session. */
        long call(DeviceSession session, Instant now);
    }

    /** A call into the session without a token. */
    public interface SessionCall {
        /** Calls the session. */
        void call(DeviceSession session, Instant now);
    }

    /** How a session token's outcome becomes a future's value; {@code asked} starts its latency. */
    private record Completion(String request, CompletableFuture<Object> future, Instant asked) {
    }

    private final MqttTransport transport;
    private final MqttConnectOptions connectOptions;
    private final InstantSource clock;
    private final ScheduledExecutorService scheduler;
    private final SerialExecutor serial;
    private final Executor callbacks;
    private final DeviceStateStore store;
    private final Duration connectTimeout;
    private final Handlers handlers;
    private final int outboundLimit;
    /** Decode and protocol problems: one WARN line per 10 s at most, the rest counted. */
    private final RateLimitedLog problems = new RateLimitedLog(Duration.ofSeconds(10), LOG::warn);

    // Owned by the serial executor.
    /**
     * The one outbound queue: publishes waiting for room in the transport's in-flight window,
     * oldest first. Responses, notifies, requests and events all wait here instead of failing.
     */
    private final ArrayDeque<SessionAction.Publish> outbound = new ArrayDeque<>();
    private final DeviceSession session;
    private final ConnectionSupervisor supervisor;
    private final Map<Long, Completion> completions = new HashMap<>();
    private final Map<CompletableFuture<Void>, Instant> connectWaiters = new LinkedHashMap<>();
    private Instant supervisorDeadline;
    /** The last failed attempt's cause, named by a connect() that times out. */
    private Throwable lastConnectFailure;
    private ScheduledFuture<?> timer;
    private Instant timerAt;
    private long timerGeneration;
    private int connectionEpoch;
    private boolean closed;
    /** Set when a graceful close starts: new requests and events fail, replies still go out. */
    private boolean closing;
    /** Completes when nothing decided waits any more (see {@link #checkFlushed()}); null until closing. */
    private CompletableFuture<Void> flushed;
    /**
     * The reqIds of device and custom actions whose handler was started and has not answered
     * yet: a graceful close waits for their answers too, so that a handler that starts the
     * device's restart and then returns its 202 loses nothing.
     */
    private final Set<String> actionsAwaited = new HashSet<>();
    /** When the lifetime of the last successful manage runs out; null when managed for ever or not managed. */
    private Instant managedUntil;
    /** When the last manage succeeded (the answer's arrival), for the lapse's event. */
    private Instant lastManaged;
    /** The lifetime of the last successful manage. */
    private Duration managedLifetime;
    /** Publishes the events a command handler replies with. */
    private final EventPublisher events = this::publishEvent;

    // What the facade's read-only accessors return: refreshed on the serial executor whenever the
    // session may have changed, so reading never waits for (or deadlocks on) the serial executor.
    private volatile DeviceInfo deviceInfoView;
    private volatile FirmwareInfo firmwareView;
    private volatile boolean readyView;
    /** Whether the supervisor is trying to connect or connected (not idle, not closed). */
    private volatile boolean startedView;
    /** Whether a connection ever succeeded. */
    private volatile boolean everConnectedView;
    /** Whether the session manages or is asked to (also from a restored state). */
    private volatile boolean wantsManagedView;
    private volatile int pendingView;
    private volatile int queuedView;
    private volatile int unacknowledgedView;
    private volatile int actionsAwaitedView;

    /**
     * A driver starting from the store's saved state.
     *
     * @throws dev.iotdm.protocol.session.StateStoreException when the saved state cannot be read
     */
    public ClientDriver(Settings s) {
        this.transport = s.transport();
        this.connectOptions = s.connectOptions();
        this.clock = s.clock();
        this.scheduler = s.scheduler();
        this.serial = new SerialExecutor(s.pool());
        this.callbacks = s.callbacks();
        this.store = s.store();
        this.connectTimeout = s.connectTimeout();
        this.handlers = s.handlers();
        this.outboundLimit = s.outboundLimit();
        DeviceState saved = store.load().orElse(DeviceState.INITIAL);
        this.session = new DeviceSession(s.session(), saved);
        this.supervisor = new ConnectionSupervisor(s.reconnectPolicy(), s.random(), s.retryUntilFirstConnect());
        refreshViews();
    }

    // ---- what the facade calls -----------------------------------------------------------------

    /** The current time of the client's clock. */
    public Instant now() {
        return clock.instant();
    }

    /** Connects and keeps connecting; see {@code ManagedClient.connect()}. */
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
            connectWaiters.put(ready, now().plus(connectTimeout));
            runSupervisor(supervisor.start(now()));
            rearm();
        });
        return ready;
    }

    /**
     * Whether the client connects or is connected: connect() was called and neither failed for
     * good (before a first success, without retries) nor was the client closed.
     */
    public boolean isStarted() {
        return startedView;
    }

    /**
     * Whether the session is managed or asked to manage, also from the state a restarted device
     * restored (as of the last step).
     */
    public boolean wantsManaged() {
        return wantsManagedView;
    }

    /** Whether a connection was ever up (as of the last step). */
    public boolean hasConnected() {
        return everConnectedView;
    }

    /** Whether the connection is up and subscribed (as of the last step). */
    public boolean isReady() {
        return readyView;
    }

    /** The deviceInfo as of the last step. */
    public DeviceInfo deviceInfo() {
        return deviceInfoView;
    }

    /** The firmware object as of the last step. */
    public FirmwareInfo firmware() {
        return firmwareView;
    }

    /** How many requests' futures wait for their outcome (as of the last step). */
    public int pendingRequests() {
        return pendingView;
    }

    /** How many publishes wait in the outbound queue for in-flight room (as of the last step). */
    public int queuedPublishes() {
        return queuedView;
    }

    /**
     * Starts a session call whose token completes the returned future: with the platform's
     * response, {@code null} for a delivered event, or the failure.
     */
    public CompletableFuture<Object> request(String what, TokenCall call) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        Instant asked = now();
        serial.execute(() -> {
            if (closed || closing) {
                failLater(future, new SessionClosedException(what + ": the client is " + (closed ? "closed" : "closing")));
                return;
            }
            try {
                long token = call.call(session, now());
                completions.put(token, new Completion(what, future, asked));
            } catch (RuntimeException e) {
                failLater(future, e);
            }
            drainSession();
        });
        return future;
    }

    /**
     * Publishes an event; see {@code ManagedClient.publishEvent(Event, Qos)}.
     *
     * @param event the event
     * @param qos its quality of service
     * @return completes when the broker has it
     */
    public CompletableFuture<Void> publishEvent(Event event, Qos qos) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(qos, "qos");
        return request("event " + event.eventId(), (s, now) -> s.publishEvent(now, event, qos.code()))
                .thenApply(x -> null);
    }

    /** Runs a session call; the future completes when it ran, or fails with what it threw. */
    public CompletableFuture<Void> run(SessionCall call) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        serial.execute(() -> {
            try {
                call.call(session, now());
                completeLater(done, null);
            } catch (RuntimeException e) {
                failLater(done, e);
            }
            drainSession();
        });
        return done;
    }

    /**
     * Stops gracefully: first waits, at most {@code flushTimeout}, until every reply the session
     * decided has its PUBACK and every started device or custom action handler has answered (new
     * requests and events fail meanwhile), then fails every pending future, disconnects (waiting
     * at most a few seconds) and, when {@code closeTransport}, releases the transport. What is
     * still unacknowledged when the timeout passes is reported: the outcome, a
     * {@link ClientEvent.UnacknowledgedAtClose} event and a WARN line.
     *
     * @param closeTransport whether to release the transport too
     * @param flushTimeout how long to wait for the decided replies; zero waits for nothing
     * @return whether everything decided reached the broker
     */
    public CloseOutcome close(boolean closeTransport, Duration flushTimeout) {
        long started = System.nanoTime();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        serial.execute(() -> {
            if (closed) {
                drained.complete(null);
                return;
            }
            closing = true;
            flushed = drained;
            checkFlushed();
        });
        if (!flushTimeout.isZero()) {
            try {
                drained.get(flushTimeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("the flush on close ended: {}", e.toString());
            }
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        CompletableFuture<CloseOutcome> done = new CompletableFuture<>();
        serial.execute(() -> {
            if (closed) {
                done.complete(new CloseOutcome.Flushed(Duration.ZERO));
                return;
            }
            CloseOutcome outcome = flushOutcome(waited, flushTimeout);
            closed = true;
            dropOutbound();
            session.close(now());
            drainSession();
            runSupervisor(supervisor.close(now()));
            timerGeneration++;
            if (timer != null) {
                timer.cancel(false);
            }
            if (!connectWaiters.isEmpty()) {
                failConnectWaiters(new SessionClosedException("the client was closed"));
            }
            refreshViews();
            done.complete(outcome);
        });
        CloseOutcome outcome = null;
        try {
            outcome = done.get(5, TimeUnit.SECONDS);
            transport.disconnect().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("disconnect on close did not complete cleanly: {}", e.toString());
        } finally {
            if (closeTransport) {
                transport.close();
            }
            closeStore();
        }
        if (outcome == null) {
            // The session did not stop in time (a stuck pool): report what the last step showed.
            outcome = flushOutcome(unacknowledgedView, actionsAwaitedView, waited, flushTimeout);
        }
        return outcome;
    }

    /**
     * What the flush achieved, from the session's figures; an unacknowledged rest is also told
     * as an event and a WARN line. Runs on the serial executor only.
     */
    private CloseOutcome flushOutcome(Duration waited, Duration flushTimeout) {
        return flushOutcome(session.unacknowledgedReplies(), actionsAwaited.size(), waited, flushTimeout);
    }

    private CloseOutcome flushOutcome(int replies, int actions, Duration waited, Duration flushTimeout) {
        if (replies == 0 && actions == 0) {
            return new CloseOutcome.Flushed(waited);
        }
        LOG.warn("closing with {} replies (answers, notifies) not acknowledged by the broker and {} device or custom"
                + " actions unanswered after waiting {} ms: the next start notifies the observed fields the platform"
                + " did not acknowledge, and the saved answers answer a request the platform repeats; give close(Duration)"
                + " a longer flush timeout to wait for a reconnect", replies, actions, flushTimeout.toMillis());
        tell(new ClientEvent.UnacknowledgedAtClose(replies, actions, flushTimeout));
        return new CloseOutcome.Unacknowledged(replies, actions, flushTimeout);
    }

    /**
     * Completes the graceful close's wait once nothing decided waits: no unacknowledged reply and
     * no started action handler without its answer. Runs on the serial executor only.
     */
    private void checkFlushed() {
        if (flushed != null && actionsAwaited.isEmpty() && session.unacknowledgedReplies() == 0) {
            flushed.complete(null); // the closing caller waits on it; nothing else depends on it
        }
    }

    /** Releases what the store holds open (a file store's journal), if it holds anything. */
    private void closeStore() {
        if (store instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing the state store: {}", e.toString());
            }
        }
    }

    // ---- hand-offs to the callback executor ----------------------------------------------------

    /** Completes a future for the application on the callback executor, never on the serial one. */
    private <T> void completeLater(CompletableFuture<T> future, T value) {
        handOff("a future's completion", () -> future.complete(value), () -> future.complete(value));
    }

    /** Fails a future for the application on the callback executor, never on the serial one. */
    private void failLater(CompletableFuture<?> future, Throwable cause) {
        handOff("a future's failure", () -> future.completeExceptionally(cause),
                () -> future.completeExceptionally(cause));
    }

    /**
     * Hands a task to the callback executor. When the executor refuses it (the application shut
     * it down), {@code onRejected} runs here instead: never throws, so the caller's remaining
     * work (the rest of the session's actions) still happens.
     */
    private void handOff(String what, Runnable task, Runnable onRejected) {
        try {
            callbacks.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.warn("the callback executor refused {}: {}", what, e.toString());
            try {
                onRejected.run();
            } catch (RuntimeException r) {
                LOG.error("handling the refused {} failed", what, r);
            }
        }
    }

    // ---- the session's actions -----------------------------------------------------------------

    /** Refreshes what the read-only accessors return. Runs on the serial executor only. */
    private void refreshViews() {
        deviceInfoView = session.deviceInfo();
        firmwareView = session.firmware();
        readyView = !closed && session.isReady();
        wantsManagedView = session.wantsManaged();
        pendingView = completions.size();
        queuedView = outbound.size();
        unacknowledgedView = session.unacknowledgedReplies();
        actionsAwaitedView = actionsAwaited.size();
    }

    /** Performs what the session asked for, in order. Runs on the serial executor only. */
    private void drainSession() {
        // First, so that anything the actions below make visible (a publish, a completed future)
        // happens after the accessors show the state that caused it.
        refreshViews();
        List<SessionAction> actions;
        // Until none are left: performing one may feed the session (a publish failing at once).
        while (!(actions = session.pollActions()).isEmpty()) {
            for (SessionAction a : actions) {
                try {
                    perform(a);
                } catch (RuntimeException e) {
                    // One broken action must not drop the ones after it (publishes included).
                    LOG.error("performing {} failed", a.getClass().getSimpleName(), e);
                }
            }
            refreshViews();
        }
        checkFlushed();
        rearm();
    }

    private void perform(SessionAction a) {
        if (a instanceof SessionAction.Publish p) {
            publish(p);
        } else if (a instanceof SessionAction.Subscribe s) {
            subscribe(s.filters());
        } else if (a instanceof SessionAction.Persist p) {
            // Synchronous on purpose: the actions after a Persist (the answer's publish above
            // all) wait until the store returns, i.e. until the state is written, and forced to
            // disk when the session asks for a durable save.
            try {
                store.save(p.state(), p.durable());
            } catch (RuntimeException e) {
                LOG.error("could not save the device state: {}", e.getMessage());
                tell(new ClientEvent.StateNotSaved(String.valueOf(e.getMessage())));
            }
        } else if (a instanceof SessionAction.Disconnect d) {
            LOG.warn("disconnecting: {}", WireText.escape(d.reason()));
            failConnectWaiters(new IllegalStateException(d.reason()));
            abandonConnection(d.reason());
        } else if (a instanceof SessionAction.Emit e) {
            dispatch(e.event());
        }
    }

    /** Sends a publish now when the window has room and nothing waits before it; else queues it. */
    private void publish(SessionAction.Publish p) {
        if (outbound.isEmpty() && transport.inFlightCapacity() > 0) {
            write(p);
            return;
        }
        if (outbound.size() >= outboundLimit) {
            // The queue is bounded: this publish fails as WINDOW_FULL, with an event and a log line.
            LOG.warn("the outbound queue is full ({} publishes wait for the in-flight window): a publish to {}"
                    + " fails", outboundLimit, WireText.escape(p.topic()));
            tell(new ClientEvent.OutboundQueueFull(p.topic(), outboundLimit));
            session.publishFailed(now(), p.id(), PublishFailure.WINDOW_FULL);
            return;
        }
        outbound.addLast(p);
    }

    /** Sends what waits, oldest first, while the window has room. */
    private void pumpOutbound() {
        while (!outbound.isEmpty() && transport.inFlightCapacity() > 0) {
            write(outbound.pollFirst());
        }
    }

    private void write(SessionAction.Publish p) {
        long id = p.id();
        int epoch = connectionEpoch;
        CompletableFuture<Void> sent;
        try {
            sent = transport.publish(p.topic(), p.payload(), Qos.fromCode(p.qos()).orElseThrow());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, err) -> serial.execute(() -> {
            if (err == null) {
                session.publishCompleted(now(), id);
            } else {
                Throwable cause = unwrap(err);
                if (cause instanceof WindowFullException && epoch == connectionEpoch && !closed) {
                    // Nothing was written: it waits first in line for the room onWritable reports.
                    outbound.addFirst(p);
                    drainSession();
                    return;
                }
                PublishFailure failure = publishFailure(cause);
                if (failure != PublishFailure.NOT_CONNECTED) {
                    LOG.warn("a publish to {} failed ({}): {}", WireText.escape(p.topic()), failure,
                            WireText.escape(String.valueOf(cause.getMessage())));
                }
                // Not connected is "not delivered yet": connectionLost follows, and the session
                // decides what goes out again after the reconnect.
                session.publishFailed(now(), id, failure);
            }
            pumpOutbound();
            drainSession();
        }));
    }

    /**
     * The connection ended: what waited in the queue was never written, so it fails as not
     * connected ("not delivered yet"), like the publishes the transport had in flight.
     */
    private void dropOutbound() {
        while (!outbound.isEmpty()) {
            session.publishFailed(now(), outbound.pollFirst().id(), PublishFailure.NOT_CONNECTED);
        }
    }

    /** The transport's publish failure as the engine's pure kind. */
    static PublishFailure publishFailure(Throwable cause) {
        if (cause instanceof NotConnectedException || cause instanceof TimeoutException) {
            // A timed-out publish is "not delivered yet", never "done" (issue #10).
            return PublishFailure.NOT_CONNECTED;
        }
        if (cause instanceof IllegalArgumentException) {
            return PublishFailure.TOO_LARGE; // the transport refused the message itself (e.g. its size)
        }
        if (cause instanceof WindowFullException) {
            return PublishFailure.WINDOW_FULL;
        }
        if (cause instanceof PublishRefusedException) {
            return PublishFailure.REFUSED_BY_BROKER;
        }
        // Any other failure: the broker did not take the message; the log line names the cause.
        return PublishFailure.REFUSED_BY_BROKER;
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
                if (!(unwrap(err) instanceof NotConnectedException)) {
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

    /**
     * Drops a connection the client cannot use and lets the supervisor reconnect with backoff, as
     * after a loss (a permanent failure would be ignored by the supervisor once connected).
     */
    private void abandonConnection(String reason) {
        connectionEpoch++; // the transport's own callbacks for this connection no longer count
        transport.disconnect();
        dropOutbound();
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
        supervisorLost(reason, null);
    }

    /** {@link #supervisorLost(String)} with the exception behind it, for the lifecycle events. */
    private void supervisorLost(String reason, Throwable cause) {
        runSupervisor(supervisor.state() == SupervisorState.CONNECTED
                ? supervisor.connectionLost(now(), reason)
                : supervisor.connectFailed(now(), ConnectFailureKind.TRANSIENT, reason), cause);
    }

    private void dispatch(SessionEvent event) {
        if (event instanceof SessionEvent.RequestCompleted rc) {
            Completion c = completions.remove(rc.token());
            if (c != null) {
                lifetimeAfter(c.request(), rc.outcome());
                complete(c, rc.outcome());
                tell(new ClientEvent.RequestCompleted(c.request(), rc.outcome(), Duration.between(c.asked(), now())));
            }
        } else if (event instanceof SessionEvent.Ready ready) {
            runSupervisor(supervisor.connectSucceeded(now(), ready.sessionPresent()));
            for (CompletableFuture<Void> w : connectWaiters.keySet()) {
                completeLater(w, null);
            }
            connectWaiters.clear();
            tell(event);
        } else if (event instanceof SessionEvent.AutoManageSucceeded) {
            managedNow();
            tell(event);
        } else if (event instanceof SessionEvent.FirmwareDownloadRequested d) {
            runFirmware(d.image(), true);
        } else if (event instanceof SessionEvent.FirmwareInstallRequested i) {
            runFirmware(i.image(), false);
        } else if (event instanceof SessionEvent.DeviceActionRequested d) {
            handleAction(d.reqId(), true, () -> handlers.deviceAction().handle(d.kind(), d.reqId()));
        } else if (event instanceof SessionEvent.CustomActionRequested c) {
            CustomActionHandler h = handlers.customActions().getOrDefault(c.action().bundleId(),
                    handlers.anyCustomAction());
            handleAction(c.action().reqId(), false, () -> {
                CompletionStage<ActionResponse> stage = h.handle(c.action());
                // There is no later way to answer a custom action: no answer is a failed one (§8.4).
                return stage != null ? stage : CompletableFuture.completedFuture(
                        ActionResponse.failed("the custom action handler returned no answer"));
            });
        } else if (event instanceof SessionEvent.CommandReceived c) {
            CommandHandler h = handlers.commands().getOrDefault(c.command().commandId(), handlers.anyCommand());
            if (h != null) {
                String id = WireText.escape(c.command().commandId());
                handOff("command " + id, () -> {
                    try {
                        h.onCommand(c.command(), events);
                    } catch (Exception e) {
                        LOG.warn("command handler for {} failed: {}", id, e.toString());
                    }
                }, () -> LOG.warn("command {} not handled: the callback executor refused it", id));
            }
        } else {
            if (event instanceof SessionEvent.ProtocolProblem p) {
                problems.log(now(), "protocol problem: " + WireText.escape(p.description()));
            } else if (event instanceof SessionEvent.OfflineQueueFull q) {
                LOG.warn("not connected: {} fails (the offline policy lets {} wait)", WireText.escape(q.what()),
                        q.limit());
            }
            tell(event);
        }
    }

    /** A manage or unmanage the application asked for ended: the lifetime starts again or stops. */
    private void lifetimeAfter(String request, RequestOutcome outcome) {
        if (!(outcome instanceof RequestOutcome.Answered a) || !a.response().rc().isSuccess()) {
            return;
        }
        if (request.equals("manage")) {
            managedNow();
        } else if (request.equals("unmanage()")) {
            managedUntil = null; // no longer managed: nothing can lapse
        }
    }

    /**
     * A manage succeeded now: its lifetime (0 = for ever) runs from here. The platform counts from
     * the manage's arrival, a little earlier, so a lapse is never reported before it happened.
     */
    private void managedNow() {
        Optional<ManageParams> params = session.state().manage();
        long seconds = params.map(ManageParams::lifetimeSeconds).orElse(0L);
        lastManaged = now();
        managedLifetime = Duration.ofSeconds(seconds);
        managedUntil = seconds == 0 ? null : lastManaged.plus(managedLifetime);
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

    /** The engine's pure "not connected" becomes the SPI's exception, the one type users catch. */
    private static Throwable userFacing(Throwable cause) {
        if (cause instanceof DeliveryFailedException d && d.failure() == PublishFailure.NOT_CONNECTED) {
            return new NotConnectedException(d.getMessage());
        }
        return cause;
    }

    private interface ActionCall {
        CompletionStage<ActionResponse> call() throws Exception;
    }

    /** Runs a device or custom action handler on the callback executor and answers with its result. */
    private void handleAction(String reqId, boolean deviceAction, ActionCall call) {
        actionsAwaited.add(reqId);
        handOff("the handler of " + WireText.escape(reqId), () -> {
            CompletionStage<ActionResponse> stage;
            try {
                stage = call.call();
            } catch (Exception e) {
                stage = CompletableFuture.completedFuture(ActionResponse.failed(String.valueOf(e.getMessage())));
            }
            if (stage == null) {
                // The application answers later with respondDeviceAction, from its own thread: a
                // close it calls after that answer cannot overtake it, so the close need not wait.
                serial.execute(() -> {
                    actionsAwaited.remove(reqId);
                    checkFlushed();
                });
                return;
            }
            stage.whenComplete((res, err) -> serial.execute(() -> {
                ActionResponse answer = err != null ? ActionResponse.failed(String.valueOf(unwrap(err).getMessage()))
                        : res != null ? res : ActionResponse.failed("the handler completed without an answer");
                answerAction(reqId, deviceAction, answer);
            }));
        }, () -> answerAction(reqId, deviceAction,
                ActionResponse.failed("the device could not run its handler: the callback executor refused it")));
    }

    private void answerAction(String reqId, boolean deviceAction, ActionResponse answer) {
        actionsAwaited.remove(reqId);
        try {
            if (deviceAction) {
                session.respondDeviceAction(now(), reqId, answer.rc(), answer.message().orElse(null));
            } else {
                session.respondCustomAction(now(), reqId, answer.rc(), answer.message().orElse(null));
            }
        } catch (RuntimeException e) {
            LOG.warn("could not answer {}: {}", WireText.escape(reqId), e.getMessage());
        }
        drainSession();
    }

    private interface FirmwareCall {
        CompletionStage<Void> call() throws Exception;
    }

    /**
     * Runs the firmware handler on the callback executor. Its outcome goes to the engine, which
     * maps it (and the seed's default failure statuses) onto the firmware table.
     */
    private void runFirmware(FirmwareInfo image, boolean download) {
        FirmwareHandler h = handlers.firmware();
        FirmwareCall call = download ? () -> h.download(image) : () -> h.install(image);
        String what = download ? "the firmware download" : "the firmware install";
        handOff(what, () -> {
            CompletionStage<Void> stage;
            try {
                stage = call.call();
            } catch (Exception e) {
                stage = CompletableFuture.failedFuture(e);
            }
            if (stage == null) {
                return; // seed style: the application reports with setState / setUpdateStatus
            }
            stage.whenComplete((ok, err) -> serial.execute(() -> firmwareFinished(what, download, err)));
        }, () -> firmwareFinished(what, download, new RejectedExecutionException("the callback executor refused it")));
    }

    private void firmwareFinished(String what, boolean download, Throwable err) {
        Throwable cause = err == null ? null : unwrap(err);
        try {
            boolean applied = cause == null ? session.firmwareHandlerSucceeded(now(), download)
                    : session.firmwareHandlerFailed(now(), download, cause instanceof FirmwareFailureException f
                            ? Optional.of(f.status()) : Optional.<UpdateStatus>empty());
            if (!applied) {
                LOG.debug("{} finished after the application had reported it", what);
            } else if (cause != null) {
                LOG.warn("{} failed: {}", what, cause.toString());
            }
        } catch (RuntimeException e) {
            LOG.warn("the outcome of {} was ignored: {}", what, e.getMessage());
        }
        drainSession();
    }

    private void tell(SessionEvent event) {
        tell(new ClientEvent.Session(event));
    }

    private void tell(ClientEvent event) {
        for (ClientListener l : handlers.listeners()) {
            if (l instanceof HandlerRegistry.AllListeners all && all.isEmpty()) {
                continue; // nobody listens: no callback thread to wake
            }
            handOff("a listener event", () -> {
                try {
                    l.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("listener failed on {}: {}", event, e.toString());
                }
            }, () -> LOG.warn("event not delivered to a listener (the callback executor refused it): {}", event));
        }
    }

    private void failConnectWaiters(Throwable cause) {
        for (CompletableFuture<Void> w : connectWaiters.keySet()) {
            failLater(w, cause);
        }
        connectWaiters.clear();
    }

    // ---- the one timer -------------------------------------------------------------------------

    /**
     * Sets the one timer to the earliest of the session's timer, the supervisor's deadline and
     * the connect waiters' deadlines. A cancelled timer may already have queued its task: the
     * generation tells it apart.
     */
    private void rearm() {
        Instant next = null;
        if (!closed) {
            next = session.nextTimer().orElse(null);
            next = earlier(next, supervisorDeadline);
            next = earlier(next, managedUntil);
            for (Instant w : connectWaiters.values()) {
                next = earlier(next, w);
            }
        }
        if (Objects.equals(next, timerAt)) {
            return;
        }
        if (timer != null && !closed && (next == null || !next.isBefore(timerAt))) {
            // Armed no later than needed: it fires early, finds nothing due and rearms. Moving it
            // on every request (each one's deadline is later than the last) would wake the timer
            // thread once per request: one wake-up in five on a round trip's path (issue #15 profile).
            return;
        }
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        timerAt = next;
        if (next == null) {
            return;
        }
        long generation = ++timerGeneration;
        timer = scheduler.schedule(() -> serial.execute(() -> {
            if (closed || generation != timerGeneration) {
                return;
            }
            timer = null;
            timerAt = null;
            fire(now());
        }), nanosUntil(next), TimeUnit.NANOSECONDS);
    }

    /** The timer fired: everything due runs. */
    private void fire(Instant now) {
        for (Iterator<Map.Entry<CompletableFuture<Void>, Instant>> it = connectWaiters.entrySet().iterator();
                it.hasNext();) {
            Map.Entry<CompletableFuture<Void>, Instant> w = it.next();
            if (!w.getValue().isAfter(now)) {
                it.remove();
                failLater(w.getKey(), connectTimedOut());
            }
        }
        if (supervisorDeadline != null && !supervisorDeadline.isAfter(now)) {
            supervisorDeadline = null;
            runSupervisor(supervisor.tick(now));
        }
        if (managedUntil != null && !managedUntil.isAfter(now)) {
            // Before the session's tick, which may send the late re-manage: the lapse came first.
            managedUntil = null;
            LOG.warn("the manage lifetime of {} s ran out at {} without a successful re-manage: the platform counts"
                    + " the device as dormant until a manage succeeds (the client keeps trying)",
                    managedLifetime.toSeconds(), lastManaged.plus(managedLifetime));
            tell(new ClientEvent.ManageLapsed(managedLifetime, lastManaged));
        }
        session.tick(now);
        drainSession(); // rearms
    }

    /** A connect() that waited its connectTimeout: what it waited for, and the last attempt's cause. */
    private TimeoutException connectTimedOut() {
        TimeoutException e = new TimeoutException("connect(): no connection to " + connectOptions.host() + ":"
                + connectOptions.port() + " was ready (CONNACK and the SUBACK of the device-management"
                + " subscription) within " + connectTimeout.toMillis() + " ms (ManagedClient.Builder.connectTimeout)"
                + (lastConnectFailure == null ? "; the attempt is still under way"
                        : "; the last attempt failed: " + lastConnectFailure.getMessage())
                + "; the client keeps trying");
        if (lastConnectFailure != null) {
            e.initCause(lastConnectFailure);
        }
        return e;
    }

    private static Instant earlier(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    /** The delay until {@code at} in nanoseconds, never negative; rounding down would fire timers early. */
    private long nanosUntil(Instant at) {
        Duration d = Duration.between(now(), at);
        if (d.isNegative()) {
            return 0;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    // ---- connection supervision ----------------------------------------------------------------

    private void runSupervisor(List<SupervisorAction> actions) {
        runSupervisor(actions, null);
    }

    /**
     * Performs the supervisor's actions; {@code cause} (may be null) is the exception behind the
     * input, carried by the lifecycle events it produced.
     */
    private void runSupervisor(List<SupervisorAction> actions, Throwable cause) {
        for (SupervisorAction a : actions) {
            if (a instanceof SupervisorAction.Connect) {
                startConnect();
            } else if (a instanceof SupervisorAction.ScheduleTimer t) {
                supervisorDeadline = t.at();
            } else if (a instanceof SupervisorAction.CancelTimer) {
                supervisorDeadline = null;
            } else if (a instanceof SupervisorAction.Emit e) {
                LifecycleEvent event = e.event();
                log(event);
                if (event instanceof LifecycleEvent.GaveUp g) {
                    failConnectWaiters(new IllegalStateException("gave up connecting: " + g.reason()));
                } else if (event instanceof LifecycleEvent.ConnectFailed f) {
                    failConnectWaiters(cause != null ? cause : new IllegalStateException("connect failed: " + f.cause()));
                }
                tell(new ClientEvent.Lifecycle(event, Optional.ofNullable(cause)));
            }
        }
        startedView = !closed && supervisor.state() != SupervisorState.IDLE
                && supervisor.state() != SupervisorState.CLOSED;
        everConnectedView |= supervisor.state() == SupervisorState.CONNECTED;
        rearm();
    }

    /** The lifecycle in the log, with the causes the supervisor's events carry. */
    private static void log(LifecycleEvent event) {
        if (event instanceof LifecycleEvent.ReconnectScheduled r) {
            LOG.info("reconnecting in {} (attempt {}): {}", r.delay(), r.attempt(), WireText.escape(r.cause()));
        } else if (event instanceof LifecycleEvent.Disconnected d) {
            LOG.warn("connection lost: {}", WireText.escape(d.reason()));
        } else if (event instanceof LifecycleEvent.AuthenticationFailed a) {
            LOG.warn("the broker refused the credentials: {}", WireText.escape(a.detail()));
        } else if (event instanceof LifecycleEvent.GaveUp g) {
            LOG.error("gave up connecting: {}", WireText.escape(g.reason()));
        } else if (event instanceof LifecycleEvent.ConnectFailed f) {
            LOG.warn("connect failed: {}; no automatic retry before a first successful connect: call connect()"
                    + " again, or build the client with retryUntilFirstConnect(true)", WireText.escape(f.cause()));
        } else if (event instanceof LifecycleEvent.ClientIdTakeOverSuspected t) {
            LOG.warn("another client may use this client id: {} short-lived connections", t.lossesInWindow());
        } else {
            LOG.debug("{}", event);
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
            public void onWritable() {
                serial.execute(() -> {
                    if (epoch == connectionEpoch && !closed) {
                        pumpOutbound();
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
                    dropOutbound();
                    session.connectionLost(now());
                    drainSession();
                    supervisorLost(reason, cause);
                });
            }
        };
        CompletableFuture<ConnectResult> attempt;
        try {
            attempt = transport.connect(connectOptions, listener);
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
                Throwable cause = ConnectFailureText.explain(unwrap(err), connectOptions);
                ConnectFailureKind kind = kindOf(cause);
                lastConnectFailure = cause;
                // connect() completes with the first attempt's failure unless the client retries
                // until a first success; a refusal of the credentials or protocol fails it at once too.
                if (kind != ConnectFailureKind.TRANSIENT || supervisor.stopsOnFailure()) {
                    failConnectWaiters(cause);
                }
                runSupervisor(supervisor.connectFailed(now(), kind, String.valueOf(cause.getMessage())), cause);
                return;
            }
            // The supervisor hears of success only when the session is Ready (both SUBACKs in, §13.2).
            session.connected(now(), result.sessionPresent());
            drainSession();
        }));
    }

    private static ConnectFailureKind kindOf(Throwable cause) {
        if (cause instanceof IllegalArgumentException) {
            // The transport refused the options themselves: retrying cannot help, and connect()
            // should say why at once.
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

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
