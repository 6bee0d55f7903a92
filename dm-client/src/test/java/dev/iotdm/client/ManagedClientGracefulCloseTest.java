package dev.iotdm.client;

import static dev.iotdm.client.Harness.MANAGE;
import static dev.iotdm.client.Harness.await;
import static dev.iotdm.client.testing.ClientAssertions.assertThat;

import dev.iotdm.client.testing.FakeTransport.Published;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.session.SessionClosedException;
import dev.iotdm.transport.Qos;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The graceful close (decided replies are not overtaken by the disconnect), the command
 * handler's event publisher and the lapse of a manage lifetime, on the fake transport. The same
 * close over real sockets is {@code CloseFlushTest} in conformance-tests.
 */
@Timeout(60)
class ManagedClientGracefulCloseTest {

    private static final String REBOOT = "iotdm-1/mgmt/initiate/device/reboot";
    private static final Duration FLUSH = Duration.ofSeconds(20);

    @Test
    void a_reboot_handler_that_closes_the_client_at_once_still_has_its_202_published_first() {
        CompletableFuture<CloseOutcome> closed = new CompletableFuture<>();
        Harness[] holder = new Harness[1];
        try (Harness h = Harness.sharedPools(b -> b.deviceActionHandler((kind, reqId) -> {
            // The restart starts before the handler returns its answer: the close must wait for it.
            Thread restart = new Thread(() -> closed.complete(holder[0].client.close(FLUSH)), "restart");
            restart.start();
            return CompletableFuture.completedFuture(ActionResponse.accepted());
        }))) {
            holder[0] = h;

            Published accepted = rebootAnswered(h);
            assertThat(accepted).hasRc(202);
            assertThat(closed).as("the close waits for the 202's PUBACK").isNotDone();
            assertThat(h.transport.disconnectCalls()).isZero();
            accepted.ack();

            assertThat(await(closed)).isInstanceOf(CloseOutcome.Flushed.class);
            assertThat(h.transport.disconnectCalls()).isEqualTo(1);
        }
    }

    @Test
    void a_reply_without_its_puback_at_the_deadline_is_reported_by_the_outcome_an_event_and_the_log() {
        try (Harness h = acceptingReboots()) {
            assertThat(rebootAnswered(h)).hasRc(202); // never acknowledged

            CloseOutcome outcome = h.client.close(Duration.ofMillis(300));

            assertThat(outcome).isEqualTo(new CloseOutcome.Unacknowledged(1, 0, Duration.ofMillis(300)));
            h.settle();
            assertThat(h.events).contains(new ClientEvent.UnacknowledgedAtClose(1, 0, Duration.ofMillis(300)));
            assertThat(h.client.close(Duration.ZERO)).as("a second close returns the first one's outcome")
                    .isEqualTo(outcome);
        }
    }

    @Test
    void requests_made_while_the_close_flushes_fail_as_closed() {
        try (Harness h = acceptingReboots()) {
            Published accepted = rebootAnswered(h);
            CompletableFuture<CloseOutcome> closed = CompletableFuture.supplyAsync(() -> h.client.close(FLUSH));
            CompletableFuture<Void> late;
            do { // until the close has started to flush: then events fail at once
                late = h.client.publishEvent("late", JsonObject.EMPTY, Qos.AT_LEAST_ONCE);
                h.settle();
            } while (!late.isDone() && !closed.isDone());

            assertThat(Harness.failure(late)).isInstanceOf(SessionClosedException.class)
                    .hasMessageContaining("closing");
            accepted.ack();
            assertThat(await(closed)).isInstanceOf(CloseOutcome.Flushed.class);
        }
    }

    /** A client on virtual time whose reboot handler answers 202 at once. */
    private static Harness acceptingReboots() {
        return Harness.virtual(b -> b.deviceActionHandler(
                (kind, reqId) -> CompletableFuture.completedFuture(ActionResponse.accepted())));
    }

    /** Connects, manages with device actions, lets the platform ask for a reboot; returns the device's answer. */
    private static Published rebootAnswered(Harness h) {
        h.connect();
        h.manage(ManageParams.of(3600, true, false));
        h.transport.deliver(REBOOT, "{\"reqId\":\"reboot-1\"}");
        return h.responseTo("reboot-1");
    }

    @Test
    void a_command_handler_replies_with_an_event_through_the_publisher_it_is_given() {
        try (Harness h = Harness.virtual(b -> b.commandHandler("ping",
                (command, events) -> events.publishEvent("pong", command.payload().asJson(), Qos.AT_LEAST_ONCE)))) {
            h.connect();

            h.transport.deliver("iot-2/cmd/ping/fmt/json", "{\"n\":7}");

            Published pong = h.transport.nextPublish("iot-2/evt/pong/fmt/json");
            assertThat(pong.text()).isEqualTo("{\"n\":7}");
            assertThat(pong.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
        }
    }

    @Test
    void a_lifetime_that_runs_out_without_a_successful_re_manage_is_reported_once() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();
            Instant managedAt = h.time.instant();
            h.manage(ManageParams.of(3600, false, false));

            h.time.advance(Duration.ofSeconds(3600 + 1)); // the re-manage before expiry is never answered

            assertThat(h.transport.publishes(MANAGE)).as("the client tried to manage again").hasSizeGreaterThan(1);
            h.settle();
            assertThat(h.events.stream().filter(ClientEvent.ManageLapsed.class::isInstance))
                    .containsExactly(new ClientEvent.ManageLapsed(Duration.ofSeconds(3600), managedAt));
        }
    }

    @Test
    void a_re_manage_answered_in_time_starts_the_lifetime_again() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();
            Instant managedAt = h.time.instant();
            h.manage(ManageParams.of(3600, false, false));
            h.time.advanceToNextTask(); // the re-manage before expiry
            Published again = h.transport.nextPublish(MANAGE);
            h.transport.respond(again, 200);

            h.time.advanceTo(managedAt.plusSeconds(3600 + 1)); // past the first manage's lifetime

            h.settle();
            assertThat(h.events).noneMatch(ClientEvent.ManageLapsed.class::isInstance);
        }
    }
}
