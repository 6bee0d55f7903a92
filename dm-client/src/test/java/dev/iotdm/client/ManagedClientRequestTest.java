package dev.iotdm.client;

import static dev.iotdm.client.Harness.MANAGE;
import static dev.iotdm.client.Harness.await;
import static dev.iotdm.client.Harness.failure;
import static dev.iotdm.client.testing.ClientAssertions.assertThat;

import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LogSeverity;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.session.SessionEvent;
import dev.iotdm.client.testing.FakeTransport.Published;
import dev.iotdm.transport.NotConnectedException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(30)
class ManagedClientRequestTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    // ---- manage ----

    @Test
    void manage_called_before_connect_is_sent_once_connected() {
        try (Harness h = Harness.virtual(b -> b.requestTimeout(REQUEST_TIMEOUT))) {
            CompletableFuture<PlatformResponse> managed = h.client.manage(3600, true, false);
            assertThat(h.transport.publishes(MANAGE)).isEmpty();

            h.connect();
            Published sent = h.transport.nextPublish(MANAGE);
            assertThat(sent).hasJson("d.lifetime", "3600");
            assertThat(sent).hasJson("d.supports.deviceActions", "true");
            assertThat(sent).hasJson("d.supports.firmwareActions", "false");
            h.settle();
            assertThat(managed).isNotDone();

            h.transport.respond(sent, 200);
            assertThat(await(managed).rc()).isEqualTo(Rc.OK);
        }
    }

    @Test
    void manage_completes_with_the_platforms_200_response() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();
            CompletableFuture<PlatformResponse> managed = h.client.manage(ManageParams.of(0, true, true, "acme-v1"));
            Published sent = h.transport.nextPublish(MANAGE);
            assertThat(sent).hasJson("d.supports.acme-v1", "true");
            h.transport.respond(sent, 200);

            PlatformResponse response = await(managed);
            assertThat(response.rc()).isEqualTo(Rc.OK);
            assertThat(response.reqId()).contains(sent.reqId());
        }
    }

    @Test
    void manage_answered_400_fails_with_a_dm_request_exception_carrying_the_rc() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();
            CompletableFuture<PlatformResponse> managed = h.client.manage(3600, false, false);
            h.transport.respond(h.transport.nextPublish(MANAGE), 400, "lifetime out of range");

            Throwable cause = failure(managed);
            assertThat(cause).isInstanceOf(DmRequestException.class);
            DmRequestException refused = (DmRequestException) cause;
            assertThat(refused.rc()).isEqualTo(Rc.BAD_REQUEST);
            assertThat(refused.request()).isEqualTo("manage");
            assertThat(refused.platformMessage()).contains("lifetime out of range");
        }
    }

    @Test
    void manage_without_a_response_times_out_after_the_request_timeout() {
        try (Harness h = Harness.virtual(b -> b.requestTimeout(REQUEST_TIMEOUT))) {
            h.connect();
            CompletableFuture<PlatformResponse> managed = h.client.manage(3600, false, false);
            h.transport.nextPublish(MANAGE);

            h.time.advance(REQUEST_TIMEOUT.minusMillis(1));
            h.settle();
            assertThat(managed).isNotDone();
            h.time.advance(Duration.ofMillis(1));
            assertThat(failure(managed)).isInstanceOf(TimeoutException.class).hasMessageContaining("manage");
        }
    }

    @Test
    void after_a_connection_loss_and_reconnect_exactly_one_manage_is_resent_with_the_same_parameters() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();
            Published first = h.manage(ManageParams.of(7200, true, true, "acme-v1"));

            h.transport.dropConnection("broker restarted");
            assertThat(h.client.isConnected()).isFalse();
            h.time.advanceToNextTask(); // the reconnect backoff
            h.transport.acceptConnectAndSubscribe(false);

            Published again = h.transport.nextPublish(MANAGE);
            assertThat(again.connection()).isEqualTo(2);
            assertThat(again.reqId()).isNotEqualTo(first.reqId());
            assertThat(again.at("d.lifetime")).isEqualTo(first.at("d.lifetime"));
            assertThat(again.at("d.supports")).isEqualTo(first.at("d.supports"));
            h.transport.respond(again, 200);
            h.settle();

            assertThat(h.transport.publishes(MANAGE)).hasSize(2);
            assertThat(h.events).contains(new ClientEvent.Session(new SessionEvent.AutoManageSucceeded("connected")));
        }
    }

    @Test
    void the_lifetime_remanage_goes_out_before_expiry_with_the_same_parameters() {
        long lifetime = 3600;
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();
            Instant managedAt = h.time.instant();
            Published first = h.manage(ManageParams.of(lifetime, true, false));

            h.time.advanceTo(managedAt.plusSeconds(lifetime / 2));
            assertThat(h.transport.publishes(MANAGE)).as("nothing in the first half of the lifetime").hasSize(1);
            // protocol.md §9.2: well before expiry, a margin of at least 10 % and 120 s.
            h.time.advanceTo(managedAt.plusSeconds(lifetime - Math.max(120, lifetime / 10)));
            assertThat(h.transport.publishes(MANAGE)).hasSize(2);

            Published renewal = h.transport.nextPublish(MANAGE);
            assertThat(renewal.at("d.lifetime")).isEqualTo(first.at("d.lifetime"));
            assertThat(renewal.at("d.supports")).isEqualTo(first.at("d.supports"));
            Instant renewedAt = h.time.instant();
            h.transport.respond(renewal, 200);

            h.time.advanceTo(renewedAt.plusSeconds(lifetime - Math.max(120, lifetime / 10)));
            assertThat(h.transport.publishes(MANAGE)).as("the renewal renews itself").hasSize(3);
        }
    }

    // ---- the other device requests ----

    static Stream<Arguments> deviceRequests() {
        return Stream.of(
                request("setLocation", "iotdevice-1/device/update/location", c -> c.setLocation(Location.of(30.28, -97.73))),
                request("addErrorCode", "iotdevice-1/add/diag/errorCodes", c -> c.addErrorCode(42)),
                request("clearErrorCodes", "iotdevice-1/clear/diag/errorCodes", ManagedClient::clearErrorCodes),
                request("addLog", "iotdevice-1/add/diag/log",
                        c -> c.addLog("disk nearly full", null, LogSeverity.WARNING)),
                request("clearLog", "iotdevice-1/clear/diag/log", ManagedClient::clearLog));
    }

    private static Arguments request(String name, String topic,
            Function<ManagedClient, CompletableFuture<PlatformResponse>> call) {
        return Arguments.of(name, topic, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deviceRequests")
    void device_requests_complete_on_their_200_response(String name, String topic,
            Function<ManagedClient, CompletableFuture<PlatformResponse>> call) {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();
            CompletableFuture<PlatformResponse> done = call.apply(h.client);
            Published sent = h.transport.nextPublish(topic);
            h.settle();
            assertThat(done).isNotDone();

            h.transport.respond(sent, 200);
            assertThat(await(done).reqId()).contains(sent.reqId());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deviceRequests")
    void device_requests_refused_by_the_platform_fail_with_its_rc(String name, String topic,
            Function<ManagedClient, CompletableFuture<PlatformResponse>> call) {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();
            CompletableFuture<PlatformResponse> done = call.apply(h.client);
            h.transport.respond(h.transport.nextPublish(topic), 404, "device unknown");

            Throwable cause = failure(done);
            assertThat(cause).isInstanceOf(DmRequestException.class);
            assertThat(((DmRequestException) cause).rc()).isEqualTo(Rc.NOT_FOUND);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deviceRequests")
    void device_requests_fail_fast_when_not_connected_and_the_offline_policy_is_to_fail(String name, String topic,
            Function<ManagedClient, CompletableFuture<PlatformResponse>> call) {
        try (Harness h = Harness.virtual(b -> b.offlineEventLimit(0))) {
            CompletableFuture<PlatformResponse> done = call.apply(h.client);

            assertThat(failure(done)).isInstanceOf(NotConnectedException.class).hasMessageContaining("not connected");
            assertThat(h.transport.publishes()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deviceRequests")
    void device_requests_made_offline_wait_and_complete_once_on_the_answer_after_connecting(String name,
            String topic, Function<ManagedClient, CompletableFuture<PlatformResponse>> call) {
        try (Harness h = Harness.virtual(b -> b)) {
            CompletableFuture<PlatformResponse> done = call.apply(h.client);
            h.settle();
            assertThat(done).isNotDone();
            assertThat(h.transport.publishes()).isEmpty();

            h.connect();
            h.transport.respond(h.transport.nextPublish(topic), 200);

            assertThat(await(done).rc().code()).isEqualTo(200);
        }
    }

    @Test
    void a_device_request_without_a_response_times_out_after_the_request_timeout() {
        try (Harness h = Harness.virtual(b -> b.requestTimeout(REQUEST_TIMEOUT))) {
            h.connect();
            CompletableFuture<PlatformResponse> done = h.client.addErrorCode(7);
            h.transport.nextPublish("iotdevice-1/add/diag/errorCodes");

            h.time.advance(REQUEST_TIMEOUT.minusMillis(1));
            h.settle();
            assertThat(done).isNotDone();
            h.time.advance(Duration.ofMillis(1));
            assertThat(failure(done)).isInstanceOf(TimeoutException.class);
        }
    }
}
