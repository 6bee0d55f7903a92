package dev.iotdm.client;

import static dev.iotdm.client.Harness.MANAGE;
import static dev.iotdm.client.Harness.await;
import static dev.iotdm.client.Harness.failure;
import static dev.iotdm.client.testing.ClientAssertions.assertThat;

import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.message.Command;
import dev.iotdm.protocol.message.CustomAction;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.session.DeviceActionKind;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.client.testing.FakeTransport;
import dev.iotdm.client.testing.FakeTransport.Published;
import dev.iotdm.transport.Qos;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ManagedClientHandlerTest {

    private static final String REBOOT = "iotdm-1/mgmt/initiate/device/reboot";

    @Test
    void a_blocking_device_action_handler_delays_neither_other_responses_nor_manage() throws Exception {
        CountDownLatch handlerStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DeviceActionHandler blocking = (kind, reqId) -> {
            handlerStarted.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) {
                return CompletableFuture.completedFuture(ActionResponse.failed("the test never released the handler"));
            }
            return CompletableFuture.completedFuture(ActionResponse.accepted());
        };
        // The client's own shared pools, real clock.
        try (Harness h = Harness.sharedPools(b -> b.deviceActionHandler(blocking))) {
            h.connect();
            h.manage(ManageParams.of(3600, true, false));

            h.transport.deliver(REBOOT, "{\"reqId\":\"reboot-1\"}");
            assertThat(handlerStarted.await(5, TimeUnit.SECONDS)).isTrue();

            h.transport.deliver("iotdm-1/device/update",
                    "{\"reqId\":\"update-1\",\"d\":{\"fields\":[{\"field\":\"metadata\",\"value\":{\"owner\":\"ops\"}}]}}");
            assertThat(h.responseTo("update-1")).hasRc(204);

            CompletableFuture<PlatformResponse> managed = h.client.manage(ManageParams.of(3600, true, false));
            h.transport.respond(h.transport.nextPublish(MANAGE), 200);
            await(managed);
            CompletableFuture<PlatformResponse> located = h.client.setLocation(Location.of(1, 2));
            h.transport.respond(h.transport.nextPublish("iotdevice-1/device/update/location"), 200);
            await(located);

            assertThat(h.transport.publishes(Harness.RESPONSE)).noneMatch(p -> p.text().contains("reboot-1"));
            release.countDown();
            assertThat(h.responseTo("reboot-1")).hasRc(202);
        }
    }

    @Test
    void callbacks_never_run_on_the_transport_thread_nor_on_the_session_thread() throws Exception {
        ExecutorService sessionThread = Executors.newSingleThreadExecutor(Harness.named("test-session"));
        ExecutorService callbackThreads = Executors.newCachedThreadPool(Harness.named("test-callbacks"));
        List<String> threads = new CopyOnWriteArrayList<>();
        BlockingQueue<String> actions = new ArrayBlockingQueue<>(1);
        try (Harness h = Harness.virtual(b -> b.executor(sessionThread).callbackExecutor(callbackThreads)
                .listener(e -> threads.add("listener " + e.getClass().getSimpleName() + ": " + thread()))
                .deviceActionHandler((kind, reqId) -> {
                    threads.add("device action handler: " + thread());
                    actions.add(reqId);
                    return null;
                })
                .anyCommandHandler((c, events) -> threads.add("command handler: " + thread())))) {
            CompletableFuture<String> connected = h.client.connect().thenApply(v -> "connect future: " + thread());
            h.transport.acceptConnectAndSubscribe(false);
            threads.add(await(connected));

            CompletableFuture<String> managed = h.client.manage(3600, true, false)
                    .thenApply(r -> "manage future: " + thread());
            h.transport.respond(h.transport.nextPublish(MANAGE), 200);
            threads.add(await(managed));

            h.transport.deliver("iot-2/cmd/blink/fmt/json", "{\"times\":3}");
            h.transport.deliver(REBOOT, "{\"reqId\":\"reboot-1\"}");
            String reqId = actions.poll(5, TimeUnit.SECONDS);
            assertThat(reqId).isEqualTo("reboot-1");

            // Hold the session thread so the answer's future cannot complete before we chain on it.
            CountDownLatch hold = new CountDownLatch(1);
            sessionThread.execute(() -> awaitQuietly(hold));
            CompletableFuture<String> answered = h.client
                    .respondDeviceAction(reqId, ManagedClient.RESPONSECODE_ACCEPTED, "rebooting")
                    .thenApply(v -> "respondDeviceAction future: " + thread());
            CompletableFuture<String> event = h.client.publishEvent("status", new JsonString("ok"), Qos.AT_LEAST_ONCE)
                    .thenApply(v -> "event future: " + thread());
            hold.countDown();
            threads.add(await(answered));
            Published published = h.transport.nextPublish("iot-2/evt/status/fmt/json");
            published.ack();
            threads.add(await(event));

            assertThat(threads).hasSizeGreaterThanOrEqualTo(7)
                    .allSatisfy(t -> assertThat(t).contains("test-callbacks-")
                            .doesNotContain(FakeTransport.IO_THREAD).doesNotContain("test-session"));
        } finally {
            sessionThread.shutdownNow();
            callbackThreads.shutdownNow();
        }
    }

    @Test
    void seed_style_device_action_handler_returns_null_and_the_app_answers_with_respond_device_action() {
        BlockingQueue<String> requests = new ArrayBlockingQueue<>(2);
        BlockingQueue<DeviceActionKind> kinds = new ArrayBlockingQueue<>(2);
        try (Harness h = Harness.virtual(b -> b.deviceActionHandler((kind, reqId) -> {
            kinds.add(kind);
            requests.add(reqId);
            return null;
        }))) {
            h.connect();
            h.manage(ManageParams.of(0, true, false));
            h.transport.deliver("iotdm-1/mgmt/initiate/device/factory_reset", "{\"reqId\":\"reset-1\"}");

            String reqId = poll(requests);
            assertThat(poll(kinds)).isEqualTo(DeviceActionKind.FACTORY_RESET);
            await(h.client.respondDeviceAction(reqId, ManagedClient.RESPONSECODE_ACCEPTED, "Factory Reset Sucess"));

            Published response = h.responseTo("reset-1");
            assertThat(response).hasRc(202);
            assertThat(response).hasString("message", "Factory Reset Sucess");
            assertThat(failure(h.client.respondDeviceAction(reqId, ManagedClient.RESPONSECODE_INTERNAL_ERROR, "again")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("reset-1");
        }
    }

    @Test
    void custom_actions_go_to_their_bundles_handler_or_else_to_the_catch_all() {
        BlockingQueue<CustomAction> forA = new ArrayBlockingQueue<>(2);
        BlockingQueue<CustomAction> forOthers = new ArrayBlockingQueue<>(2);
        try (Harness h = Harness.virtual(b -> b
                .customActionHandler("acme-a", a -> {
                    forA.add(a);
                    return CompletableFuture.completedFuture(ActionResponse.done());
                })
                .anyCustomActionHandler(a -> {
                    forOthers.add(a);
                    return CompletableFuture.completedFuture(ActionResponse.failed("plugin store offline"));
                }))) {
            h.connect();
            h.manage(ManageParams.of(0, false, false, "acme-a", "acme-b"));

            h.transport.deliver("iotdm-1/mgmt/custom/acme-a/installPlugin",
                    "{\"reqId\":\"c1\",\"d\":{\"fields\":[{\"field\":\"pluginId\",\"value\":\"pA\"}]}}");
            h.transport.deliver("iotdm-1/mgmt/custom/acme-b/removePlugin", "{\"reqId\":\"c2\",\"d\":{\"fields\":[]}}");
            h.transport.deliver("iotdm-1/mgmt/custom/acme-z/anything", "{\"reqId\":\"c3\",\"d\":{\"fields\":[]}}");

            assertThat(h.responseTo("c1")).hasRc(200);
            CustomAction a = poll(forA);
            assertThat(a.actionId()).isEqualTo("installPlugin");
            assertThat(a.parameter("pluginId").orElseThrow().value()).isEqualTo(new JsonString("pA"));

            Published other = h.responseTo("c2");
            assertThat(other).hasRc(500);
            assertThat(other).hasString("message", "plugin store offline");
            assertThat(poll(forOthers).bundleId()).isEqualTo("acme-b");

            assertThat(h.responseTo("c3")).as("a bundle not declared in manage").hasRc(501);
            h.settle();
            assertThat(forA).isEmpty();
            assertThat(forOthers).isEmpty();
        }
    }

    @Test
    void a_custom_action_handler_that_returns_no_answer_is_answered_500() {
        try (Harness h = Harness.virtual(b -> b.customActionHandler("acme-a", a -> null))) {
            h.connect();
            h.manage(ManageParams.of(0, false, false, "acme-a"));
            h.transport.deliver("iotdm-1/mgmt/custom/acme-a/installPlugin", "{\"reqId\":\"c1\",\"d\":{\"fields\":[]}}");

            assertThat(h.responseTo("c1")).hasRc(500);
        }
    }

    @Test
    void a_device_action_handler_that_throws_is_answered_500() {
        try (Harness h = Harness.virtual(b -> b.deviceActionHandler((kind, reqId) -> {
            throw new IllegalStateException("watchdog busy");
        }))) {
            h.connect();
            h.manage(ManageParams.of(0, true, false));
            h.transport.deliver(REBOOT, "{\"reqId\":\"reboot-1\"}");

            Published response = h.responseTo("reboot-1");
            assertThat(response).hasRc(500);
            assertThat(response).hasString("message", "watchdog busy");
        }
    }

    @Test
    void commands_go_to_the_handler_for_their_id_or_else_to_the_catch_all() {
        BlockingQueue<Command> reboots = new ArrayBlockingQueue<>(2);
        BlockingQueue<Command> others = new ArrayBlockingQueue<>(2);
        AtomicInteger failing = new AtomicInteger();
        try (Harness h = Harness.virtual(b -> b
                .commandHandler("reboot", (c, events) -> reboots.add(c))
                .commandHandler("explode", (c, events) -> {
                    failing.incrementAndGet();
                    throw new IllegalStateException("handler bug");
                })
                .anyCommandHandler((c, events) -> others.add(c)))) {
            h.connect();
            h.transport.deliver("iot-2/cmd/explode/fmt/json", "{}");
            h.transport.deliver("iot-2/cmd/reboot/fmt/json", "{\"delay\":5}");
            h.transport.deliver("iot-2/cmd/blink/fmt/json", "{\"times\":3}");

            Command reboot = poll(reboots);
            assertThat(reboot.commandId()).isEqualTo("reboot");
            assertThat(reboot.format()).isEqualTo("json");
            assertThat(poll(others).commandId()).isEqualTo("blink");
            h.settle();
            assertThat(failing).hasValue(1);
            assertThat(reboots).isEmpty();
            assertThat(others).isEmpty();
            assertThat(h.client.isConnected()).as("a failing handler does not hurt the client").isTrue();
        }
    }

    private static <T> T poll(BlockingQueue<T> queue) {
        try {
            T value = queue.poll(Harness.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(value).as("nothing arrived within " + Harness.WAIT).isNotNull();
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String thread() {
        return Thread.currentThread().getName();
    }
}
