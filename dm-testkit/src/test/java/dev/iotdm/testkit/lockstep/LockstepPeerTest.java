package dev.iotdm.testkit.lockstep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.client.ActionResponse;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.testkit.broker.DevicePublish;
import dev.iotdm.testkit.broker.InMemoryBroker;
import dev.iotdm.testkit.broker.InMemoryDeviceRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our own device, driven through exact JSON by the lockstep peer over the in-memory broker. */
class LockstepPeerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final LockstepPeer peer = new LockstepPeer();
    private final InMemoryDeviceRegistry registry = new InMemoryDeviceRegistry();
    private final InMemoryBroker broker = new InMemoryBroker(registry, peer, peer, Runnable::run);
    private String clientId;
    private ManagedClient device;

    @BeforeEach
    void connectAndManage() throws Exception {
        peer.attach(broker);
        clientId = registry.register("org1", "sensor", "dev-1", "secret");
        DeviceOptions options = DeviceOptions.builder().org("org1").typeId("sensor").deviceId("dev-1")
                .token("secret").host("127.0.0.1").port(1883).build();
        device = ManagedClient.builder(options).transport(broker.newTransport())
                .deviceActionHandler((kind, reqId) -> CompletableFuture.completedFuture(ActionResponse.accepted()))
                .build();
        ManagedClient.await(device.connect(), WAIT);
        CompletableFuture<?> managed = device.manage(3600, true, false);
        DevicePublish manage = peer.expect("iotdevice-1/mgmt/manage", """
                {"d":{"lifetime":3600,"supports":{"deviceActions":true,"firmwareActions":false}},"reqId":"<any>"}
                """, WAIT);
        peer.send(clientId, "iotdm-1/response",
                "{\"rc\":200,\"reqId\":\"" + LockstepPeer.member(manage, "reqId") + "\"}", WAIT);
        ManagedClient.await(managed, WAIT);
    }

    @AfterEach
    void close() {
        device.close();
    }

    @Test
    void a_reboot_is_answered_202_with_the_same_req_id() {
        peer.exchange(clientId, "iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"c1\"}",
                "iotdevice-1/response", "{\"rc\":202,\"reqId\":\"c1\"}", WAIT);
    }

    @Test
    void a_truncated_request_is_answered_400_with_its_req_id() {
        peer.exchange(clientId, "iotdm-1/device/update", "{\"reqId\":\"u1\",\"d\":{\"fields\":[",
                "iotdevice-1/response", "{\"rc\":400,\"reqId\":\"u1\",\"message\":\"<any>\"}", WAIT);
    }

    @Test
    void an_unknown_dm_topic_is_answered_404() {
        peer.exchange(clientId, "iotdm-1/mgmt/initiate/device/teleport", "{\"reqId\":\"t1\"}",
                "iotdevice-1/response", "{\"rc\":404,\"reqId\":\"t1\",\"message\":\"<any>\"}", WAIT);
    }

    @Test
    void a_redelivered_request_gets_the_same_answer_again() {
        String reboot = "{\"reqId\":\"c2\"}";
        peer.exchange(clientId, "iotdm-1/mgmt/initiate/device/reboot", reboot, "iotdevice-1/response",
                "{\"rc\":202,\"reqId\":\"c2\"}", WAIT);
        peer.exchange(clientId, "iotdm-1/mgmt/initiate/device/reboot", reboot, "iotdevice-1/response",
                "{\"rc\":202,\"reqId\":\"c2\"}", WAIT);
    }

    @Test
    void nothing_more_passes_after_the_one_answer_and_fails_naming_a_second_one() {
        peer.exchange(clientId, "iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"n1\"}",
                "iotdevice-1/response", "{\"rc\":202,\"reqId\":\"n1\"}", WAIT);
        peer.expectNothingMore(Duration.ofMillis(200));

        // A request whose answer the script does not take: that answer is what arrived "more".
        peer.send(clientId, "iotdm-1/mgmt/initiate/device/teleport", "{\"reqId\":\"n3\"}", WAIT);

        assertThatThrownBy(() -> peer.expectNothingMore(WAIT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("nothing more")
                .hasMessageContaining("iotdevice-1/response")
                .hasMessageContaining("n3");
    }

    @Test
    void a_mismatch_fails_with_both_payloads() {
        peer.send(clientId, "iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"c3\"}", WAIT);
        assertThatThrownBy(() -> peer.expect("iotdevice-1/response", "{\"rc\":501,\"reqId\":\"c3\"}", WAIT))
                .isInstanceOf(AssertionError.class).hasMessageContaining("\"rc\":202");
    }

    @Test
    void placeholders_match_any_value_but_keys_must_agree() {
        assertThat(LockstepPeer.matches(JsonValue.parse("{\"a\":\"<any>\",\"b\":[1]}"),
                JsonValue.parse("{\"b\":[1],\"a\":{\"x\":2}}"))).isTrue();
        assertThat(LockstepPeer.matches(JsonValue.parse("{\"a\":\"<any>\"}"),
                JsonValue.parse("{\"a\":1,\"b\":2}"))).isFalse();
    }
}
