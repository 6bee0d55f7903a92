package dev.iotdm.client;

import static dev.iotdm.client.Harness.MANAGE;
import static dev.iotdm.client.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.client.testing.FakeTransport;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.testing.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a request hands to the callback executor: each hand-off wakes a callback thread, so an
 * event nobody listens to is not handed off (issue #15: one wake-up per request less).
 */
class CallbackHandOffTest {

    private static final String ERROR_CODES = "iotdevice-1/add/diag/errorCodes";

    private final FakeTransport transport = new FakeTransport();
    private final VirtualTime time = VirtualTime.startingAt2026();
    private final AtomicInteger handOffs = new AtomicInteger();

    @Test
    void a_request_without_listeners_hands_only_its_future_to_the_callback_executor() {
        try (ManagedClient client = managedClient()) {
            int before = handOffs.get();

            addErrorCode(client);

            assertThat(handOffs.get() - before).isEqualTo(1);
        }
    }

    @Test
    void a_listener_added_after_build_gets_the_request_event_by_its_own_hand_off() {
        try (ManagedClient client = managedClient()) {
            List<ClientEvent> events = new CopyOnWriteArrayList<>();
            client.addListener(events::add);
            int before = handOffs.get();

            addErrorCode(client);

            assertThat(handOffs.get() - before).isEqualTo(2);
            assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(ClientEvent.RequestCompleted.class));
        }
    }

    /** Connected and managed; the session and every callback run on the calling thread. */
    private ManagedClient managedClient() {
        ManagedClient client = ManagedClient.builder(Harness.options()).transport(transport).clock(time)
                .scheduler(time).executor(Runnable::run).callbackExecutor(task -> {
                    handOffs.incrementAndGet();
                    task.run();
                }).connectTimeout(Duration.ofDays(1)).build();
        CompletableFuture<Void> ready = client.connect();
        transport.acceptConnectAndSubscribe(false);
        await(ready);
        CompletableFuture<PlatformResponse> managed = client.manage(ManageParams.of(3600, false, false));
        transport.respond(transport.nextPublish(MANAGE), 200);
        assertThat(await(managed).rc().code()).isEqualTo(200);
        return client;
    }

    private void addErrorCode(ManagedClient client) {
        CompletableFuture<PlatformResponse> added = client.addErrorCode(7);
        transport.respond(transport.nextPublish(ERROR_CODES), 200);
        assertThat(await(added).rc().code()).isEqualTo(200);
    }
}
