package dev.iotdm.protocol.supervisor;

import static org.assertj.core.api.Assertions.fail;

import dev.iotdm.pbt.Seeds;
import dev.iotdm.pbt.Shrinker;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Random input sequences against a small independent model of the supervisor's rules.
 *
 * <p>{@code -Dpbt.seed=N} replays one case, {@code -Dpbt.tries=N} changes the number of cases.
 * A failure is shrunk by deleting chunks of the input list and reported with its seed.
 */
class ConnectionSupervisorProperties {

    private static final int DEFAULT_TRIES = 300;
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    /** Rounding slack for the model's floating-point delay bounds. */
    private static final long SLACK_NANOS = 1_000;

    @Test
    void random_input_sequences_keep_the_supervisor_invariants() {
        long runSeed = Seeds.runSeed();
        for (long seed : seeds(runSeed)) {
            Scenario scenario = Scenario.generate(seed);
            Optional<String> failure = run(scenario.policy(), scenario.steps(), seed);
            if (failure.isPresent()) {
                List<Step> minimal = Shrinker.shrinkList(scenario.steps(),
                        steps -> run(scenario.policy(), steps, seed).isPresent(), Shrinker.DEFAULT_MAX_ATTEMPTS).minimal();
                fail("Supervisor property failed for case seed %d (%s)%n"
                                + "policy: %s%n%d steps shrunk to %d:%n%s%nfailure: %s%n(original failure: %s)",
                        seed, Seeds.replayHint(runSeed), scenario.policy(), scenario.steps().size(), minimal.size(),
                        IntStream.range(0, minimal.size()).mapToObj(i -> "  " + i + ": " + minimal.get(i))
                                .collect(Collectors.joining("\n")),
                        run(scenario.policy(), minimal, seed).orElse("?"), failure.get());
            }
        }
    }

    /** One seed per case, all from the run's seed (the one {@code -Dpbt.seed} replays). */
    private static List<Long> seeds(long runSeed) {
        int tries = Seeds.tries(DEFAULT_TRIES);
        SplittableRandom master = new SplittableRandom(runSeed);
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < tries; i++) {
            seeds.add(master.nextLong());
        }
        return seeds;
    }

    // ---- inputs ----

    /** What the simulated driver does next. */
    enum Kind { START, SUCCEED, FAIL_TRANSIENT, FAIL_AUTH, FAIL_PERMANENT, LOSE, TICK, TICK_AT_TIMER, CLOSE }

    /**
     * One driver step: move the clock by {@code advanceMillis} (may be negative: a clock step
     * back), then deliver {@code kind}. {@code TICK_AT_TIMER} first moves the clock to the timer.
     */
    record Step(Kind kind, long advanceMillis, boolean flag) {
        @Override
        public String toString() {
            return kind + (advanceMillis >= 0 ? " +" : " ") + advanceMillis + "ms" + (flag ? " (flag)" : "");
        }
    }

    record Scenario(ReconnectPolicy policy, List<Step> steps) {

        static Scenario generate(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            long minMs = r.nextLong(100, 3_000);
            long maxMs = Math.min(Duration.ofDays(1).toMillis(), minMs * r.nextLong(1, 200));
            double multiplier = r.nextInt(5) == 0 ? 1.0 : 1.0 + 3.0 * r.nextDouble();
            int jitterKind = r.nextInt(5);
            double jitter = jitterKind == 0 ? 0.0 : jitterKind == 1 ? 1.0 : r.nextDouble();
            long stableMs = r.nextLong(1_000, 120_000);
            int losses = r.nextInt(1, 6);
            long windowMs = r.nextLong(5_000, 600_000);
            ReconnectPolicy policy = new ReconnectPolicy(Duration.ofMillis(minMs), Duration.ofMillis(maxMs),
                    multiplier, jitter, Duration.ofMillis(stableMs), losses, Duration.ofMillis(windowMs));

            int length = r.nextInt(10, 150);
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                Kind kind = pick(r);
                long advance = kind == Kind.TICK_AT_TIMER
                        ? (r.nextInt(10) < 7 ? 0 : r.nextLong(0, 1_000))
                        : advance(r, minMs, stableMs, windowMs);
                steps.add(new Step(kind, advance, r.nextBoolean()));
            }
            return new Scenario(policy, List.copyOf(steps));
        }

        private static Kind pick(SplittableRandom r) {
            int x = r.nextInt(100);
            if (x < 6) {
                return Kind.START;
            } else if (x < 24) {
                return Kind.SUCCEED;
            } else if (x < 36) {
                return Kind.FAIL_TRANSIENT;
            } else if (x < 41) {
                return Kind.FAIL_AUTH;
            } else if (x < 42) {
                return Kind.FAIL_PERMANENT;
            } else if (x < 60) {
                return Kind.LOSE;
            } else if (x < 65) {
                return Kind.TICK;
            } else if (x < 99) {
                return Kind.TICK_AT_TIMER;
            }
            return Kind.CLOSE;
        }

        private static long advance(SplittableRandom r, long minMs, long stableMs, long windowMs) {
            int x = r.nextInt(100);
            if (x < 35) {
                return 0;
            } else if (x < 65) {
                return r.nextLong(0, 3 * minMs + 1);
            } else if (x < 87) {
                return r.nextLong(0, 2 * stableMs + 1);
            } else if (x < 97) {
                return r.nextLong(0, 2 * windowMs + 1);
            }
            return -r.nextLong(0, stableMs + 1);
        }
    }

    // ---- one run: supervisor, simulated driver, independent model ----

    /** Runs {@code steps}; the first broken invariant, or empty when all held. */
    static Optional<String> run(ReconnectPolicy policy, List<Step> steps, long seed) {
        ConnectionSupervisor supervisor = new ConnectionSupervisor(policy, new SplittableRandom(~seed));
        Model model = new Model(policy);
        Driver driver = new Driver(policy);
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            try {
                Instant at = driver.advance(step);
                List<SupervisorAction> actions = deliver(supervisor, step, at);
                Optional<String> broken = driver.check(step, actions)
                        .or(() -> model.check(step, driver.latest, actions))
                        .or(() -> supervisor.state() == model.state ? Optional.empty()
                                : Optional.of("state " + supervisor.state() + ", model expects " + model.state));
                if (broken.isPresent()) {
                    return Optional.of("step " + i + " (" + step + "): " + broken.get() + "; actions " + actions);
                }
            } catch (RuntimeException e) {
                return Optional.of("step " + i + " (" + step + ") threw " + e);
            }
        }
        return Optional.empty();
    }

    private static List<SupervisorAction> deliver(ConnectionSupervisor s, Step step, Instant at) {
        return switch (step.kind()) {
            case START -> s.start(at);
            case SUCCEED -> s.connectSucceeded(at, step.flag());
            case FAIL_TRANSIENT -> s.connectFailed(at, ConnectFailureKind.TRANSIENT, "refused");
            case FAIL_AUTH -> s.connectFailed(at, ConnectFailureKind.AUTHENTICATION, "not authorised");
            case FAIL_PERMANENT -> s.connectFailed(at, ConnectFailureKind.PERMANENT, "bad protocol");
            case LOSE -> s.connectionLost(at, "lost");
            case TICK, TICK_AT_TIMER -> s.tick(at);
            case CLOSE -> s.close(at);
        };
    }

    /**
     * The simulated driver: owns the clock and the timer, and checks the invariants every driver
     * can see without knowing the rules in detail.
     */
    static final class Driver {
        private final ReconnectPolicy policy;
        private Instant clock = EPOCH;
        /** The latest instant handed to the supervisor: what it must treat as "now". */
        Instant latest;
        private Instant timerAt;
        private boolean connectOutstanding;
        private boolean closed;
        private Instant authFailedAt;
        private Instant connectedAt;
        private int lastAttempt;
        private boolean resetAllowed = true;

        Driver(ReconnectPolicy policy) {
            this.policy = policy;
        }

        Instant advance(Step step) {
            if (step.kind() == Kind.TICK_AT_TIMER && timerAt != null && timerAt.isAfter(clock)) {
                clock = timerAt;
            }
            clock = clock.plusMillis(step.advanceMillis());
            if (latest == null || clock.isAfter(latest)) {
                latest = clock;
            }
            return clock;
        }

        Optional<String> check(Step step, List<SupervisorAction> actions) {
            if (closed) {
                return actions.isEmpty() ? Optional.empty() : Optional.of("actions after close");
            }
            boolean outcome = step.kind() == Kind.SUCCEED || step.kind() == Kind.FAIL_TRANSIENT
                    || step.kind() == Kind.FAIL_AUTH || step.kind() == Kind.FAIL_PERMANENT;
            if (outcome) {
                connectOutstanding = false;
            }
            if (step.kind() == Kind.TICK || step.kind() == Kind.TICK_AT_TIMER) {
                timerAt = null; // the driver's timer is consumed by a tick; an early one is re-armed
            }
            Duration scheduledDelay = null;
            Instant scheduledAt = null;
            for (SupervisorAction action : actions) {
                if (action instanceof Connect) {
                    if (connectOutstanding) {
                        return Optional.of("a second Connect before the first attempt's outcome");
                    }
                    if (authFailedAt != null && Duration.between(authFailedAt, latest).compareTo(policy.maxDelay()) < 0) {
                        return Optional.of("retry " + Duration.between(authFailedAt, latest)
                                + " after an authentication failure, faster than " + policy.maxDelay());
                    }
                    authFailedAt = null;
                    connectOutstanding = true;
                } else if (action instanceof ScheduleTimer t) {
                    timerAt = t.at();
                    scheduledAt = t.at();
                } else if (action instanceof CancelTimer) {
                    timerAt = null;
                } else if (action instanceof Emit e) {
                    LifecycleEvent event = e.event();
                    if (event instanceof ReconnectScheduled r) {
                        scheduledDelay = r.delay();
                        if (r.delay().compareTo(policy.minDelay()) < 0 || r.delay().compareTo(policy.maxDelay()) > 0) {
                            return Optional.of("delay " + r.delay() + " outside [" + policy.minDelay() + ", "
                                    + policy.maxDelay() + "]");
                        }
                    } else if (event instanceof AuthenticationFailed) {
                        authFailedAt = latest;
                    } else if (event instanceof Connected) {
                        connectedAt = latest;
                    } else if (event instanceof Disconnected) {
                        if (Duration.between(connectedAt, latest).compareTo(policy.stablePeriod()) >= 0) {
                            resetAllowed = true;
                        }
                    } else if (event instanceof GaveUp) {
                        resetAllowed = true;
                    } else if (event instanceof Connecting c) {
                        if (c.attempt() <= lastAttempt && !resetAllowed) {
                            return Optional.of("attempt counter went from " + lastAttempt + " to " + c.attempt()
                                    + " without a connection that stayed up for " + policy.stablePeriod());
                        }
                        lastAttempt = c.attempt();
                        resetAllowed = false;
                    } else if (event instanceof Closed) {
                        closed = true;
                    }
                }
            }
            if (scheduledDelay != null && !latest.plus(scheduledDelay).equals(scheduledAt)) {
                return Optional.of("timer at " + scheduledAt + " but delay " + scheduledDelay + " from " + latest);
            }
            return Optional.empty();
        }
    }

    /** The rules of {@link ConnectionSupervisor}, restated as plainly as possible. */
    static final class Model {
        private final ReconnectPolicy p;
        SupervisorState state = SupervisorState.IDLE;
        private int failures;
        private Instant connectedAt;
        private Instant deadline;
        private final Deque<Instant> shortLosses = new ArrayDeque<>();
        private Instant lastReport;

        Model(ReconnectPolicy policy) {
            this.p = policy;
        }

        Optional<String> check(Step step, Instant now, List<SupervisorAction> actions) {
            List<String> expected = new ArrayList<>();
            Duration low = null;
            Duration high = null;
            boolean waits = false;
            switch (step.kind()) {
                case START -> {
                    if (state == SupervisorState.IDLE) {
                        failures = 0;
                        shortLosses.clear();
                        lastReport = null;
                        state = SupervisorState.CONNECTING;
                        expected.addAll(List.of("connecting 1", "connect"));
                    }
                }
                case SUCCEED -> {
                    if (state == SupervisorState.CONNECTING) {
                        state = SupervisorState.CONNECTED;
                        connectedAt = now;
                        expected.add("connected " + step.flag());
                    }
                }
                case FAIL_TRANSIENT, FAIL_AUTH -> {
                    if (state == SupervisorState.CONNECTING) {
                        failures++;
                        if (step.kind() == Kind.FAIL_AUTH) {
                            expected.add("auth-failed " + p.maxDelay());
                            low = p.maxDelay();
                            high = p.maxDelay();
                        }
                        waits = true;
                    }
                }
                case FAIL_PERMANENT -> {
                    if (state == SupervisorState.CONNECTING) {
                        state = SupervisorState.IDLE;
                        expected.add("gave-up");
                    }
                }
                case LOSE -> {
                    if (state == SupervisorState.CONNECTED) {
                        expected.add("disconnected");
                        if (Duration.between(connectedAt, now).compareTo(p.stablePeriod()) >= 0) {
                            failures = 0;
                            shortLosses.clear();
                        } else {
                            failures++;
                            shortLosses.add(now);
                        }
                        prune(now);
                        if (shortLosses.size() >= p.takeOverLosses()
                                && (lastReport == null || Duration.between(lastReport, now).compareTo(p.takeOverWindow()) >= 0)) {
                            lastReport = now;
                            expected.add("take-over " + shortLosses.size());
                        }
                        waits = true;
                    }
                }
                case TICK, TICK_AT_TIMER -> {
                    if (state == SupervisorState.WAITING) {
                        if (now.isBefore(deadline)) {
                            expected.add("timer " + deadline);
                        } else {
                            state = SupervisorState.CONNECTING;
                            expected.addAll(List.of("connecting " + (failures + 1), "connect"));
                        }
                    }
                }
                case CLOSE -> {
                    if (state != SupervisorState.CLOSED) {
                        if (state == SupervisorState.WAITING) {
                            expected.add("cancel");
                        }
                        expected.add("closed");
                        state = SupervisorState.CLOSED;
                    }
                }
            }
            if (waits) {
                state = SupervisorState.WAITING;
                prune(now);
                if (low == null) {
                    if (shortLosses.size() >= p.takeOverLosses()) {
                        low = p.maxDelay();
                        high = p.maxDelay();
                    } else {
                        double base = Math.min(p.maxDelay().toNanos(),
                                p.minDelay().toNanos() * Math.pow(p.multiplier(), Math.max(1, failures) - 1));
                        low = clamp(base * (1 - p.jitter()) - SLACK_NANOS);
                        high = clamp(base * (1 + p.jitter()) + SLACK_NANOS);
                    }
                }
                expected.add("timer");
                expected.add("scheduled " + (failures + 1));
            }

            List<String> actual = new ArrayList<>();
            Duration delay = null;
            for (SupervisorAction a : actions) {
                actual.add(describe(a, waits));
                if (a instanceof Emit e && e.event() instanceof ReconnectScheduled r) {
                    delay = r.delay();
                }
            }
            if (!actual.equals(expected)) {
                return Optional.of("model expects " + expected + " but got " + actual);
            }
            if (waits) {
                if (delay.compareTo(low) < 0 || delay.compareTo(high) > 0) {
                    return Optional.of("delay " + delay + " outside the model's [" + low + ", " + high + "] after "
                            + failures + " failures");
                }
                deadline = now.plus(delay);
            }
            return Optional.empty();
        }

        private void prune(Instant now) {
            while (!shortLosses.isEmpty()
                    && Duration.between(shortLosses.peekFirst(), now).compareTo(p.takeOverWindow()) > 0) {
                shortLosses.removeFirst();
            }
        }

        private Duration clamp(double nanos) {
            double clamped = Math.max(p.minDelay().toNanos(), Math.min(p.maxDelay().toNanos(), nanos));
            return Duration.ofNanos((long) clamped);
        }

        private static String describe(SupervisorAction action, boolean waits) {
            if (action instanceof Connect) {
                return "connect";
            } else if (action instanceof CancelTimer) {
                return "cancel";
            } else if (action instanceof ScheduleTimer t) {
                return waits ? "timer" : "timer " + t.at();
            }
            LifecycleEvent event = ((Emit) action).event();
            if (event instanceof Connecting c) {
                return "connecting " + c.attempt();
            } else if (event instanceof Connected c) {
                return "connected " + c.sessionPresent();
            } else if (event instanceof Disconnected) {
                return "disconnected";
            } else if (event instanceof ReconnectScheduled r) {
                return "scheduled " + r.attempt();
            } else if (event instanceof AuthenticationFailed f) {
                return "auth-failed " + f.nextRetryDelay();
            } else if (event instanceof ClientIdTakeOverSuspected t) {
                return "take-over " + t.lossesInWindow();
            } else if (event instanceof GaveUp) {
                return "gave-up";
            }
            return "closed";
        }
    }
}
