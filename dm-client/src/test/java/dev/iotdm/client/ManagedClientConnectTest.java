package dev.iotdm.client;

import static dev.iotdm.client.Harness.await;
import static dev.iotdm.client.Harness.failure;
import static dev.iotdm.client.testing.ClientAssertions.assertThat;

import dev.iotdm.protocol.supervisor.ReconnectPolicy;
import dev.iotdm.client.testing.FakeTransport.ConnectAttempt;
import dev.iotdm.client.testing.FakeTransport.SubscribeCall;
import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.Qos;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ManagedClientConnectTest {

    private static final ConnectFailure UNREACHABLE = new ConnectFailure.Unreachable("connection refused");

    @Test
    void connect_completes_only_after_connack_and_both_subacks() {
        try (Harness h = Harness.virtual(b -> b)) {
            CompletableFuture<Void> ready = h.client.connect();
            ConnectAttempt attempt = h.transport.nextConnect();
            assertThat(attempt.options().clientId()).isEqualTo("d:abc123:sensor:dev-1");
            h.settle();
            assertThat(ready).isNotDone();

            attempt.accept(false);
            SubscribeCall subscribe = h.transport.nextSubscribe();
            assertThat(subscribe.filters()).containsExactly("iotdm-1/#", "iot-2/cmd/+/fmt/+");
            assertThat(subscribe.subscriptions()).allSatisfy(s -> assertThat(s.qos()).isEqualTo(Qos.AT_LEAST_ONCE));
            h.settle();
            assertThat(ready).isNotDone();
            assertThat(h.client.isConnected()).isFalse();

            subscribe.grantAll();
            await(ready);
            assertThat(h.client.isConnected()).isTrue();
        }
    }

    @Test
    void a_refused_dm_subscription_fails_connect_and_drops_the_connection() {
        try (Harness h = Harness.virtual(b -> b)) {
            CompletableFuture<Void> ready = h.client.connect();
            h.transport.nextConnect().accept(false);
            h.transport.nextSubscribe().refuse("iotdm-1/#");

            assertThat(failure(ready)).isInstanceOf(IllegalStateException.class).hasMessageContaining("iotdm-1/#");
            assertThat(h.transport.disconnectCalls()).isEqualTo(1);
            assertThat(h.transport.isConnected()).isFalse();
            assertThat(h.client.isConnected()).isFalse();
        }
    }

    @Test
    void after_a_refused_dm_subscription_the_client_reconnects_with_backoff() {
        try (Harness h = Harness.virtual(b -> b.retryUntilFirstConnect(true))) {
            CompletableFuture<Void> first = h.client.connect();
            h.transport.nextConnect().accept(false);
            h.transport.nextSubscribe().refuse("iotdm-1/#");
            failure(first);

            Instant refusedAt = h.time.instant();
            Instant retryAt = h.time.advanceToNextTask();
            assertThat(Duration.between(refusedAt, retryAt)).isPositive();
            CompletableFuture<Void> second = h.client.connect();
            h.transport.acceptConnectAndSubscribe(false);
            await(second);
            assertThat(h.client.isConnected()).isTrue();
        }
    }

    @Test
    void repeated_subscription_refusals_back_off_as_failed_attempts_not_as_a_client_id_take_over() {
        try (Harness h = Harness.virtual(b -> b.retryUntilFirstConnect(true))) {
            h.client.connect();
            for (int i = 0; i < 5; i++) {
                h.transport.nextConnect().accept(false);
                h.transport.nextSubscribe().refuse("iotdm-1/#");
                h.time.advanceToNextTask();
            }
            assertThat(h.events).noneMatch(e -> e instanceof ClientEvent.Lifecycle l
                    && l.event() instanceof dev.iotdm.protocol.supervisor.LifecycleEvent.ClientIdTakeOverSuspected);
            assertThat(h.events).anyMatch(e -> e instanceof ClientEvent.Lifecycle l
                    && l.event() instanceof dev.iotdm.protocol.supervisor.LifecycleEvent.ReconnectScheduled);
        }
    }

    @Test
    void a_connection_lost_while_waiting_for_the_suback_is_reconnected_not_taken_for_a_refusal() {
        try (Harness h = Harness.virtual(b -> b.retryUntilFirstConnect(true))) {
            CompletableFuture<Void> ready = h.client.connect();
            h.transport.nextConnect().accept(false);
            h.transport.nextSubscribe(); // never answered
            h.transport.dropConnection("socket reset"); // fails the SUBSCRIBE, then connectionLost

            h.settle();
            assertThat(ready).isNotDone();
            assertThat(h.transport.disconnectCalls()).isZero();
            h.time.advanceToNextTask(); // the reconnect backoff
            h.transport.acceptConnectAndSubscribe(false);
            await(ready);
        }
    }

    @Test
    void a_refused_command_subscription_still_connects() {
        try (Harness h = Harness.virtual(b -> b)) {
            CompletableFuture<Void> ready = h.client.connect();
            h.transport.nextConnect().accept(false);
            h.transport.nextSubscribe().refuse("iot-2/cmd/+/fmt/+");
            await(ready);
            assertThat(h.client.isConnected()).isTrue();
        }
    }

    @Test
    void bad_credentials_fail_connect_with_not_authorized_and_are_retried_only_after_the_maximum_delay() {
        Duration max = ReconnectPolicy.DEFAULT.maxDelay();
        ConnectFailure notAuthorized = new ConnectFailure.NotAuthorized(5, Optional.empty());
        try (Harness h = Harness.virtual(b -> b.retryUntilFirstConnect(true))) {
            CompletableFuture<Void> ready = h.client.connect();
            for (int attempts = 1; attempts <= 4; attempts++) {
                h.transport.nextConnect().refuse(notAuthorized);
                if (attempts == 1) {
                    Throwable cause = failure(ready);
                    assertThat(cause).isInstanceOf(ConnectFailureException.class);
                    assertThat(((ConnectFailureException) cause).failure()).isEqualTo(notAuthorized);
                }
                h.time.advance(max.minusMillis(1));
                assertThat(h.transport.connectAttempts()).as("attempts before the maximum delay").isEqualTo(attempts);
                h.time.advance(Duration.ofMillis(1));
                assertThat(h.transport.connectAttempts()).as("attempts at the maximum delay").isEqualTo(attempts + 1);
            }
        }
    }

    @Test
    void transient_failures_are_retried_with_delays_within_the_policy_bounds_including_jitter() {
        ReconnectPolicy policy = ReconnectPolicy.DEFAULT.withDelays(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .withGrowth(2.0, 0.5);
        Set<Duration> firstDelays = new HashSet<>();
        for (long seed = 1; seed <= 5; seed++) {
            try (Harness h = Harness.virtual(seed, b -> b.retryUntilFirstConnect(true).reconnectPolicy(policy))) {
                h.client.connect();
                for (int failures = 1; failures <= 8; failures++) {
                    h.transport.nextConnect().refuse(UNREACHABLE);
                    Instant failedAt = h.time.instant();
                    Instant retriedAt = h.time.advanceToNextTask();
                    assertThat(h.transport.connectAttempts()).as("seed %d, failure %d", seed, failures)
                            .isEqualTo(failures + 1);

                    Duration delay = Duration.between(failedAt, retriedAt);
                    double base = Math.min(policy.maxDelay().toNanos(),
                            policy.minDelay().toNanos() * Math.pow(policy.multiplier(), failures - 1));
                    long lower = (long) Math.max(policy.minDelay().toNanos(), base * (1 - policy.jitter()));
                    long upper = (long) Math.min(policy.maxDelay().toNanos(), base * (1 + policy.jitter()));
                    assertThat(delay.toNanos()).as("seed %d, failure %d: delay %s", seed, failures, delay)
                            .isBetween(lower, upper);
                    if (failures == 1) {
                        firstDelays.add(delay);
                    }
                }
            }
        }
        assertThat(firstDelays).as("jitter spreads the delays").hasSizeGreaterThan(1);
    }

    @Test
    void connect_times_out_with_a_timeout_exception_while_retries_continue() {
        Duration connectTimeout = Duration.ofSeconds(10);
        ReconnectPolicy policy = ReconnectPolicy.DEFAULT.withDelays(Duration.ofSeconds(1), Duration.ofSeconds(4));
        try (Harness h = Harness.virtual(b -> b.retryUntilFirstConnect(true).reconnectPolicy(policy).connectTimeout(connectTimeout))) {
            Instant deadline = h.time.instant().plus(connectTimeout);
            CompletableFuture<Void> ready = h.client.connect();
            int refused = 0;
            while (h.time.instant().isBefore(deadline)) {
                h.transport.nextConnect().refuse(UNREACHABLE);
                refused++;
                h.time.advanceToNextTask();
            }
            assertThat(failure(ready)).isInstanceOf(TimeoutException.class);

            if (h.transport.connectAttempts() == refused) {
                h.time.advanceToNextTask(); // the timeout fired before the next attempt was due
            }
            assertThat(h.transport.connectAttempts()).isEqualTo(refused + 1);
            h.transport.acceptConnectAndSubscribe(false);
            assertThat(h.client.isConnected()).isTrue();
            await(h.client.connect());
        }
    }
}
