package dev.iotdm.client;

import static dev.iotdm.client.Harness.await;
import static dev.iotdm.client.Harness.failure;
import static dev.iotdm.client.testing.ClientAssertions.assertThat;

import dev.iotdm.client.testing.FakeTransport.Published;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.session.DeliveryFailedException;
import dev.iotdm.protocol.session.PublishFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Publishes wait for room in the transport's in-flight window in one bounded queue. */
@Timeout(30)
class ManagedClientFlowControlTest {

    private static final String ERROR_CODE = "iotdevice-1/add/diag/errorCodes";

    @Test
    void requests_beyond_the_window_wait_for_room_instead_of_failing_and_keep_their_order() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.transport.window(2);
            h.connectAndManage();
            List<CompletableFuture<PlatformResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                calls.add(h.client.addErrorCode(i));
            }

            List<Published> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Published p = h.transport.nextPublish(ERROR_CODE);
                sent.add(p);
                assertThat(p).hasJson("d.errorCode", String.valueOf(i));
                p.ack(); // returns a slot: the next one waiting goes out
            }
            for (int i = 0; i < 5; i++) {
                h.transport.respond(sent.get(i), 200);
                assertThat(await(calls.get(i)).rc().code()).isEqualTo(200);
            }
        }
    }

    @Test
    void a_publish_beyond_the_bounded_queue_fails_as_window_full_with_an_event() {
        try (Harness h = Harness.virtual(b -> b.outboundQueueLimit(1))) {
            h.transport.window(1);
            h.connectAndManage();
            h.client.addErrorCode(1); // in flight
            h.client.addErrorCode(2); // waits in the queue
            CompletableFuture<PlatformResponse> third = h.client.addErrorCode(3);

            Throwable cause = failure(third);
            assertThat(cause).isInstanceOf(DeliveryFailedException.class);
            assertThat(((DeliveryFailedException) cause).failure()).isEqualTo(PublishFailure.WINDOW_FULL);
            h.settle();
            assertThat(h.events).contains(new ClientEvent.OutboundQueueFull(ERROR_CODE, 1));
            assertThat(h.transport.publishes(ERROR_CODE)).hasSize(1);
        }
    }
}
