package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThatThrownBy;

import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.Command;
import dev.iotdm.protocol.message.Event;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventsAndCommandsTest {

    private static Event event(int n) {
        return Event.json("status", JsonObject.builder().put("n", n).build());
    }

    private static SessionHarness manualAcks() {
        return SessionHarness.builder().acks(SessionHarness.Acks.MANUAL).build();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void an_event_is_published_with_its_qos_and_delivered_on_ack(int qos) {
        SessionHarness h = manualAcks().connect();
        long token = h.publishEvent(event(1), qos);

        Sent sent = h.takeSent();
        assertThat(sent.topic()).isEqualTo("iot-2/evt/status/fmt/json");
        assertThat(sent.qos()).isEqualTo(qos);
        assertThat(sent.message()).isEqualTo(event(1));
        assertThat(h.isCompleted(token)).isFalse();
        h.ack(sent);
        assertThat(h.outcome(token)).isDelivered();
    }

    @Test
    void qos_2_is_refused() {
        SessionHarness h = SessionHarness.create().connect();
        assertThatThrownBy(() -> h.publishEvent(event(1), 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("qos");
    }

    @Test
    void offline_events_wait_up_to_the_limit_then_fail_fast_and_go_out_in_order_on_connect() {
        SessionHarness h = SessionHarness.builder().configure(c -> c.offlineEventLimit(2)).build();
        long first = h.publishEvent(event(1), 0);
        long second = h.publishEvent(event(2), 1);
        long third = h.publishEvent(event(3), 1);

        assertThat(h.outcome(third)).isFailedWith(OfflineQueueFullException.class);
        assertThat(((RequestOutcome.Failed) h.outcome(third)).cause()).hasMessageContaining("2 events");
        assertThat(h.isCompleted(first)).isFalse();
        h.assertNothingMorePublished();

        h.connect();
        assertThat(h.takePublished(Event.class)).isEqualTo(event(1));
        assertThat(h.takePublished(Event.class)).isEqualTo(event(2));
        assertThat(h.outcome(first)).isDelivered();
        assertThat(h.outcome(second)).isDelivered();
    }

    @Test
    void with_no_offline_queue_an_event_fails_fast() {
        SessionHarness h = SessionHarness.builder().configure(c -> c.offlineEventLimit(0)).build();
        long token = h.publishEvent(event(1), 1);
        assertThat(h.outcome(token)).isFailedWith(OfflineQueueFullException.class);
    }

    @Test
    void unacknowledged_qos_1_events_go_out_again_after_reconnect_and_qos_0_ones_fail() {
        SessionHarness h = manualAcks().connect();
        long atMostOnce = h.publishEvent(event(0), 0);
        long atLeastOnce = h.publishEvent(event(1), 1);
        h.drainPublished();

        h.loseConnection();
        assertThat(h.outcome(atMostOnce)).isFailedWith(DeliveryFailedException.class);
        assertThat(h.isCompleted(atLeastOnce)).isFalse();

        h.connect();
        Sent again = h.takeSent();
        assertThat(again.message()).isEqualTo(event(1));
        assertThat(again.qos()).isEqualTo(1);
        h.assertNothingMorePublished();
        h.ackAll();
        assertThat(h.outcome(atLeastOnce)).isDelivered();
    }

    @Test
    void resent_events_go_before_events_queued_while_offline() {
        SessionHarness h = manualAcks().connect();
        h.publishEvent(event(1), 1);
        h.drainPublished();
        h.loseConnection();
        h.publishEvent(event(2), 1);
        h.connect();
        assertThat(h.drainPublished()).extracting(Sent::message).containsExactly(event(1), event(2));
    }

    @Test
    void a_failed_publish_fails_the_event() {
        SessionHarness h = manualAcks().connect();
        long token = h.publishEvent(event(1), 1);
        h.failPublish(h.unacked().get(0), PublishFailure.TOO_LARGE);
        assertThat(h.outcome(token)).isFailedWith(DeliveryFailedException.class);
    }

    @Test
    void close_fails_waiting_and_unacknowledged_events() {
        SessionHarness h = manualAcks().connect();
        long inFlight = h.publishEvent(event(1), 1);
        h.loseConnection();
        long waiting = h.publishEvent(event(2), 1);
        h.close();
        assertThat(h.outcome(inFlight)).isFailedWith(SessionClosedException.class);
        assertThat(h.outcome(waiting)).isFailedWith(SessionClosedException.class);
    }

    @Test
    void a_command_reaches_the_application() {
        SessionHarness h = SessionHarness.create().connect();
        JsonObject body = JsonObject.builder().put("speed", 3).build();
        h.platform().sendCommand("setSpeed", body);

        Command c = h.takeEvent(SessionEvent.CommandReceived.class).command();
        assertThat(c.commandId()).isEqualTo("setSpeed");
        assertThat(c.format()).isEqualTo("json");
        assertThat(c.payload().asJson()).isEqualTo(body);
        h.assertNothingMorePublished();
    }

    @Test
    void a_command_in_any_format_keeps_its_bytes() {
        SessionHarness h = SessionHarness.create().connect();
        h.deliver("iot-2/cmd/blink/fmt/bin", new byte[] {1, 2, (byte) 0xff});
        Command c = h.takeEvent(SessionEvent.CommandReceived.class).command();
        assertThat(c.payload().bytes()).containsExactly(1, 2, 0xff);
        assertThat(h.events(SessionEvent.CommandReceived.class)).hasSize(1);
        assertThat(List.of(c.format())).containsExactly("bin");
    }
}
