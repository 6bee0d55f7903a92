package dev.iotdm.client;

import static dev.iotdm.client.Harness.failure;
import static dev.iotdm.client.testing.ClientAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.session.SessionClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's default shared pools are bounded, and close() is bounded whatever a handler does. */
@Timeout(60)
class DefaultPoolsTest {

    private static final String REBOOT = "iotdm-1/mgmt/initiate/device/reboot";

    /** close() with a FakeTransport: 5 s for the session, 5 s for the disconnect, plus slack. */
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(12);
    /** How long a close waits for a handler's answer in these tests. */
    private static final Duration FLUSH = Duration.ofMillis(500);

    @Test
    void blocking_handlers_beyond_the_callback_bound_queue_and_run_once_threads_free_up() throws Exception {
        int devices = ManagedClient.DEFAULT_CALLBACK_THREADS + 4;
        Semaphore entered = new Semaphore(0);
        CountDownLatch release = new CountDownLatch(1);
        List<Harness> fleet = new ArrayList<>();
        try {
            for (int i = 0; i < devices; i++) {
                Harness h = Harness.sharedPools(b -> b.deviceActionHandler((kind, reqId) -> {
                    entered.release();
                    awaitQuietly(release);
                    return CompletableFuture.completedFuture(ActionResponse.accepted());
                }));
                fleet.add(h);
                h.connect();
                h.manage(ManageParams.of(3600, true, false));
            }
            for (Harness h : fleet) {
                h.transport.deliver(REBOOT, "{\"reqId\":\"reboot-1\"}");
            }

            assertThat(entered.tryAcquire(ManagedClient.DEFAULT_CALLBACK_THREADS, Harness.WAIT.toMillis(),
                    TimeUnit.MILLISECONDS)).as("as many handlers running as the pool has threads").isTrue();
            assertThat(ManagedClient.Shared.CALLBACKS.getLargestPoolSize())
                    .isLessThanOrEqualTo(ManagedClient.DEFAULT_CALLBACK_THREADS);
            release.countDown();

            for (Harness h : fleet) {
                assertThat(h.responseTo("reboot-1")).hasRc(202);
            }
            assertThat(ManagedClient.Shared.CALLBACKS.getLargestPoolSize())
                    .as("never a thread per client").isEqualTo(ManagedClient.DEFAULT_CALLBACK_THREADS);
            assertThat(ManagedClient.Shared.SESSIONS.getLargestPoolSize())
                    .isLessThanOrEqualTo(ManagedClient.DEFAULT_SESSION_THREADS);
        } finally {
            release.countDown();
            fleet.forEach(Harness::close);
        }
    }

    @Test
    void close_returns_within_its_bound_while_a_handler_never_returns() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        try (Harness h = Harness.sharedPools(b -> b.deviceActionHandler((kind, reqId) -> {
            entered.countDown();
            awaitQuietly(never); // released only after the test, so no thread is left behind
            return CompletableFuture.completedFuture(ActionResponse.accepted());
        }))) {
            h.connect();
            h.manage(ManageParams.of(3600, true, false));
            h.transport.deliver(REBOOT, "{\"reqId\":\"reboot-1\"}");
            assertThat(entered.await(Harness.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            CompletableFuture<?> pending = h.client.setLocation(Location.of(1, 2));

            CloseOutcome outcome = assertTimeoutPreemptively(CLOSE_BOUND.plus(FLUSH),
                    () -> h.client.close(FLUSH));

            assertThat(outcome).as("the handler never answered").isEqualTo(new CloseOutcome.Unacknowledged(0, 1, FLUSH));
            assertThat(failure(pending)).isInstanceOf(SessionClosedException.class);
            assertThat(h.transport.isConnected()).isFalse();
        } finally {
            never.countDown();
        }
    }

    @Test
    void close_returns_within_its_bound_while_a_listener_holds_the_only_callback_thread() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        try (Harness h = Harness.virtual(b -> b.listener(event -> {
            entered.countDown();
            awaitQuietly(never);
        }))) {
            CompletableFuture<Void> connecting = h.client.connect();
            h.transport.acceptConnectAndSubscribe(false);
            assertThat(entered.await(Harness.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            assertTimeoutPreemptively(CLOSE_BOUND, () -> h.client.close());

            assertThat(h.transport.isConnected()).isFalse();
            assertThat(connecting).as("its completion waits for the held callback thread").isNotDone();
        } finally {
            never.countDown();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
