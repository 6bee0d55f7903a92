package dev.iotdm.client;

import static dev.iotdm.client.Harness.await;
import static dev.iotdm.client.Harness.failure;
import static dev.iotdm.client.testing.ClientAssertions.assertThat;

import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.session.OfflineQueueFullException;
import dev.iotdm.client.testing.FakeTransport.Published;
import dev.iotdm.transport.Qos;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ManagedClientEventTest {

    private static final String TEMP = "iot-2/evt/temp/fmt/json";

    private static JsonObject reading(long celsius) {
        return JsonObject.builder().put("c", JsonNumber.of(celsius)).build();
    }

    @Test
    void a_qos1_event_completes_on_puback() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();
            CompletableFuture<Void> sent = h.client.publishEvent("temp", reading(21), Qos.AT_LEAST_ONCE);
            Published event = h.transport.nextPublish(TEMP);
            assertThat(event.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
            assertThat(event).hasJson("c", "21");
            h.settle();
            assertThat(sent).isNotDone();

            event.ack();
            await(sent);
        }
    }

    @Test
    void events_published_offline_go_out_in_order_after_reconnect() {
        try (Harness h = Harness.virtual(b -> b)) {
            CompletableFuture<Void> beforeConnect = h.client.publishEvent("temp", reading(1), Qos.AT_LEAST_ONCE);
            h.connect();
            Published first = h.transport.nextPublish(TEMP);
            assertThat(first).hasJson("c", "1");
            first.ack();
            await(beforeConnect);

            h.transport.dropConnection("network down");
            CompletableFuture<Void> second = h.client.publishEvent("temp", reading(2), Qos.AT_LEAST_ONCE);
            CompletableFuture<Void> third = h.client.publishEvent("temp", reading(3), Qos.AT_LEAST_ONCE);
            h.settle();
            assertThat(h.transport.publishes(TEMP)).hasSize(1);
            assertThat(second).isNotDone();

            h.time.advanceToNextTask();
            h.transport.acceptConnectAndSubscribe(false);
            Published two = h.transport.nextPublish(TEMP);
            Published three = h.transport.nextPublish(TEMP);
            assertThat(two).hasJson("c", "2");
            assertThat(three).hasJson("c", "3");
            assertThat(two.connection()).isEqualTo(2);
            two.ack();
            three.ack();
            await(second);
            await(third);
        }
    }

    @Test
    void with_an_offline_event_limit_of_zero_an_offline_event_fails_fast() {
        try (Harness h = Harness.virtual(b -> b.offlineEventLimit(0))) {
            CompletableFuture<Void> sent = h.client.publishEvent("temp", reading(1), Qos.AT_LEAST_ONCE);

            assertThat(failure(sent)).isInstanceOf(OfflineQueueFullException.class);
            assertThat(h.transport.publishes()).isEmpty();
        }
    }

    @Test
    void an_unacknowledged_qos1_event_is_sent_again_after_reconnect() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();
            CompletableFuture<Void> sent = h.client.publishEvent("temp", reading(21), Qos.AT_LEAST_ONCE);
            Published original = h.transport.nextPublish(TEMP);

            h.transport.dropConnection("keep-alive timeout"); // fails the pending publish, then connectionLost
            h.settle();
            assertThat(sent).as("the loss is not the event's failure").isNotDone();

            h.time.advanceToNextTask();
            h.transport.acceptConnectAndSubscribe(false);
            Published again = h.transport.nextPublish(TEMP);
            assertThat(again.connection()).isEqualTo(2);
            assertThat(again.payload()).isEqualTo(original.payload());
            again.ack();
            await(sent);
        }
    }
}
