package dev.iotdm.client;

import static dev.iotdm.client.Harness.MANAGE;
import static dev.iotdm.client.Harness.failure;
import static dev.iotdm.client.testing.ClientAssertions.assertThat;

import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.session.SessionClosedException;
import dev.iotdm.client.testing.FakeTransport.ConnectAttempt;
import dev.iotdm.transport.Qos;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ManagedClientCloseTest {

    @Test
    void close_fails_every_pending_future_with_session_closed() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();
            h.manage(ManageParams.of(3600, false, false));
            List<CompletableFuture<?>> pending = List.of(
                    h.client.setLocation(Location.of(1, 2)),
                    h.client.manage(ManageParams.of(0, false, false)),
                    h.client.publishEvent("status", new JsonString("ok"), Qos.AT_LEAST_ONCE));
            h.transport.nextPublish(MANAGE);
            h.transport.nextPublish("iot-2/evt/status/fmt/json");
            h.transport.dropConnection("gone");
            CompletableFuture<?> queuedOffline = h.client.publishEvent("status", new JsonString("queued"),
                    Qos.AT_LEAST_ONCE);
            CompletableFuture<Void> reconnecting = h.client.connect();
            h.settle();
            assertThat(pending).noneMatch(CompletableFuture::isDone);

            h.client.close();

            for (CompletableFuture<?> f : pending) {
                assertThat(failure(f)).isInstanceOf(SessionClosedException.class);
            }
            assertThat(failure(queuedOffline)).isInstanceOf(SessionClosedException.class);
            assertThat(failure(reconnecting)).isInstanceOf(SessionClosedException.class);
        }
    }

    @Test
    void close_is_idempotent_and_disconnects_the_transport_once() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();

            h.client.close();
            h.client.close();

            assertThat(h.transport.disconnectCalls()).isEqualTo(1);
            assertThat(h.transport.isConnected()).isFalse();
            assertThat(h.client.isConnected()).isFalse();
            assertThat(h.transport.isClosed()).as("the client does not close a transport it was given").isFalse();
        }
    }

    @Test
    void a_closed_client_refuses_new_requests() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();
            h.client.close();

            assertThat(failure(h.client.connect())).isInstanceOf(SessionClosedException.class);
            assertThat(failure(h.client.manage(ManageParams.of(0, false, false))))
                    .isInstanceOf(SessionClosedException.class);
            assertThat(failure(h.client.setLocation(Location.of(1, 2)))).isInstanceOf(SessionClosedException.class);
            assertThat(failure(h.client.addErrorCode(1))).isInstanceOf(SessionClosedException.class);
            assertThat(failure(h.client.publishEvent("status", new JsonString("x"), Qos.AT_MOST_ONCE)))
                    .isInstanceOf(SessionClosedException.class);
            assertThat(failure(h.client.respondDeviceAction("r1", Rc.ACCEPTED, null)))
                    .isInstanceOf(SessionClosedException.class);
        }
    }

    @Test
    void a_connection_that_completes_after_close_is_disconnected() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.client.connect();
            ConnectAttempt attempt = h.transport.nextConnect();
            h.client.close();
            int disconnectsAtClose = h.transport.disconnectCalls();

            attempt.accept(false);

            assertThat(h.transport.disconnectCalls()).isEqualTo(disconnectsAtClose + 1);
            assertThat(h.transport.isConnected()).isFalse();
        }
    }
}
