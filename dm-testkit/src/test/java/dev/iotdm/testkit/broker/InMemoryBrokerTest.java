package dev.iotdm.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.ConnectResult;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.Secret;
import dev.iotdm.transport.SubscribeResult;
import dev.iotdm.transport.Subscription;
import dev.iotdm.transport.TransportListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryBrokerTest {

    private final InMemoryDeviceRegistry registry = new InMemoryDeviceRegistry();
    private final List<DevicePublish> published = new ArrayList<>();
    private final List<String> connections = new ArrayList<>();
    private final InMemoryBroker broker = new InMemoryBroker(registry, published::add, new DeviceConnectionListener() {
        @Override
        public void onConnected(String clientId) {
            connections.add("+" + clientId);
        }

        @Override
        public void onDisconnected(String clientId) {
            connections.add("-" + clientId);
        }
    }, Runnable::run);

    /** Records what a device receives. */
    private static final class Inbox implements TransportListener {
        final List<String> messages = new ArrayList<>();
        final List<Throwable> losses = new ArrayList<>();

        @Override
        public void messageArrived(String topic, byte[] payload, Qos qos, boolean duplicate) {
            messages.add(topic + " " + new String(payload, StandardCharsets.UTF_8) + " q" + qos.code());
        }

        @Override
        public void connectionLost(Throwable cause) {
            losses.add(cause);
        }
    }

    private static MqttConnectOptions options(String clientId, String token, boolean clean) {
        return MqttConnectOptions.builder().clientId(clientId).host("127.0.0.1").port(1883)
                .credentials("use-token-auth", Secret.of(token)).cleanSession(clean)
                .sessionExpiry(clean ? Duration.ZERO : Duration.ofHours(1)).build();
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS);
    }

    private MqttTransport connected(String clientId, Inbox inbox, boolean clean) throws Exception {
        MqttTransport t = broker.newTransport();
        get(t.connect(options(clientId, "tok", clean), inbox));
        get(t.subscribe(List.of(new Subscription("iotdm-1/#", Qos.AT_LEAST_ONCE))));
        return t;
    }

    @Test
    void a_registered_device_connects_and_its_publishes_reach_only_the_platform() throws Exception {
        String id = registry.register("org1", "t", "a", "tok");
        Inbox inbox = new Inbox();
        MqttTransport t = connected(id, inbox, true);
        get(t.publish("iotdevice-1/mgmt/manage", "{}".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE));
        assertThat(published).extracting(DevicePublish::clientId, DevicePublish::topic)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(id, "iotdevice-1/mgmt/manage"));
        assertThat(inbox.messages).isEmpty();
        assertThat(connections).containsExactly("+" + id);
    }

    @Test
    void a_wrong_token_is_refused_as_not_authorised() {
        String id = registry.register("org1", "t", "a", "tok");
        CompletableFuture<ConnectResult> f = broker.newTransport().connect(options(id, "bad", true), new Inbox());
        assertThatThrownBy(() -> get(f)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ConnectFailureException.class)
                .satisfies(e -> assertThat(((ConnectFailureException) e).failure())
                        .isInstanceOf(ConnectFailure.NotAuthorized.class));
    }

    @Test
    void subscriptions_outside_the_device_namespace_are_refused() throws Exception {
        String id = registry.register("org1", "t", "a", "tok");
        MqttTransport t = broker.newTransport();
        get(t.connect(options(id, "tok", true), new Inbox()));
        List<SubscribeResult> r = get(t.subscribe(List.of(new Subscription("#", Qos.AT_LEAST_ONCE),
                new Subscription("iot-2/cmd/+/fmt/+", Qos.AT_LEAST_ONCE))));
        assertThat(r.get(0).isGranted()).isFalse();
        assertThat(r.get(1).isGranted()).isTrue();
    }

    @Test
    void a_send_before_the_subscription_is_delivered_when_the_device_subscribes() throws Exception {
        String id = registry.register("org1", "t", "a", "tok");
        Inbox inbox = new Inbox();
        MqttTransport t = broker.newTransport();
        get(t.connect(options(id, "tok", true), inbox));
        CompletableFuture<Void> send = broker.sendToDevice(id, "iotdm-1/observe", "{}".getBytes(StandardCharsets.UTF_8), 1, Duration.ofSeconds(5));
        assertThat(send).isNotDone();
        get(t.subscribe(List.of(new Subscription("iotdm-1/#", Qos.AT_LEAST_ONCE))));
        get(send);
        assertThat(inbox.messages).containsExactly("iotdm-1/observe {} q1");
    }

    @Test
    void a_send_to_a_device_that_never_subscribes_times_out() {
        String id = registry.register("org1", "t", "a", "tok");
        CompletableFuture<Void> send = broker.sendToDevice(id, "iotdm-1/observe", new byte[0], 1, Duration.ofMillis(50));
        assertThatThrownBy(() -> get(send)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
    }

    @Test
    void two_devices_never_see_each_others_messages() throws Exception {
        String a = registry.register("org1", "t", "a", "tok");
        String b = registry.register("org1", "t", "b", "tok");
        Inbox inboxA = new Inbox();
        Inbox inboxB = new Inbox();
        connected(a, inboxA, true);
        connected(b, inboxB, true);
        get(broker.sendToDevice(a, "iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"r\"}".getBytes(StandardCharsets.UTF_8), 1, Duration.ofSeconds(5)));
        assertThat(inboxA.messages).hasSize(1);
        assertThat(inboxB.messages).isEmpty();
    }

    @Test
    void a_kept_session_receives_what_was_sent_while_offline() throws Exception {
        String id = registry.register("org1", "t", "a", "tok");
        MqttTransport t = connected(id, new Inbox(), false);
        get(t.disconnect());
        get(broker.sendToDevice(id, "iotdm-1/cancel", "{}".getBytes(StandardCharsets.UTF_8), 1, Duration.ofSeconds(5)));
        Inbox later = new Inbox();
        ConnectResult r = get(broker.newTransport().connect(options(id, "tok", false), later));
        assertThat(r.sessionPresent()).isTrue();
        assertThat(later.messages).containsExactly("iotdm-1/cancel {} q1");
    }

    @Test
    void a_second_connection_with_the_same_client_id_takes_over() throws Exception {
        String id = registry.register("org1", "t", "a", "tok");
        Inbox first = new Inbox();
        MqttTransport t1 = connected(id, first, true);
        connected(id, new Inbox(), true);
        assertThat(first.losses).hasSize(1);
        assertThat(t1.isConnected()).isFalse();
    }

    @Test
    void a_forbidden_publish_disconnects_the_device_and_is_reported() throws Exception {
        String id = registry.register("org1", "t", "a", "tok");
        List<PublishRefusal> refusals = new ArrayList<>();
        InMemoryBroker strict = new InMemoryBroker(registry, new DevicePublishListener() {
            @Override
            public void onPublish(DevicePublish publish) {
            }

            @Override
            public void onRefused(DevicePublish publish, PublishRefusal reason) {
                refusals.add(reason);
            }
        }, new DeviceConnectionListener() {
            @Override
            public void onConnected(String clientId) {
            }

            @Override
            public void onDisconnected(String clientId) {
            }
        }, Runnable::run);
        Inbox inbox = new Inbox();
        MqttTransport t = strict.newTransport();
        get(t.connect(options(id, "tok", true), inbox));
        assertThatThrownBy(() -> get(t.publish("iotdm-1/response", new byte[1], Qos.AT_LEAST_ONCE)))
                .isInstanceOf(ExecutionException.class);
        assertThat(refusals).containsExactly(PublishRefusal.FORBIDDEN_TOPIC);
        assertThat(inbox.losses).hasSize(1);
    }
}
