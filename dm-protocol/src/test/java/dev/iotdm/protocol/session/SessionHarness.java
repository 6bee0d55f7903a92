package dev.iotdm.protocol.session;

import dev.iotdm.protocol.codec.Codec;
import dev.iotdm.protocol.codec.DecodeResult;
import dev.iotdm.protocol.codec.Decoded;
import dev.iotdm.protocol.firmware.FirmwareInput;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.DeviceRequest;
import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LogEntry;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Message;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.Rc;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Drives one {@link DeviceSession} the way a transport and an application would, on a virtual
 * clock, so tests read like the protocol:
 *
 * <pre>{@code
 * SessionHarness h = SessionHarness.builder().configure(c -> c.deviceActionHandler(true)).build();
 * h.connectAndManage(ManageParams.of(0, true, false));
 * String reqId = h.platform().sendReboot();
 * h.takeEvent(SessionEvent.DeviceActionRequested.class);
 * h.respondDeviceAction(reqId, Rc.ACCEPTED);
 * assertThat(h.takeResponse()).hasRc(202).hasReqId(reqId);
 * }</pre>
 *
 * <p>What it does with the session's actions, in order: a {@code Publish} is decoded with the
 * codec and queued for {@link #takePublished}, then acknowledged at once ({@link Acks#AUTO}) or
 * held for {@link #ack}/{@link #failPublish} ({@link Acks#MANUAL}); a publish while the harness
 * is disconnected fails, as a transport would fail it. A {@code Subscribe} is answered with
 * every filter accepted, unless the test connects with {@link #beginConnect} and answers with
 * {@link #answerSubscription}. A {@code Persist} is saved to the store (in memory unless one is
 * given), an {@code Emit} is queued for {@link #takeEvent}, a {@code Disconnect} drops the
 * connection. Every {@link SessionEvent.RequestCompleted} is recorded per token, and a token
 * completing twice fails the test at once.
 *
 * <p>Time moves only with {@link #advance}, which ticks the session at each due
 * {@link DeviceSession#nextTimer()} on the way; a timer that stays due after its tick fails the
 * test (a driver would spin). Device reqIds are {@code dev-1, dev-2, ...}; platform reqIds
 * {@code p-1, p-2, ...}.
 *
 * <p>Thread-safety: not thread-safe; one test thread.
 */
public final class SessionHarness {

    /** The virtual clock's start. */
    public static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    /** How publishes are acknowledged. */
    public enum Acks {
        /** Each publish is acknowledged as soon as the session asks for it. */
        AUTO,
        /** Publishes wait for {@link #ack}, {@link #ackAll} or {@link #failPublish}. */
        MANUAL
    }

    private final List<Consumer<SessionConfig.Builder>> configurers;
    private final DeviceStateStore store;
    private final AtomicLong deviceReqIds = new AtomicLong();
    private final Platform platform;
    private Acks acks;
    private SessionConfig config;
    private Codec codec;
    private DeviceSession session;
    private Instant now;

    private boolean connected;
    private boolean answerSubscriptions = true;
    private final List<SessionAction.Subscribe> subscribes = new ArrayList<>();
    private final List<String> disconnects = new ArrayList<>();

    private final List<Sent> published = new ArrayList<>();
    private final ArrayDeque<Sent> unread = new ArrayDeque<>();
    private final Map<Long, Sent> unacked = new LinkedHashMap<>();
    private final List<Sent> failedWhileDisconnected = new ArrayList<>();

    private final List<SessionEvent> events = new ArrayList<>();
    private final List<SessionEvent> unreadEvents = new ArrayList<>();
    private final Map<Long, RequestOutcome> outcomes = new LinkedHashMap<>();
    private int persists;

    private SessionHarness(Builder b) {
        this.configurers = new ArrayList<>(b.configurers);
        this.store = b.store;
        this.acks = b.acks;
        this.now = b.start;
        this.config = buildConfig(List.of());
        this.codec = config.codec();
        this.platform = new Platform(this);
        this.session = new DeviceSession(config, store.load().orElse(DeviceState.INITIAL));
        pump();
    }

    /** A harness with the default configuration (no handlers), an in-memory store and automatic acks. */
    public static SessionHarness create() {
        return builder().build();
    }

    /** A builder for a harness. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link SessionHarness}. Not thread-safe. */
    public static final class Builder {
        private final List<Consumer<SessionConfig.Builder>> configurers = new ArrayList<>();
        private DeviceStateStore store = DeviceStateStore.inMemory();
        private Acks acks = Acks.AUTO;
        private Instant start = START;

        private Builder() {
        }

        /** Adjusts the session configuration (applied after the harness's deterministic reqIds). */
        public Builder configure(Consumer<SessionConfig.Builder> configurer) {
            configurers.add(configurer);
            return this;
        }

        /** Declares handlers for firmware, device actions and every custom action. */
        public Builder allHandlers() {
            return configure(c -> c.firmwareHandler(true).deviceActionHandler(true).anyCustomAction(true));
        }

        /** Uses this store; the session starts from what it holds. */
        public Builder store(DeviceStateStore s) {
            store = s;
            return this;
        }

        /** Sets how publishes are acknowledged. */
        public Builder acks(Acks a) {
            acks = a;
            return this;
        }

        /** Starts the virtual clock here. */
        public Builder start(Instant s) {
            start = s;
            return this;
        }

        /** The harness, with a session created from the store. */
        public SessionHarness build() {
            return new SessionHarness(this);
        }
    }

    private SessionConfig buildConfig(List<Consumer<SessionConfig.Builder>> extra) {
        SessionConfig.Builder b = SessionConfig.builder().reqIds(() -> "dev-" + deviceReqIds.incrementAndGet());
        configurers.forEach(c -> c.accept(b));
        extra.forEach(c -> c.accept(b));
        return b.build();
    }

    // ---- the session, clock and store ----------------------------------------------------------

    /** The session under test (for inputs the harness has no helper for; call {@link #pump()} after). */
    public DeviceSession session() {
        return session;
    }

    /** The configuration of the current session. */
    public SessionConfig config() {
        return config;
    }

    /** The platform side: sends requests to the device. */
    public Platform platform() {
        return platform;
    }

    /** The current virtual time. */
    public Instant now() {
        return now;
    }

    /** The store the session persists to. */
    public DeviceStateStore store() {
        return store;
    }

    /** How many Persist actions were performed. */
    public int persistCount() {
        return persists;
    }

    /**
     * Moves the clock forward, ticking the session at every timer that falls due on the way.
     *
     * @throws AssertionError when a timer stays due after its tick (a driver would spin)
     */
    public SessionHarness advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward, got " + d);
        }
        Instant target = now.plus(d);
        int ticksAtSameInstant = 0;
        Instant lastTick = null;
        while (true) {
            Optional<Instant> next = session.nextTimer();
            if (next.isEmpty() || next.get().isAfter(target)) {
                break;
            }
            Instant at = next.get().isAfter(now) ? next.get() : now;
            ticksAtSameInstant = at.equals(lastTick) ? ticksAtSameInstant + 1 : 0;
            if (ticksAtSameInstant > 100) {
                throw new AssertionError("nextTimer() stays at " + next.get() + " after ticking at " + at
                        + ": a driver would spin");
            }
            lastTick = at;
            now = at;
            session.tick(now);
            pump();
        }
        now = target;
        return this;
    }

    /** {@link #advance} by whole seconds. */
    public SessionHarness advanceSeconds(long seconds) {
        return advance(Duration.ofSeconds(seconds));
    }

    /** Ticks the session at the current time once, due or not. */
    public SessionHarness tick() {
        session.tick(now);
        pump();
        return this;
    }

    /**
     * The device restarts: the session is dropped without closing (as a crash or a reboot would),
     * the connection is gone, and a new session starts from what the store holds.
     */
    public SessionHarness restart() {
        return restart(c -> {
        });
    }

    /** Restarts with a changed configuration (e.g. the deviceInfo the new firmware reports). */
    public SessionHarness restart(Consumer<SessionConfig.Builder> change) {
        connected = false;
        unacked.clear();
        config = buildConfig(List.of(change));
        codec = config.codec();
        session = new DeviceSession(config, store.load().orElse(DeviceState.INITIAL));
        pump();
        return this;
    }

    /** Closes the session. */
    public SessionHarness close() {
        session.close(now);
        pump();
        return this;
    }

    // ---- connection ----------------------------------------------------------------------------

    /** Connects with a clean session and accepts both subscriptions. */
    public SessionHarness connect() {
        return connect(false);
    }

    /** Connects (the broker says whether it kept the session) and accepts both subscriptions. */
    public SessionHarness connect(boolean sessionPresent) {
        answerSubscriptions = true;
        connected = true;
        session.connected(now, sessionPresent);
        pump();
        return this;
    }

    /** Connects but leaves the subscription unanswered until {@link #answerSubscription}. */
    public SessionHarness beginConnect(boolean sessionPresent) {
        answerSubscriptions = false;
        connected = true;
        session.connected(now, sessionPresent);
        pump();
        return this;
    }

    /** Answers the subscription, one flag per filter of {@link DeviceSession#SUBSCRIPTIONS}. */
    public SessionHarness answerSubscription(Boolean... accepted) {
        answerSubscriptions = true;
        session.subscribed(now, List.of(accepted));
        pump();
        return this;
    }

    /** The connection drops; publishes not yet acknowledged are lost with it. */
    public SessionHarness loseConnection() {
        connected = false;
        unacked.clear();
        session.connectionLost(now);
        pump();
        return this;
    }

    /** Loses the connection and connects again. */
    public SessionHarness reconnect(boolean sessionPresent) {
        loseConnection();
        return connect(sessionPresent);
    }

    /** Whether the harness's connection is up. */
    public boolean isConnected() {
        return connected;
    }

    /** The subscriptions the session asked for, in order. */
    public List<SessionAction.Subscribe> subscribes() {
        return List.copyOf(subscribes);
    }

    /** The reasons of the disconnects the session asked for. */
    public List<String> disconnects() {
        return List.copyOf(disconnects);
    }

    // ---- the platform's messages ---------------------------------------------------------------

    /**
     * Delivers a message from the platform.
     *
     * @throws IllegalStateException when the harness is not connected (the broker could not deliver)
     */
    public SessionHarness deliver(String topic, byte[] payload) {
        if (!connected) {
            throw new IllegalStateException("cannot deliver " + topic + " while the device is disconnected");
        }
        session.messageArrived(now, topic, payload);
        pump();
        return this;
    }

    /** Delivers a typed platform message, encoded with the codec. */
    public SessionHarness deliver(dev.iotdm.protocol.message.PlatformMessage message) {
        platform.send(message);
        return this;
    }

    /**
     * Answers the most recent device request (manage, unmanage, location, error codes, log; not
     * notify) on {@code iotdm-1/response}, whether or not the test has taken it.
     *
     * @return the answered request
     */
    public DeviceRequest answerLastRequest(Rc rc) {
        DeviceRequest last = lastRequest().orElseThrow(
                () -> new AssertionError("no device request was published; all publishes: " + published));
        platform.respond(last.requestId().orElseThrow(), rc);
        return last;
    }

    /** The most recent device request other than notify, if any. */
    public Optional<DeviceRequest> lastRequest() {
        for (int i = published.size() - 1; i >= 0; i--) {
            if (published.get(i).message() instanceof DeviceRequest r && !(r instanceof Notify)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    // ---- application calls ---------------------------------------------------------------------

    /** Calls an application method with the current time and performs the actions. */
    public <T> T call(Function<DeviceSession, T> call) {
        T result = call.apply(session);
        pump();
        return result;
    }

    /** Calls an application method without a result and performs the actions. */
    public SessionHarness run(Consumer<DeviceSession> call) {
        call.accept(session);
        pump();
        return this;
    }

    /** {@link DeviceSession#manage}; returns the token. */
    public long manage(ManageParams params) {
        return call(s -> s.manage(now, params));
    }

    /** {@link DeviceSession#unmanage}; returns the token. */
    public long unmanage() {
        return call(s -> s.unmanage(now));
    }

    /** {@link DeviceSession#updateLocation}; returns the token. */
    public long updateLocation(Location location) {
        return call(s -> s.updateLocation(now, location));
    }

    /** {@link DeviceSession#addErrorCode}; returns the token. */
    public long addErrorCode(int code) {
        return call(s -> s.addErrorCode(now, code));
    }

    /** {@link DeviceSession#clearErrorCodes}; returns the token. */
    public long clearErrorCodes() {
        return call(s -> s.clearErrorCodes(now));
    }

    /** {@link DeviceSession#addLog}; returns the token. */
    public long addLog(LogEntry entry) {
        return call(s -> s.addLog(now, entry));
    }

    /** {@link DeviceSession#clearLog}; returns the token. */
    public long clearLog() {
        return call(s -> s.clearLog(now));
    }

    /** {@link DeviceSession#setDeviceInfo}. */
    public SessionHarness setDeviceInfo(DeviceInfo info) {
        return run(s -> s.setDeviceInfo(now, info));
    }

    /** {@link DeviceSession#setMetadata}. */
    public SessionHarness setMetadata(JsonObject metadata) {
        return run(s -> s.setMetadata(now, metadata));
    }

    /** {@link DeviceSession#publishEvent}; returns the token. */
    public long publishEvent(Event event, int qos) {
        return call(s -> s.publishEvent(now, event, qos));
    }

    /** {@link DeviceSession#respondDeviceAction} without a message. */
    public SessionHarness respondDeviceAction(String reqId, Rc rc) {
        return run(s -> s.respondDeviceAction(now, reqId, rc, null));
    }

    /** {@link DeviceSession#respondCustomAction} without a message. */
    public SessionHarness respondCustomAction(String reqId, Rc rc) {
        return run(s -> s.respondCustomAction(now, reqId, rc, null));
    }

    /** The application's download finished and verified. */
    public SessionHarness downloadSucceeded() {
        return run(s -> s.reportFirmware(now, FirmwareInput.DOWNLOAD_SUCCEEDED, null));
    }

    /** The application's download failed. */
    public SessionHarness downloadFailed(UpdateStatus why) {
        return run(s -> s.reportFirmware(now, FirmwareInput.DOWNLOAD_FAILED, why));
    }

    /** The application's install finished. */
    public SessionHarness installSucceeded() {
        return run(s -> s.reportFirmware(now, FirmwareInput.INSTALL_SUCCEEDED, null));
    }

    /** The application's install failed. */
    public SessionHarness installFailed(UpdateStatus why) {
        return run(s -> s.reportFirmware(now, FirmwareInput.INSTALL_FAILED, why));
    }

    /**
     * Manages with these parameters, connects, answers the manage 200 and checks the token; the
     * manage publish is taken, so the test starts with nothing unread but the events.
     */
    public SessionHarness connectAndManage(ManageParams params) {
        long token = manage(params);
        if (!session.isReady()) {
            connect();
        }
        takePublished(Manage.class);
        answerLastRequest(Rc.OK);
        RequestOutcome o = outcome(token);
        if (!(o instanceof RequestOutcome.Answered a) || !a.response().rc().equals(Rc.OK)) {
            throw new AssertionError("manage did not complete with 200: " + o);
        }
        return this;
    }

    // ---- what the session published ------------------------------------------------------------

    /**
     * Takes the next publish the test has not read, which must be a {@code type}.
     *
     * @throws AssertionError naming what was published instead
     */
    public <T extends Message> T takePublished(Class<T> type) {
        Sent next = unread.poll();
        if (next == null) {
            throw new AssertionError("expected a " + type.getSimpleName()
                    + " to be published, but nothing more was; all publishes so far:" + list(published));
        }
        if (!type.isInstance(next.message())) {
            throw new AssertionError("expected a " + type.getSimpleName() + " to be published next, but got "
                    + next + "; still unread after it:" + list(unread));
        }
        return type.cast(next.message());
    }

    /** Takes the next unread publish, whatever it is. */
    public Sent takeSent() {
        Sent next = unread.poll();
        if (next == null) {
            throw new AssertionError("expected a publish, but nothing more was; all publishes so far:"
                    + list(published));
        }
        return next;
    }

    /** Takes the next publish, which must be a device response. */
    public DeviceResponse takeResponse() {
        return takePublished(DeviceResponse.class);
    }

    /** Takes the next publish, which must be a notify. */
    public Notify takeNotify() {
        return takePublished(Notify.class);
    }

    /** Fails listing them if there are unread publishes. */
    public SessionHarness assertNothingMorePublished() {
        if (!unread.isEmpty()) {
            throw new AssertionError("expected nothing more to be published, but got:" + list(unread));
        }
        return this;
    }

    /** The publishes the test has not read yet, oldest first (not taken). */
    public List<Sent> unreadPublishes() {
        return List.copyOf(unread);
    }

    /** Takes and returns every unread publish. */
    public List<Sent> drainPublished() {
        List<Sent> all = List.copyOf(unread);
        unread.clear();
        return all;
    }

    /** Every publish so far, read or not. */
    public List<Sent> published() {
        return List.copyOf(published);
    }

    /** Publishes the session made while the harness was disconnected (failed back to it). */
    public List<Sent> failedWhileDisconnected() {
        return List.copyOf(failedWhileDisconnected);
    }

    // ---- acknowledgements (manual mode) --------------------------------------------------------

    /** Switches the acknowledgement mode from now on. */
    public SessionHarness acks(Acks mode) {
        acks = mode;
        return this;
    }

    /** Publishes waiting for an acknowledgement, oldest first. */
    public List<Sent> unacked() {
        return List.copyOf(unacked.values());
    }

    /** Acknowledges one publish. */
    public SessionHarness ack(Sent sent) {
        if (unacked.remove(sent.id()) == null) {
            throw new IllegalStateException("publish " + sent + " is not waiting for an acknowledgement");
        }
        session.publishCompleted(now, sent.id());
        pump();
        return this;
    }

    /** Acknowledges every publish that waits. */
    public SessionHarness ackAll() {
        for (Sent s : List.copyOf(unacked.values())) {
            ack(s);
        }
        return this;
    }

    /** Fails one publish. */
    public SessionHarness failPublish(Sent sent, PublishFailure cause) {
        if (unacked.remove(sent.id()) == null) {
            throw new IllegalStateException("publish " + sent + " is not waiting for an acknowledgement");
        }
        session.publishFailed(now, sent.id(), cause);
        pump();
        return this;
    }

    // ---- events and outcomes -------------------------------------------------------------------

    /**
     * Takes the first unread event of this type (earlier events of other types stay unread).
     *
     * @throws AssertionError listing the unread events when there is none
     */
    public <E extends SessionEvent> E takeEvent(Class<E> type) {
        for (Iterator<SessionEvent> it = unreadEvents.iterator(); it.hasNext();) {
            SessionEvent e = it.next();
            if (type.isInstance(e)) {
                it.remove();
                return type.cast(e);
            }
        }
        throw new AssertionError("expected a " + type.getSimpleName() + " event, but the unread events are:"
                + list(unreadEvents));
    }

    /** Fails if an unread event of this type exists. */
    public SessionHarness assertNoEvent(Class<? extends SessionEvent> type) {
        List<SessionEvent> hits = unreadEvents.stream().filter(type::isInstance).collect(Collectors.toList());
        if (!hits.isEmpty()) {
            throw new AssertionError("expected no " + type.getSimpleName() + " event, but got:" + list(hits));
        }
        return this;
    }

    /** Every event so far of this type, read or not. */
    public <E extends SessionEvent> List<E> events(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    /** Marks every event read. */
    public SessionHarness clearEvents() {
        unreadEvents.clear();
        return this;
    }

    /**
     * How the request with this token ended.
     *
     * @throws AssertionError when it has not completed
     */
    public RequestOutcome outcome(long token) {
        RequestOutcome o = outcomes.get(token);
        if (o == null) {
            throw new AssertionError("token " + token + " has not completed; completed: " + outcomes.keySet());
        }
        return o;
    }

    /** Whether the request with this token has completed. */
    public boolean isCompleted(long token) {
        return outcomes.containsKey(token);
    }

    /** Every completion so far, by token, in completion order. */
    public Map<Long, RequestOutcome> outcomes() {
        return java.util.Collections.unmodifiableMap(outcomes);
    }

    // ---- the driver loop -----------------------------------------------------------------------

    /** Performs every action the session has produced, until it produces no more. */
    public SessionHarness pump() {
        List<SessionAction> actions;
        while (!(actions = session.pollActions()).isEmpty()) {
            for (SessionAction a : actions) {
                perform(a);
            }
        }
        return this;
    }

    private void perform(SessionAction action) {
        if (action instanceof SessionAction.Publish p) {
            Sent sent = new Sent(p.id(), p.topic(), p.payload(), p.qos(), decodeOwn(p));
            published.add(sent);
            if (!connected) {
                failedWhileDisconnected.add(sent);
                session.publishFailed(now, p.id(), PublishFailure.NOT_CONNECTED);
                return;
            }
            unread.add(sent);
            if (acks == Acks.AUTO) {
                session.publishCompleted(now, p.id());
            } else {
                unacked.put(p.id(), sent);
            }
        } else if (action instanceof SessionAction.Subscribe s) {
            subscribes.add(s);
            if (answerSubscriptions) {
                Boolean[] all = new Boolean[s.filters().size()];
                Arrays.fill(all, Boolean.TRUE);
                session.subscribed(now, List.of(all));
            }
        } else if (action instanceof SessionAction.Persist p) {
            persists++;
            store.save(p.state(), p.durable());
        } else if (action instanceof SessionAction.Disconnect d) {
            disconnects.add(d.reason());
            connected = false;
        } else if (action instanceof SessionAction.Emit e) {
            SessionEvent ev = e.event();
            if (ev instanceof SessionEvent.RequestCompleted rc) {
                RequestOutcome first = outcomes.putIfAbsent(rc.token(), rc.outcome());
                if (first != null) {
                    throw new AssertionError("token " + rc.token() + " completed twice: first " + first
                            + ", then " + rc.outcome());
                }
            }
            events.add(ev);
            unreadEvents.add(ev);
        }
    }

    private Message decodeOwn(SessionAction.Publish p) {
        DecodeResult r = codec.decode(p.topic(), p.payload());
        if (r instanceof Decoded d) {
            return d.message();
        }
        throw new AssertionError("the session published something its own codec cannot read: " + r + " in " + p);
    }

    Codec codec() {
        return codec;
    }

    private static String list(java.util.Collection<?> items) {
        if (items.isEmpty()) {
            return " (none)";
        }
        StringBuilder b = new StringBuilder();
        items.forEach(i -> b.append("\n  ").append(i));
        return b.toString();
    }
}
