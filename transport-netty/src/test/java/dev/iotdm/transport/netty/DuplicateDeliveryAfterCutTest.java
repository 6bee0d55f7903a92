package dev.iotdm.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.client.ActionResponse;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.testkit.broker.DevicePublish;
import dev.iotdm.testkit.broker.EmbeddedBroker;
import dev.iotdm.testkit.broker.InMemoryDeviceRegistry;
import dev.iotdm.testkit.fault.CloseMode;
import dev.iotdm.testkit.fault.Direction;
import dev.iotdm.testkit.fault.Fault;
import dev.iotdm.testkit.fault.FaultProxy;
import dev.iotdm.testkit.lockstep.LockstepPeer;
import dev.iotdm.transport.MqttVersion;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The inbound half of "who re-sends": the device's PUBACK for a platform request is cut, the
 * broker re-delivers the request with DUP to the kept session, and the device engine answers it
 * again without running the reboot handler a second time.
 */
class DuplicateDeliveryAfterCutTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void a_request_redelivered_after_a_cut_puback_is_answered_again_but_handled_once() throws Exception {
        InMemoryDeviceRegistry registry = new InMemoryDeviceRegistry();
        String clientId = registry.register("cutorg", "sensor", "dev-1", "cut-token");
        LockstepPeer peer = new LockstepPeer();
        AtomicInteger reboots = new AtomicInteger();
        java.util.Set<String> handlerThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (EmbeddedBroker broker = EmbeddedBroker.builder(registry).publishListener(peer).connectionListener(peer)
                .build()) {
            broker.start();
            peer.attach(broker);
            try (FaultProxy proxy = FaultProxy.open(new InetSocketAddress("127.0.0.1", broker.port()));
                 NettyTransport transport = NettyTransportFactory.shared().create()) {
                DeviceOptions options = DeviceOptions.builder().org("cutorg").typeId("sensor").deviceId("dev-1")
                        .token("cut-token").host("127.0.0.1").port(proxy.port()).withoutTls().cleanSession(false)
                        .mqttVersion(MqttVersion.MQTT_3_1_1).build();
                try (ManagedClient client = ManagedClient.builder(options).transport(transport).requestTimeout(WAIT)
                        .reconnectPolicy(dev.iotdm.protocol.supervisor.ReconnectPolicy.DEFAULT
                                .withDelays(Duration.ofMillis(100), Duration.ofSeconds(1)))
                        .deviceActionHandler((kind, reqId) -> {
                            reboots.incrementAndGet();
                            handlerThreads.add(Thread.currentThread().getName());
                            return CompletableFuture.completedFuture(ActionResponse.accepted());
                        }).build()) {
                    ManagedClient.await(client.connect(), WAIT);
                    CompletableFuture<?> managed = client.manage(3600, true, false);
                    answer(peer, peer.take(WAIT), 200);
                    ManagedClient.await(managed, WAIT);

                    // Everything the device writes is held from now on: its PUBACK and its answer.
                    proxy.apply(new Fault.Stall(Direction.UPSTREAM));
                    peer.send(clientId, "iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"cut-1\"}", WAIT);
                    awaitAtLeast(reboots, 1);
                    proxy.apply(new Fault.DropConnections(CloseMode.RESET));
                    proxy.clear();

                    List<String> seen = new ArrayList<>();
                    boolean answered = false;
                    while (!answered) {
                        DevicePublish p = peer.take(WAIT);
                        seen.add(p.topic());
                        if (p.topic().equals("iotdevice-1/mgmt/manage")) {
                            answer(peer, p, 200);
                        } else if (p.topic().equals("iotdevice-1/response")
                                && LockstepPeer.member(p, "reqId").equals("cut-1")) {
                            assertThat(LockstepPeer.member(p, "rc")).isEqualTo("202");
                            answered = true;
                        }
                    }
                    assertThat(reboots.get()).as("the handler ran once; the device saw %s", seen).isEqualTo(1);
                    assertThat(handlerThreads).as("handlers never run on an event loop")
                            .noneMatch(n -> n.startsWith(dev.iotdm.transport.netty.internal.EventLoops.THREAD_PREFIX));
                }
            }
        }
    }

    private static void answer(LockstepPeer peer, DevicePublish request, int rc) {
        peer.send(request.clientId(), "iotdm-1/response",
                "{\"rc\":" + rc + ",\"reqId\":\"" + LockstepPeer.member(request, "reqId") + "\"}", WAIT);
    }

    private static void awaitAtLeast(AtomicInteger counter, int n) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (counter.get() < n) {
            assertThat(System.nanoTime()).as("the handler ran within %s", WAIT).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
