package dev.iotdm.client;

import static dev.iotdm.client.Harness.MANAGE;
import static dev.iotdm.client.Harness.await;
import static dev.iotdm.client.Harness.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.client.testing.FakeTransport.Published;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.session.RequestOutcome;
import dev.iotdm.transport.Qos;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The figures metrics read: one {@link ClientEvent.RequestCompleted} per request the application
 * made (kind, rc, latency on the client's clock), and the pending-request and queued-publish counts.
 */
@Timeout(30)
class ManagedClientFiguresTest {

    private static final String TEMP = "iot-2/evt/temp/fmt/json";

    @Test
    void an_answered_manage_reports_its_kind_rc_and_latency_on_the_clients_clock() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();
            CompletableFuture<PlatformResponse> managed = h.client.manage(3600, false, false);
            Published sent = h.transport.nextPublish(MANAGE);
            h.time.advance(Duration.ofMillis(250));
            h.transport.respond(sent, 200);
            await(managed);
            h.settle();

            List<ClientEvent.RequestCompleted> completed = completed(h);
            assertThat(completed).hasSize(1);
            ClientEvent.RequestCompleted manage = completed.get(0);
            assertThat(manage.type()).isEqualTo("manage");
            assertThat(manage.rc()).contains(Rc.OK);
            assertThat(manage.latency()).isEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void a_refused_request_reports_the_platforms_rc() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();
            CompletableFuture<PlatformResponse> managed = h.client.manage(3600, false, false);
            h.transport.respond(h.transport.nextPublish(MANAGE), 400, "lifetime out of range");
            failure(managed);
            h.settle();

            assertThat(completed(h)).singleElement().satisfies(e -> assertThat(e.rc()).contains(Rc.BAD_REQUEST));
        }
    }

    @Test
    void an_error_code_request_reports_its_kind_without_the_code_so_the_kinds_stay_a_small_set() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connectAndManage();
            CompletableFuture<PlatformResponse> added = h.client.addErrorCode(7);
            h.transport.respond(h.transport.nextPublish("iotdevice-1/add/diag/errorCodes"), 200);
            await(added);
            h.settle();

            assertThat(completed(h)).last().satisfies(e -> {
                assertThat(e.request()).isEqualTo("addErrorCode(7)");
                assertThat(e.type()).isEqualTo("addErrorCode");
            });
        }
    }

    @Test
    void an_event_publish_reports_kind_event_without_its_id_and_no_rc() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();
            CompletableFuture<Void> sent = h.client.publishEvent("temp", JsonObject.builder().put("c", 21).build(),
                    Qos.AT_LEAST_ONCE);
            h.transport.nextPublish(TEMP).ack();
            await(sent);
            h.settle();

            assertThat(completed(h)).singleElement().satisfies(e -> {
                assertThat(e.request()).isEqualTo("event temp");
                assertThat(e.type()).isEqualTo("event");
                assertThat(e.outcome()).isInstanceOf(RequestOutcome.Delivered.class);
                assertThat(e.rc()).isEmpty();
            });
        }
    }

    @Test
    void pending_requests_and_queued_publishes_count_what_waits() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.transport.window(1);
            h.connect();
            JsonObject reading = JsonObject.builder().put("c", 21).build();
            CompletableFuture<Void> first = h.client.publishEvent("temp", reading, Qos.AT_LEAST_ONCE); // in flight
            CompletableFuture<Void> second = h.client.publishEvent("temp", reading, Qos.AT_LEAST_ONCE); // queued
            Published inFlight = h.transport.nextPublish(TEMP);

            assertThat(h.client.pendingRequests()).isEqualTo(2);
            assertThat(h.client.queuedPublishes()).isEqualTo(1);

            // ack() returns once the client's reaction to it is complete (direct session executor).
            inFlight.ack();
            assertThat(h.client.pendingRequests()).isEqualTo(1);
            assertThat(h.client.queuedPublishes()).isZero();
            h.transport.nextPublish(TEMP).ack();
            assertThat(h.client.pendingRequests()).isZero();
            await(first);
            await(second);
        }
    }

    private static List<ClientEvent.RequestCompleted> completed(Harness h) {
        return h.events.stream().filter(ClientEvent.RequestCompleted.class::isInstance)
                .map(ClientEvent.RequestCompleted.class::cast).toList();
    }
}
