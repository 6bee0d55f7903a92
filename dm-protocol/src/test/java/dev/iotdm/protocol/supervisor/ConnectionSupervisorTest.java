package dev.iotdm.protocol.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.protocol.supervisor.LifecycleEvent.AuthenticationFailed;
import dev.iotdm.protocol.supervisor.LifecycleEvent.ClientIdTakeOverSuspected;
import dev.iotdm.protocol.supervisor.LifecycleEvent.Closed;
import dev.iotdm.protocol.supervisor.LifecycleEvent.Connected;
import dev.iotdm.protocol.supervisor.LifecycleEvent.Connecting;
import dev.iotdm.protocol.supervisor.LifecycleEvent.Disconnected;
import dev.iotdm.protocol.supervisor.LifecycleEvent.GaveUp;
import dev.iotdm.protocol.supervisor.LifecycleEvent.ReconnectScheduled;
import dev.iotdm.protocol.supervisor.SupervisorAction.CancelTimer;
import dev.iotdm.protocol.supervisor.SupervisorAction.Connect;
import dev.iotdm.protocol.supervisor.SupervisorAction.Emit;
import dev.iotdm.protocol.supervisor.SupervisorAction.ScheduleTimer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ConnectionSupervisorTest {

    private static final Duration MIN = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofSeconds(60);
    private static final Duration STABLE = Duration.ofSeconds(30);
    private static final Duration WINDOW = Duration.ofMinutes(5);

    /** No jitter, so delays are exact: 1, 2, 4, ... 60 s. */
    private static final ReconnectPolicy EXACT =
            new ReconnectPolicy(MIN, MAX, 2.0, 0.0, STABLE, 3, WINDOW);

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final SplittableRandom random = new SplittableRandom(20260101L);

    private void advance(Duration d) {
        now = now.plus(d);
    }

    private ConnectionSupervisor supervisor(ReconnectPolicy policy) {
        return new ConnectionSupervisor(policy, random);
    }

    private static List<LifecycleEvent> events(List<SupervisorAction> actions) {
        List<LifecycleEvent> out = new ArrayList<>();
        for (SupervisorAction a : actions) {
            if (a instanceof Emit e) {
                out.add(e.event());
            }
        }
        return out;
    }

    private static ReconnectScheduled scheduled(List<SupervisorAction> actions) {
        return events(actions).stream()
                .filter(ReconnectScheduled.class::isInstance).map(ReconnectScheduled.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no ReconnectScheduled in " + actions));
    }

    private static Instant timerAt(List<SupervisorAction> actions) {
        return actions.stream()
                .filter(ScheduleTimer.class::isInstance).map(a -> ((ScheduleTimer) a).at())
                .findFirst().orElseThrow(() -> new AssertionError("no ScheduleTimer in " + actions));
    }

    /** Waits out the scheduled delay and lets the timer fire. */
    private List<SupervisorAction> fireTimer(ConnectionSupervisor s, List<SupervisorAction> scheduling) {
        now = timerAt(scheduling);
        return s.tick(now);
    }

    // ---- start and connect ----

    @Test
    void start_connects_at_once_as_attempt_one() {
        ConnectionSupervisor s = supervisor(EXACT);

        assertThat(s.start(now)).containsExactly(new Emit(new Connecting(1)), new Connect());
        assertThat(s.state()).isEqualTo(SupervisorState.CONNECTING);
    }

    @Test
    void success_reports_connected_with_the_session_present_flag() {
        ConnectionSupervisor s = supervisor(EXACT);
        s.start(now);

        assertThat(s.connectSucceeded(now, true)).containsExactly(new Emit(new Connected(true)));
        assertThat(s.state()).isEqualTo(SupervisorState.CONNECTED);
    }

    // ---- rule R2: exponential backoff with jitter ----

    @Test
    void a_transient_attempt_failure_names_its_cause_in_the_reconnect_event() {
        ConnectionSupervisor s = supervisor(EXACT);
        s.start(now);

        List<SupervisorAction> failed = s.connectFailed(now, ConnectFailureKind.TRANSIENT, "connection refused: 127.0.0.1:1");

        assertThat(scheduled(failed).cause()).isEqualTo("connection refused: 127.0.0.1:1");
    }

    @Test
    void transient_failures_back_off_exponentially_up_to_the_maximum() {
        ConnectionSupervisor s = supervisor(EXACT);
        s.start(now);
        List<Duration> delays = new ArrayList<>();
        List<Integer> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            List<SupervisorAction> failed = s.connectFailed(now, ConnectFailureKind.TRANSIENT, "refused");
            ReconnectScheduled r = scheduled(failed);
            delays.add(r.delay());
            assertThat(timerAt(failed)).isEqualTo(now.plus(r.delay()));
            List<SupervisorAction> retry = fireTimer(s, failed);
            attempts.add(((Connecting) events(retry).get(0)).attempt());
            assertThat(retry).endsWith(new Connect());
        }

        assertThat(delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(32), MAX, MAX);
        assertThat(attempts).containsExactly(2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void jitter_spreads_delays_around_the_base_but_never_outside_min_and_max() {
        ReconnectPolicy policy = EXACT.withGrowth(2.0, 0.5);
        ConnectionSupervisor s = supervisor(policy);
        s.start(now);
        List<Duration> thirdDelays = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            for (int failure = 1; failure <= 8; failure++) {
                List<SupervisorAction> failed = s.connectFailed(now, ConnectFailureKind.TRANSIENT, "timeout");
                Duration delay = scheduled(failed).delay();
                Duration base = policy.baseDelay(failure);
                Duration low = max(MIN, base.dividedBy(2));
                Duration high = min(MAX, base.multipliedBy(3).dividedBy(2));
                assertThat(delay).as("delay after failure %d", failure).isBetween(low, high);
                if (failure == 3) {
                    thirdDelays.add(delay);
                }
                fireTimer(s, failed);
            }
            s.connectSucceeded(now, false);
            advance(STABLE);
            s.connectionLost(now, "bye");
            fireTimerAfterLoss(s);
        }
        assertThat(thirdDelays).as("jitter varies the delays").hasSizeGreaterThan(1).doesNotHaveDuplicates();
    }

    private void fireTimerAfterLoss(ConnectionSupervisor s) {
        // The loss above scheduled a timer at now + delay; a tick far enough later is always due.
        advance(MAX);
        assertThat(s.tick(now)).endsWith(new Connect());
    }

    @Test
    void an_early_tick_rearms_the_same_deadline_without_connecting() {
        ConnectionSupervisor s = supervisor(EXACT);
        s.start(now);
        s.connectFailed(now, ConnectFailureKind.TRANSIENT, "x");
        s.connectFailed(now, ConnectFailureKind.TRANSIENT, "x"); // ignored: already waiting
        Instant deadline = now.plus(MIN);

        advance(Duration.ofMillis(999));
        assertThat(s.tick(now)).containsExactly(new ScheduleTimer(deadline));
        assertThat(s.state()).isEqualTo(SupervisorState.WAITING);

        advance(Duration.ofMillis(1));
        assertThat(s.tick(now)).containsExactly(new Emit(new Connecting(2)), new Connect());
    }

    // ---- rule R3: the counter resets only after a stable connection ----

    @Test
    void a_connection_that_drops_at_once_keeps_backing_off() {
        ConnectionSupervisor s = supervisor(EXACT.withTakeOver(100, WINDOW));
        s.start(now);
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            s.connectSucceeded(now, false);
            advance(STABLE.minusMillis(1));
            List<SupervisorAction> lost = s.connectionLost(now, "reset by peer");
            assertThat(events(lost).get(0)).isEqualTo(new Disconnected("reset by peer"));
            delays.add(scheduled(lost).delay());
            fireTimer(s, lost);
        }

        assertThat(delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8));
    }

    @Test
    void the_attempt_counter_resets_after_a_connection_stayed_up_for_the_stable_period() {
        ConnectionSupervisor s = supervisor(EXACT);
        s.start(now);
        for (int i = 0; i < 4; i++) {
            fireTimer(s, s.connectFailed(now, ConnectFailureKind.TRANSIENT, "unreachable"));
        }
        s.connectSucceeded(now, false);
        advance(STABLE);

        List<SupervisorAction> lost = s.connectionLost(now, "keep-alive timeout");

        assertThat(scheduled(lost)).isEqualTo(new ReconnectScheduled(MIN, 1, "keep-alive timeout"));
        assertThat(events(fireTimer(s, lost))).containsExactly(new Connecting(1));
    }

    // ---- rule R4: authentication failures ----

    @Test
    void authentication_failure_is_reported_and_retried_only_after_the_maximum_delay() {
        ConnectionSupervisor s = supervisor(EXACT);
        s.start(now);

        List<SupervisorAction> failed = s.connectFailed(now, ConnectFailureKind.AUTHENTICATION, "bad token");

        assertThat(failed).containsExactly(
                new Emit(new AuthenticationFailed("bad token", MAX)),
                new ScheduleTimer(now.plus(MAX)),
                new Emit(new ReconnectScheduled(MAX, 2, "bad token")));
        advance(MAX.minusMillis(1));
        assertThat(s.tick(now)).doesNotContain(new Connect());
        advance(Duration.ofMillis(1));
        assertThat(s.tick(now)).contains(new Connect());
        // a second refusal is not retried any faster
        assertThat(scheduled(s.connectFailed(now, ConnectFailureKind.AUTHENTICATION, "bad token")).delay())
                .isEqualTo(MAX);
    }

    // ---- rule R5: client-id take-over ----

    @Test
    void repeated_short_lived_connections_are_reported_as_take_over_and_wait_the_maximum() {
        ConnectionSupervisor s = supervisor(EXACT);
        s.start(now);
        List<List<LifecycleEvent>> lossEvents = new ArrayList<>();
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            s.connectSucceeded(now, false);
            advance(Duration.ofSeconds(2));
            List<SupervisorAction> lost = s.connectionLost(now, "taken over");
            lossEvents.add(events(lost));
            delays.add(scheduled(lost).delay());
            now = timerAt(lost);
            s.tick(now);
        }

        assertThat(delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), MAX, MAX);
        assertThat(lossEvents.get(2)).contains(new ClientIdTakeOverSuspected(3));
        assertThat(lossEvents.get(3)).as("reported once per window")
                .noneMatch(ClientIdTakeOverSuspected.class::isInstance);
        assertThat(lossEvents.get(0)).noneMatch(ClientIdTakeOverSuspected.class::isInstance);
    }

    @Test
    void take_over_is_reported_again_once_the_window_has_passed() {
        ConnectionSupervisor s = supervisor(EXACT.withTakeOver(2, Duration.ofMinutes(3)));
        s.start(now);
        List<Instant> reports = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            s.connectSucceeded(now, false);
            advance(Duration.ofSeconds(1));
            List<SupervisorAction> lost = s.connectionLost(now, "taken over");
            if (events(lost).stream().anyMatch(ClientIdTakeOverSuspected.class::isInstance)) {
                reports.add(now);
            }
            now = timerAt(lost);
            s.tick(now);
        }

        // Losses at +1 s and +3 s (waits 1 s), then every 61 s because of the maximum delay:
        // +64, +125, +186, +247, +308, +369 s. Reported at +3 s, then at the first loss at least
        // 3 min after each report: +186 s and +369 s.
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(reports).containsExactly(t0.plusSeconds(3), t0.plusSeconds(186), t0.plusSeconds(369));
    }

    @Test
    void short_losses_spread_wider_than_the_window_are_not_a_take_over() {
        ConnectionSupervisor s = supervisor(EXACT.withTakeOver(2, Duration.ofSeconds(10)));
        s.start(now);
        for (int i = 0; i < 5; i++) {
            s.connectSucceeded(now, false);
            advance(Duration.ofSeconds(11));
            List<SupervisorAction> lost = s.connectionLost(now, "dropped");
            assertThat(events(lost)).noneMatch(ClientIdTakeOverSuspected.class::isInstance);
            now = timerAt(lost);
            s.tick(now);
        }
    }

    // ---- rule R6: permanent failures ----

    @Test
    void permanent_failure_gives_up_and_a_new_start_begins_with_attempt_one() {
        ConnectionSupervisor s = supervisor(EXACT);
        s.start(now);
        fireTimer(s, s.connectFailed(now, ConnectFailureKind.TRANSIENT, "x"));

        assertThat(s.connectFailed(now, ConnectFailureKind.PERMANENT, "protocol version refused"))
                .containsExactly(new Emit(new GaveUp("protocol version refused")));
        assertThat(s.state()).isEqualTo(SupervisorState.IDLE);
        assertThat(s.tick(now.plus(MAX))).isEmpty();
        assertThat(s.start(now)).containsExactly(new Emit(new Connecting(1)), new Connect());
    }

    // ---- rule R7: close ----

    @Test
    void close_while_waiting_cancels_the_timer_and_later_inputs_do_nothing() {
        ConnectionSupervisor s = supervisor(EXACT);
        s.start(now);
        s.connectFailed(now, ConnectFailureKind.TRANSIENT, "x");

        assertThat(s.close(now)).containsExactly(new CancelTimer(), new Emit(new Closed()));
        assertThat(s.state()).isEqualTo(SupervisorState.CLOSED);
        advance(MAX);
        assertThat(s.tick(now)).isEmpty();
        assertThat(s.start(now)).isEmpty();
        assertThat(s.connectSucceeded(now, false)).isEmpty();
        assertThat(s.connectFailed(now, ConnectFailureKind.TRANSIENT, "x")).isEmpty();
        assertThat(s.connectionLost(now, "x")).isEmpty();
        assertThat(s.close(now)).isEmpty();
    }

    @Test
    void close_while_connected_only_reports_closed() {
        ConnectionSupervisor s = supervisor(EXACT);
        s.start(now);
        s.connectSucceeded(now, false);

        assertThat(s.close(now)).containsExactly(new Emit(new Closed()));
        assertThat(s.connectionLost(now, "closed by us")).isEmpty();
    }

    // ---- ignored inputs ----

    @Test
    void inputs_that_do_not_fit_the_state_are_ignored() {
        ConnectionSupervisor s = supervisor(EXACT);
        assertThat(s.connectSucceeded(now, false)).isEmpty();
        assertThat(s.connectionLost(now, "x")).isEmpty();
        assertThat(s.tick(now)).isEmpty();
        assertThat(s.state()).isEqualTo(SupervisorState.IDLE);

        s.start(now);
        assertThat(s.start(now)).isEmpty();
        assertThat(s.connectionLost(now, "x")).isEmpty();
        assertThat(s.tick(now)).isEmpty();
        assertThat(s.state()).isEqualTo(SupervisorState.CONNECTING);

        s.connectSucceeded(now, false);
        assertThat(s.connectSucceeded(now, false)).isEmpty();
        assertThat(s.connectFailed(now, ConnectFailureKind.TRANSIENT, "x")).isEmpty();
        assertThat(s.tick(now)).isEmpty();
        assertThat(s.state()).isEqualTo(SupervisorState.CONNECTED);

        s.connectionLost(now, "x");
        assertThat(s.connectSucceeded(now, false)).isEmpty();
        assertThat(s.connectionLost(now, "x")).isEmpty();
        assertThat(s.start(now)).isEmpty();
        assertThat(s.state()).isEqualTo(SupervisorState.WAITING);
    }

    @Test
    void an_instant_earlier_than_one_already_seen_counts_as_the_latest_one() {
        ConnectionSupervisor s = supervisor(EXACT);
        s.start(now);
        s.connectSucceeded(now, false);
        advance(STABLE);
        // a clock step backwards must not make a stable connection look short-lived
        List<SupervisorAction> lost = s.connectionLost(now, "x");
        assertThat(scheduled(lost).attempt()).isEqualTo(1);
        Instant deadline = timerAt(lost);

        assertThat(s.tick(deadline.minus(Duration.ofHours(1)))).containsExactly(new ScheduleTimer(deadline));
    }

    @Test
    void null_arguments_are_rejected_naming_the_parameter() {
        ConnectionSupervisor s = supervisor(EXACT);
        assertThatThrownBy(() -> s.start(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("now");
        assertThatThrownBy(() -> s.connectFailed(now, null, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind");
        assertThatThrownBy(() -> s.connectFailed(now, ConnectFailureKind.TRANSIENT, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("detail");
        assertThatThrownBy(() -> s.connectionLost(now, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
        assertThatThrownBy(() -> new ConnectionSupervisor(null, random))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("policy");
        assertThatThrownBy(() -> new ConnectionSupervisor(EXACT, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("random");
    }

    // ---- R8: no retry before a first success unless asked for ----

    @Test
    void without_retry_until_first_connect_any_failed_first_attempt_stops_with_connect_failed() {
        for (ConnectFailureKind kind : ConnectFailureKind.values()) {
            ConnectionSupervisor s = new ConnectionSupervisor(EXACT, random, false);
            s.start(now);

            List<SupervisorAction> actions = s.connectFailed(now, kind, "TLS handshake failed: untrusted");

            assertThat(actions).as("kind %s", kind)
                    .containsExactly(new Emit(new LifecycleEvent.ConnectFailed(1, "TLS handshake failed: untrusted")));
            assertThat(s.state()).isEqualTo(SupervisorState.IDLE);
        }
    }

    @Test
    void without_retry_until_first_connect_a_second_start_tries_again_once() {
        ConnectionSupervisor s = new ConnectionSupervisor(EXACT, random, false);
        s.start(now);
        s.connectFailed(now, ConnectFailureKind.TRANSIENT, "refused");

        assertThat(s.start(now)).containsExactly(new Emit(new Connecting(1)), new Connect());
        s.connectFailed(now, ConnectFailureKind.TRANSIENT, "refused");
        assertThat(s.state()).isEqualTo(SupervisorState.IDLE);
    }

    @Test
    void after_a_first_success_failed_reconnects_back_off_even_without_retry_until_first_connect() {
        ConnectionSupervisor s = new ConnectionSupervisor(EXACT, random, false);
        s.start(now);
        s.connectSucceeded(now, false);
        advance(STABLE);
        s.connectionLost(now, "reset");
        advance(MIN);
        s.tick(now);
        assertThat(s.stopsOnFailure()).isFalse();

        List<SupervisorAction> actions = s.connectFailed(now, ConnectFailureKind.TRANSIENT, "TLS handshake failed");

        assertThat(s.state()).isEqualTo(SupervisorState.WAITING);
        assertThat(events(actions)).singleElement().isInstanceOf(ReconnectScheduled.class);
    }

    @Test
    void with_retry_until_first_connect_a_failed_first_attempt_backs_off() {
        ConnectionSupervisor s = new ConnectionSupervisor(EXACT, random, true);
        s.start(now);

        s.connectFailed(now, ConnectFailureKind.TRANSIENT, "refused");

        assertThat(s.state()).isEqualTo(SupervisorState.WAITING);
        assertThat(s.stopsOnFailure()).isFalse();
    }

    // ---- the diagram ----

    private static final Pattern EDGE = Pattern.compile("^\\s*\\*\\s+(\\w+)\\s+--(\\S+?)-*>\\s+(\\w+)\\s*$");

    @Test
    void the_state_diagram_matches_the_transition_table() throws IOException {
        Path source = Path.of("src/main/java/dev/iotdm/protocol/supervisor/SupervisorState.java");
        String text = Files.readString(source, StandardCharsets.UTF_8).replace("&gt;", ">");
        String pre = text.substring(text.indexOf("<pre>"), text.indexOf("</pre>"));
        Map<SupervisorState, Map<String, SupervisorState>> drawn = new EnumMap<>(SupervisorState.class);
        for (SupervisorState st : SupervisorState.values()) {
            drawn.put(st, new LinkedHashMap<>());
        }
        int edges = 0;
        for (String line : pre.split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.matches()) {
                SupervisorState from = SupervisorState.valueOf(m.group(1));
                SupervisorState previous = drawn.get(from).put(m.group(2), SupervisorState.valueOf(m.group(3)));
                assertThat(previous).as("%s drawn twice for %s", m.group(2), from).isNull();
                edges++;
            }
        }

        assertThat(edges).isGreaterThan(0);
        assertThat(drawn).isEqualTo(ConnectionSupervisor.transitionsByLabel());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
