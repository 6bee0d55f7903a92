package dev.iotdm.protocol.supervisor;

import dev.iotdm.protocol.supervisor.LifecycleEvent.AuthenticationFailed;
import dev.iotdm.protocol.supervisor.LifecycleEvent.ClientIdTakeOverSuspected;
import dev.iotdm.protocol.supervisor.LifecycleEvent.Closed;
import dev.iotdm.protocol.supervisor.LifecycleEvent.ConnectFailed;
import dev.iotdm.protocol.supervisor.LifecycleEvent.Connected;
import dev.iotdm.protocol.supervisor.LifecycleEvent.Connecting;
import dev.iotdm.protocol.supervisor.LifecycleEvent.Disconnected;
import dev.iotdm.protocol.supervisor.LifecycleEvent.GaveUp;
import dev.iotdm.protocol.supervisor.LifecycleEvent.ReconnectScheduled;
import dev.iotdm.protocol.supervisor.SupervisorAction.CancelTimer;
import dev.iotdm.protocol.supervisor.SupervisorAction.Connect;
import dev.iotdm.protocol.supervisor.SupervisorAction.Emit;
import dev.iotdm.protocol.supervisor.SupervisorAction.ScheduleTimer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Decides when a transport-driving facade connects and reconnects: a sans-I/O state machine.
 *
 * <p>The driver feeds it inputs ({@link #start}, {@link #connectSucceeded},
 * {@link #connectFailed}, {@link #connectionLost}, {@link #tick}, {@link #close}), each with the
 * current instant, and performs the returned {@link SupervisorAction}s in order. The supervisor
 * never reads a clock, starts a thread or touches a socket; its only randomness (jitter) comes from
 * the {@link RandomGenerator} it is given, so a seeded generator and a virtual clock make it fully
 * deterministic. States and transitions: {@link SupervisorState}.
 *
 * <p>Inputs that do not fit the current state are ignored and return an empty list: a second
 * {@code start}, an outcome without an attempt under way, {@code connectionLost} while not
 * connected (a transport reports a failed attempt with {@code connectFailed}), a {@code tick} while
 * no timer is set, and everything after {@code close}. Instants that go backwards are treated as
 * the latest instant seen.
 *
 * <p>Not thread-safe: one owner drives it serially, like the session engine it sits beside.
 */
public final class ConnectionSupervisor {

    /*
     * Rules (the whole behaviour; the table below says which rule runs where):
     *  R1 start connects at once as attempt 1.
     *  R2 every wait before a reconnect lies in [minDelay, maxDelay]: policy.baseDelay(failures)
     *     with jitter, where `failures` counts failed attempts and short-lived connections since
     *     the last stable connection (or start). The next attempt is number failures + 1.
     *  R3 `failures` resets only when a connection is lost after staying up for stablePeriod (that
     *     reconnect waits baseDelay(1) and is attempt 1 again); a connection that drops sooner
     *     counts as a failure, so it keeps backing off. Success alone resets nothing.
     *  R4 authentication failures are reported and retried only after maxDelay.
     *  R5 a loss of a connection that was up less than stablePeriod is "short"; takeOverLosses short
     *     losses within takeOverWindow mean another client uses our client id (protocol.md §1.4):
     *     reported at most once per window, and every wait is maxDelay while that holds.
     *  R6 permanent failures give up (back to IDLE); start may begin again with fresh counters.
     *  R7 close cancels the timer, reports Closed and ignores every later input.
     *  R8 until the first connection since construction succeeded, a failed attempt of any kind
     *     ends the start (back to IDLE, reported as ConnectFailed) unless retryUntilFirstConnect:
     *     a caller's first connect then learns why at once (a wrong port or an untrusted
     *     certificate will not mend itself), and automatic retries apply only after a first success.
     */
    private static final Map<SupervisorState, Map<Input, Transition>> TABLE = buildTable();


    private final ReconnectPolicy policy;
    private final RandomGenerator random;
    /** R8: whether attempts before the first success are retried too. */
    private final boolean retryUntilFirstConnect;
    /** R8: whether a connection ever succeeded; never reset. */
    private boolean everConnected;

    private SupervisorState state = SupervisorState.IDLE;
    private Instant now;
    /** Failed attempts and lost connections since start or the last stable connection (R2, R3). */
    private int failures;
    private Instant connectedAt;
    /** When the timer of WAITING fires; null in every other state. */
    private Instant deadline;
    /** Instants of short-lived connection losses, oldest first (R5). */
    private final Deque<Instant> shortLosses = new ArrayDeque<>();
    private Instant lastTakeOverReport;

    /**
     * A supervisor in {@link SupervisorState#IDLE} that retries failed attempts from the start,
     * before any connection succeeded too (as {@code retryUntilFirstConnect} true).
     *
     * @param policy the delays to use
     * @param random the source of jitter; seed it in tests
     */
    public ConnectionSupervisor(ReconnectPolicy policy, RandomGenerator random) {
        this(policy, random, true);
    }

    /**
     * A supervisor in {@link SupervisorState#IDLE}.
     *
     * @param policy the delays to use
     * @param random the source of jitter; seed it in tests
     * @param retryUntilFirstConnect whether a failed attempt before the first successful one is
     *     retried with backoff; when false it ends the start with
     *     {@link LifecycleEvent.ConnectFailed} and the supervisor goes back to IDLE
     */
    public ConnectionSupervisor(ReconnectPolicy policy, RandomGenerator random, boolean retryUntilFirstConnect) {
        if (policy == null) {
            throw new IllegalArgumentException("policy must not be null");
        }
        if (random == null) {
            throw new IllegalArgumentException("random must not be null");
        }
        this.policy = policy;
        this.random = random;
        this.retryUntilFirstConnect = retryUntilFirstConnect;
    }

    /**
     * Whether a failed attempt now would end the start instead of being retried (R8): no
     * connection has succeeded yet and {@code retryUntilFirstConnect} is off.
     *
     * @return true while a failure would end the start with {@link LifecycleEvent.ConnectFailed}
     */
    public boolean stopsOnFailure() {
        return !everConnected && !retryUntilFirstConnect;
    }

    /**
     * The current state.
     *
     * @return the state after the last input
     */
    public SupervisorState state() {
        return state;
    }

    /**
     * The policy this supervisor applies.
     *
     * @return the policy given at construction
     */
    public ReconnectPolicy policy() {
        return policy;
    }

    /**
     * Starts connecting (from IDLE only).
     *
     * @param now the current instant from the driver's clock, not null; one earlier than an
     *     instant already seen counts as that instant
     * @return the actions to perform, in order; empty when the input does not fit the state
     * @throws IllegalArgumentException if an argument is null
     */
    public List<SupervisorAction> start(Instant now) {
        return apply(Input.START, now, null, false);
    }

    /**
     * The attempt asked for by {@link Connect} succeeded.
     *
     * @param now the current instant from the driver's clock, not null; one earlier than an
     *     instant already seen counts as that instant
     * @param sessionPresent the CONNACK's session-present flag
     * @return the actions to perform, in order; empty when the input does not fit the state
     * @throws IllegalArgumentException if an argument is null
     */
    public List<SupervisorAction> connectSucceeded(Instant now, boolean sessionPresent) {
        return apply(Input.CONNECT_SUCCEEDED, now, null, sessionPresent);
    }

    /**
     * The attempt asked for by {@link Connect} failed.
     *
     * @param now the current instant from the driver's clock, not null; one earlier than an
     *     instant already seen counts as that instant
     * @param kind   what kind of failure, deciding how soon to retry
     * @param detail the transport's description for events and logs
     * @return the actions to perform, in order; empty when the input does not fit the state
     * @throws IllegalArgumentException if an argument is null
     */
    public List<SupervisorAction> connectFailed(Instant now, ConnectFailureKind kind, String detail) {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        requireText("detail", detail);
        Input input = stopsOnFailure() ? Input.FAILED_BEFORE_FIRST_CONNECT : switch (kind) {
            case TRANSIENT -> Input.FAILED_TRANSIENT;
            case AUTHENTICATION -> Input.FAILED_AUTHENTICATION;
            case PERMANENT -> Input.FAILED_PERMANENT;
        };
        return apply(input, now, detail, false);
    }

    /**
     * An established connection was lost.
     *
     * @param now the current instant from the driver's clock, not null; one earlier than an
     *     instant already seen counts as that instant
     * @param reason the transport's description for events and logs
     * @return the actions to perform, in order; empty when the input does not fit the state
     * @throws IllegalArgumentException if an argument is null
     */
    public List<SupervisorAction> connectionLost(Instant now, String reason) {
        requireText("reason", reason);
        return apply(Input.CONNECTION_LOST, now, reason, false);
    }

    /**
     * The timer set by the last {@link ScheduleTimer} fired; an early tick re-arms it.
     *
     * @param now the current instant from the driver's clock, not null; one earlier than an
     *     instant already seen counts as that instant
     * @return the actions to perform, in order; empty when the input does not fit the state
     * @throws IllegalArgumentException if an argument is null
     */
    public List<SupervisorAction> tick(Instant now) {
        requireNow(now);
        Instant effective = later(now);
        boolean due = deadline != null && !effective.isBefore(deadline);
        return apply(due ? Input.TICK_DUE : Input.TICK_EARLY, now, null, false);
    }

    /**
     * Stops for good; the caller closes its transport itself.
     *
     * @param now the current instant from the driver's clock, not null; one earlier than an
     *     instant already seen counts as that instant
     * @return the actions to perform, in order; empty when the input does not fit the state
     * @throws IllegalArgumentException if an argument is null
     */
    public List<SupervisorAction> close(Instant now) {
        return apply(Input.CLOSE, now, null, false);
    }

    private List<SupervisorAction> apply(Input input, Instant at, String text, boolean flag) {
        requireNow(at);
        now = later(at);
        Transition transition = TABLE.get(state).get(input);
        if (transition == null) {
            return List.of();
        }
        SupervisorState from = state;
        state = transition.next();
        List<SupervisorAction> actions = transition.effect().run(this, text, flag);
        return actions;
    }

    // ---- effects, one per table entry kind ----

    private List<SupervisorAction> begin(String text, boolean flag) {
        failures = 0;
        shortLosses.clear();
        lastTakeOverReport = null;
        return attempt(text, flag);
    }

    private List<SupervisorAction> attempt(String text, boolean flag) {
        deadline = null;
        return List.of(new Emit(new Connecting(failures + 1)), new Connect());
    }

    private List<SupervisorAction> connected(String text, boolean sessionPresent) {
        connectedAt = now;
        everConnected = true;
        return List.of(new Emit(new Connected(sessionPresent)));
    }

    private List<SupervisorAction> failedTransient(String detail, boolean flag) {
        failures++;
        return waitBeforeRetry(new ArrayList<>(), detail);
    }

    private List<SupervisorAction> failedAuthentication(String detail, boolean flag) {
        failures++;
        List<SupervisorAction> actions = new ArrayList<>();
        actions.add(new Emit(new AuthenticationFailed(detail, policy.maxDelay())));
        return schedule(actions, policy.maxDelay(), detail);
    }

    private List<SupervisorAction> failedPermanently(String detail, boolean flag) {
        failures = 0;
        return List.of(new Emit(new GaveUp(detail)));
    }

    private List<SupervisorAction> failedBeforeFirstConnect(String detail, boolean flag) {
        int attempt = failures + 1;
        failures = 0;
        return List.of(new Emit(new ConnectFailed(attempt, detail)));
    }

    private List<SupervisorAction> lost(String reason, boolean flag) {
        List<SupervisorAction> actions = new ArrayList<>();
        actions.add(new Emit(new Disconnected(reason)));
        Duration up = Duration.between(connectedAt, now);
        connectedAt = null;
        if (up.compareTo(policy.stablePeriod()) >= 0) {
            failures = 0;
            shortLosses.clear();
        } else {
            failures++;
            shortLosses.addLast(now);
        }
        pruneShortLosses();
        if (takeOverSuspected() && reportDue()) {
            lastTakeOverReport = now;
            actions.add(new Emit(new ClientIdTakeOverSuspected(shortLosses.size())));
        }
        return waitBeforeRetry(actions, reason);
    }

    private List<SupervisorAction> rearm(String text, boolean flag) {
        return List.of(new ScheduleTimer(deadline));
    }

    private List<SupervisorAction> closedWhileWaiting(String text, boolean flag) {
        deadline = null;
        return List.of(new CancelTimer(), new Emit(new Closed()));
    }

    private List<SupervisorAction> closed(String text, boolean flag) {
        return List.of(new Emit(new Closed()));
    }

    // ---- helpers ----

    private List<SupervisorAction> waitBeforeRetry(List<SupervisorAction> actions, String cause) {
        pruneShortLosses();
        Duration delay = takeOverSuspected()
                ? policy.maxDelay()
                : policy.jittered(policy.baseDelay(Math.max(1, failures)), random.nextDouble());
        return schedule(actions, delay, cause);
    }

    private List<SupervisorAction> schedule(List<SupervisorAction> actions, Duration delay, String cause) {
        deadline = now.plus(delay);
        actions.add(new ScheduleTimer(deadline));
        actions.add(new Emit(new ReconnectScheduled(delay, failures + 1, cause)));
        return List.copyOf(actions);
    }

    private void pruneShortLosses() {
        Instant horizon = now.minus(policy.takeOverWindow());
        while (!shortLosses.isEmpty() && shortLosses.peekFirst().isBefore(horizon)) {
            shortLosses.removeFirst();
        }
    }

    private boolean takeOverSuspected() {
        return shortLosses.size() >= policy.takeOverLosses();
    }

    private boolean reportDue() {
        return lastTakeOverReport == null
                || !now.isBefore(lastTakeOverReport.plus(policy.takeOverWindow()));
    }

    private Instant later(Instant at) {
        return now == null || at.isAfter(now) ? at : now;
    }

    private static void requireNow(Instant now) {
        if (now == null) {
            throw new IllegalArgumentException("now must not be null");
        }
    }

    private static void requireText(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
    }

    // ---- the transition table ----

    /** Inputs as the table sees them; {@code label} is how {@link SupervisorState}'s diagram names them. */
    private enum Input {
        START("start"),
        CONNECT_SUCCEEDED("connectSucceeded"),
        FAILED_TRANSIENT("connectFailed(TRANSIENT)"),
        FAILED_AUTHENTICATION("connectFailed(AUTHENTICATION)"),
        FAILED_PERMANENT("connectFailed(PERMANENT)"),
        FAILED_BEFORE_FIRST_CONNECT("connectFailed(BEFORE_FIRST_SUCCESS)"),
        CONNECTION_LOST("connectionLost"),
        TICK_DUE("tick(due)"),
        TICK_EARLY("tick(early)"),
        CLOSE("close");

        private final String label;

        Input(String label) {
            this.label = label;
        }
    }

    @FunctionalInterface
    private interface Effect {
        List<SupervisorAction> run(ConnectionSupervisor supervisor, String text, boolean flag);
    }

    private record Transition(SupervisorState next, Effect effect) {
    }

    private static Map<SupervisorState, Map<Input, Transition>> buildTable() {
        Map<SupervisorState, Map<Input, Transition>> t = new EnumMap<>(SupervisorState.class);
        for (SupervisorState s : SupervisorState.values()) {
            t.put(s, new EnumMap<>(Input.class));
        }
        on(t, SupervisorState.IDLE, Input.START, SupervisorState.CONNECTING, ConnectionSupervisor::begin);
        on(t, SupervisorState.IDLE, Input.CLOSE, SupervisorState.CLOSED, ConnectionSupervisor::closed);

        on(t, SupervisorState.CONNECTING, Input.CONNECT_SUCCEEDED, SupervisorState.CONNECTED,
                ConnectionSupervisor::connected);
        on(t, SupervisorState.CONNECTING, Input.FAILED_TRANSIENT, SupervisorState.WAITING,
                ConnectionSupervisor::failedTransient);
        on(t, SupervisorState.CONNECTING, Input.FAILED_AUTHENTICATION, SupervisorState.WAITING,
                ConnectionSupervisor::failedAuthentication);
        on(t, SupervisorState.CONNECTING, Input.FAILED_PERMANENT, SupervisorState.IDLE,
                ConnectionSupervisor::failedPermanently);
        on(t, SupervisorState.CONNECTING, Input.FAILED_BEFORE_FIRST_CONNECT, SupervisorState.IDLE,
                ConnectionSupervisor::failedBeforeFirstConnect);
        on(t, SupervisorState.CONNECTING, Input.CLOSE, SupervisorState.CLOSED, ConnectionSupervisor::closed);

        on(t, SupervisorState.CONNECTED, Input.CONNECTION_LOST, SupervisorState.WAITING, ConnectionSupervisor::lost);
        on(t, SupervisorState.CONNECTED, Input.CLOSE, SupervisorState.CLOSED, ConnectionSupervisor::closed);

        on(t, SupervisorState.WAITING, Input.TICK_DUE, SupervisorState.CONNECTING, ConnectionSupervisor::attempt);
        on(t, SupervisorState.WAITING, Input.TICK_EARLY, SupervisorState.WAITING, ConnectionSupervisor::rearm);
        on(t, SupervisorState.WAITING, Input.CLOSE, SupervisorState.CLOSED,
                ConnectionSupervisor::closedWhileWaiting);
        // CLOSED has no entries: every input is ignored (R7).
        return Collections.unmodifiableMap(t);
    }

    private static void on(Map<SupervisorState, Map<Input, Transition>> table, SupervisorState from,
            Input input, SupervisorState to, Effect effect) {
        table.get(from).put(input, new Transition(to, effect));
    }

    /**
     * The table as text for the diagram test: for each state, each accepted input's diagram
     * label and the state it leads to.
     */
    static Map<SupervisorState, Map<String, SupervisorState>> transitionsByLabel() {
        Map<SupervisorState, Map<String, SupervisorState>> out = new EnumMap<>(SupervisorState.class);
        TABLE.forEach((from, row) -> {
            Map<String, SupervisorState> labelled = new LinkedHashMap<>();
            row.forEach((input, transition) -> labelled.put(input.label, transition.next()));
            out.put(from, Collections.unmodifiableMap(labelled));
        });
        return Collections.unmodifiableMap(out);
    }
}
