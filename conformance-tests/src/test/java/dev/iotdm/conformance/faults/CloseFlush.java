package dev.iotdm.conformance.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.client.ActionResponse;
import dev.iotdm.client.CloseOutcome;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.client.store.FileStateStore;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.testkit.fault.Direction;
import dev.iotdm.testkit.fault.Fault;
import dev.iotdm.testkit.fault.FaultProxy;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.platform.OperationOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The graceful close over real sockets (the embedded HiveMQ of the fake platform): a reply the
 * device decided is never overtaken by {@link ManagedClient#close(Duration)}, and a broker that
 * stops acknowledging costs the close no more than its bound. {@link FaultMatrixTest} runs these
 * checks on its Paho row's platform: a platform of their own would cost the test command its
 * start and stop (about 15 s on a loaded 2-core machine).
 */
final class CloseFlush {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** What close() adds to its flush timeout at most: the session's stop, the disconnect, the transport's close. */
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(16);
    private static final ManageParams MANAGE = ManageParams.of(3600, true, false);

    private CloseFlush() {
    }

    /** A reboot handler that restarts the device at once loses no 202. */
    static void a_reboot_handler_that_restarts_the_device_at_once_loses_no_202(FakePlatform platform, Path dir)
            throws Exception {
        String clientId = platform.registerDevice("org1", "flush", "restart-at-once", "tok-1");
        DeviceOptions options = options("restart-at-once", "tok-1", platform.broker().port());
        CompletableFuture<CloseOutcome> closed = new CompletableFuture<>();
        ManagedClient first = client(options, dir);
        // The restart starts before the handler returns the 202 and closes with no delay at all.
        first.setDeviceActionHandler((kind, reqId) -> {
            CompletableFuture.runAsync(() -> closed.complete(first.close(WAIT)));
            return CompletableFuture.completedFuture(ActionResponse.accepted());
        });
        ManagedClient second = null;
        try {
            ManagedClient.await(first.connect(), WAIT);
            ManagedClient.await(first.manage(MANAGE), WAIT);
            CompletableFuture<OperationOutcome> reboot = platform.reboot(clientId, WAIT);

            assertThat(closed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(CloseOutcome.Flushed.class);
            second = client(options, dir); // the rebooted device: it manages again from its saved state
            second.setDeviceActionHandler((kind, reqId) -> CompletableFuture.completedFuture(ActionResponse.accepted()));
            ManagedClient.await(second.connect(), WAIT);

            assertThat(reboot.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS))
                    .as("the platform saw the 202, then the manage after the reboot")
                    .isInstanceOf(OperationOutcome.Succeeded.class);
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    /** A stalled broker costs close() no more than its bound, and the unacknowledged 202 is reported. */
    static void a_stalled_broker_costs_close_no_more_than_its_bound_and_the_202_is_reported(FakePlatform platform,
            Path dir) throws Exception {
        String clientId = platform.registerDevice("org1", "flush", "stalled", "tok-2");
        try (FaultProxy proxy = FaultProxy.open(platform.broker().host(), platform.broker().port(), 0)) {
            CompletableFuture<ActionResponse> answer = new CompletableFuture<>();
            CompletableFuture<Void> asked = new CompletableFuture<>();
            ManagedClient client = client(options("stalled", "tok-2", proxy.port()), dir);
            client.setDeviceActionHandler((kind, reqId) -> {
                asked.complete(null);
                return answer;
            });
            try {
                ManagedClient.await(client.connect(), WAIT);
                ManagedClient.await(client.manage(MANAGE), WAIT);
                platform.reboot(clientId, WAIT);
                asked.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                proxy.apply(new Fault.Stall(Direction.UPSTREAM));
                long before = proxy.bytesReceived(Direction.UPSTREAM);
                answer.complete(ActionResponse.accepted());
                proxy.awaitBytesReceived(Direction.UPSTREAM, before + 1, WAIT); // the 202, held by the stall

                Duration flush = Duration.ofSeconds(1);
                long start = System.nanoTime();
                CloseOutcome outcome = client.close(flush);
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(outcome).isEqualTo(new CloseOutcome.Unacknowledged(1, 0, flush));
                assertThat(took).isLessThan(flush.plus(CLOSE_BOUND));
            } finally {
                client.close();
            }
        }
    }

    private static ManagedClient client(DeviceOptions options, Path dir) {
        return ManagedClient.builder(options).transport("paho")
                .stateStore(new FileStateStore(dir.resolve("state.json"))).build();
    }

    private static DeviceOptions options(String deviceId, String token, int port) {
        return DeviceOptions.builder().org("org1").typeId("flush").deviceId(deviceId).token(token)
                .host("127.0.0.1").port(port).withoutTls().build();
    }
}
