package dev.iotdm.testkit.broker;

import dev.iotdm.testkit.broker.RecordingListener.Connected;
import dev.iotdm.testkit.broker.RecordingListener.Disconnected;
import dev.iotdm.testkit.broker.RecordingListener.Event;
import dev.iotdm.testkit.broker.RecordingListener.Published;
import dev.iotdm.testkit.broker.RecordingListener.Refused;
import dev.iotdm.testkit.raw.ConnectOptions;
import dev.iotdm.testkit.raw.Connack;
import dev.iotdm.testkit.raw.MqttPublish;
import dev.iotdm.testkit.raw.RawMqttClient;
import dev.iotdm.testkit.raw.RawMqttClient.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import dev.iotdm.testkit.fault.PublishTally;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The platform-aware broker with in-memory persistence: one broker for the whole class. */
class EmbeddedBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String MONITOR = "a:org1:monitor";
    private static final String MONITOR_KEY = "a-org1-monitorkey";
    private static final String MONITOR_TOKEN = "monitor-secret";

    private static final InMemoryDeviceRegistry REGISTRY = new InMemoryDeviceRegistry();
    private static final RecordingListener EVENTS = new RecordingListener();
    private static final AtomicInteger DEVICE_NUMBERS = new AtomicInteger();
    private static EmbeddedBroker broker;

    private final List<RawMqttClient> clients = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.builder(REGISTRY)
                .publishListener(EVENTS)
                .connectionListener(EVENTS)
                .allowApplication(MONITOR, MONITOR_KEY, MONITOR_TOKEN)
                .build();
        broker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RawMqttClient::close);
    }

    /** A freshly registered device, so tests sharing the broker never share a client id. */
    private record Device(String clientId, String token) {
    }

    private static Device newDevice() {
        String token = "token-" + DEVICE_NUMBERS.incrementAndGet();
        return new Device(REGISTRY.register("org1", "sensor", "dev" + DEVICE_NUMBERS.get(), token), token);
    }

    private RawMqttClient open() {
        RawMqttClient client = RawMqttClient.open(broker.host(), broker.port(), WAIT);
        clients.add(client);
        return client;
    }

    private RawMqttClient connected(Device device) {
        RawMqttClient client = open();
        assertThat(client.connect(ConnectOptions.device(device.clientId(), device.token()), WAIT).returnCode())
                .isEqualTo(Connack.ACCEPTED);
        return client;
    }

    private RawMqttClient connectedMonitor() {
        RawMqttClient client = open();
        Connack connack = client.connect(ConnectOptions.of(MONITOR).withCredentials(MONITOR_KEY, MONITOR_TOKEN), WAIT);
        assertThat(connack.accepted()).isTrue();
        return client;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void send(String clientId, String topic, String payload) throws Exception {
        broker.sendToDevice(clientId, topic, utf8(payload), 1, WAIT).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---- authentication -----------------------------------------------------------------------

    @Test
    void registered_device_with_its_token_connects_and_is_reported_connected() {
        Device device = newDevice();

        RawMqttClient client = open();
        Connack connack = client.connect(ConnectOptions.device(device.clientId(), device.token()), WAIT);

        assertThat(connack).isEqualTo(new Connack(false, Connack.ACCEPTED));
        EVENTS.await(Connected.class, device.clientId(), WAIT);
        client.ping(WAIT);
    }

    @Test
    void wrong_token_gets_connack_not_authorized_and_the_connection_is_closed() {
        Device device = newDevice();

        RawMqttClient client = open();
        Connack connack = client.connect(ConnectOptions.device(device.clientId(), "not-" + device.token()), WAIT);

        assertThat(connack.returnCode()).isEqualTo(Connack.NOT_AUTHORIZED);
        client.awaitClosed(WAIT);
    }

    @Test
    void unknown_device_gets_connack_not_authorized() {
        RawMqttClient client = open();

        Connack connack = client.connect(ConnectOptions.device("d:org1:sensor:nobody", "any"), WAIT);

        assertThat(connack.returnCode()).isEqualTo(Connack.NOT_AUTHORIZED);
    }

    @Test
    void registered_token_with_another_username_or_no_credentials_is_not_authorized() {
        Device device = newDevice();

        Connack otherUser = open().connect(ConnectOptions.of(device.clientId())
                .withCredentials("someone", device.token()), WAIT);
        Connack anonymous = open().connect(ConnectOptions.of(device.clientId()), WAIT);

        assertThat(otherUser.returnCode()).isEqualTo(Connack.NOT_AUTHORIZED);
        assertThat(anonymous.returnCode()).isEqualTo(Connack.NOT_AUTHORIZED);
    }

    @Test
    void non_device_client_ids_connect_only_with_a_configured_application_credential() {
        Connack stranger = open().connect(ConnectOptions.of("some-client").withCredentials("user", "pass"), WAIT);
        Connack monitorWithWrongToken = open().connect(ConnectOptions.of(MONITOR)
                .withCredentials(MONITOR_KEY, "wrong"), WAIT);
        Connack monitor = open().connect(ConnectOptions.of(MONITOR)
                .withCredentials(MONITOR_KEY, MONITOR_TOKEN), WAIT);

        assertThat(stranger.returnCode()).isEqualTo(Connack.NOT_AUTHORIZED);
        assertThat(monitorWithWrongToken.returnCode()).isEqualTo(Connack.NOT_AUTHORIZED);
        assertThat(monitor.returnCode()).isEqualTo(Connack.ACCEPTED);
    }

    // ---- subscriptions --------------------------------------------------------------------------

    @Test
    void device_cannot_subscribe_outside_its_topics_and_stays_connected() {
        Device device = newDevice();
        RawMqttClient client = connected(device);

        List<Integer> codes = client.subscribe(List.of(
                new Subscription("#", 1),
                new Subscription("iotdevice-1/#", 1),
                new Subscription("iot-2/type/sensor/id/other/cmd/+/fmt/+", 1),
                new Subscription("iot-2/evt/+/fmt/+", 0),
                new Subscription("iot-2/cmd/#", 1)), WAIT);

        assertThat(codes).containsExactly(0x80, 0x80, 0x80, 0x80, 0x80);
        client.ping(WAIT);
        assertThat(client.isClosed()).isFalse();
    }

    @Test
    void device_may_subscribe_to_dm_requests_and_commands_at_any_qos() {
        RawMqttClient client = connected(newDevice());

        List<Integer> codes = client.subscribe(List.of(
                new Subscription("iotdm-1/#", 1),
                new Subscription("iotdm-1/response", 2),
                new Subscription("iot-2/cmd/+/fmt/+", 0),
                new Subscription("iot-2/cmd/reboot/fmt/json", 1)), WAIT);

        assertThat(codes).containsExactly(1, 2, 0, 1);
    }

    // ---- device publishes -------------------------------------------------------------------------

    @Test
    void device_publish_reaches_the_listener_with_its_client_id_and_no_other_client() throws Exception {
        Device sender = newDevice();
        Device other = newDevice();
        RawMqttClient senderClient = connected(sender);
        RawMqttClient otherClient = connected(other);
        otherClient.subscribe(List.of(new Subscription("iotdm-1/#", 1), new Subscription("iot-2/cmd/+/fmt/+", 1)), WAIT);
        RawMqttClient monitor = connectedMonitor();
        assertThat(monitor.subscribe("#", 1, WAIT)).isEqualTo(1);

        senderClient.publish("iotdevice-1/mgmt/manage", utf8("{\"reqId\":\"r1\"}"), 1, WAIT);

        Published published = EVENTS.await(Published.class, sender.clientId(), WAIT);
        assertThat(published.publish()).isEqualTo(new DevicePublish(sender.clientId(), "iotdevice-1/mgmt/manage",
                utf8("{\"reqId\":\"r1\"}"), 1, false));
        // Had the publish leaked, it would arrive before these markers, queued after it was handled.
        send(other.clientId(), "iotdm-1/marker", "marker");
        send(MONITOR, "marker/monitor", "marker");
        assertThat(otherClient.takePublish(WAIT).topic()).isEqualTo("iotdm-1/marker");
        assertThat(monitor.takePublish(WAIT).topic()).isEqualTo("marker/monitor");
    }

    @Test
    void device_event_publish_at_qos_0_reaches_the_listener() {
        Device device = newDevice();
        RawMqttClient client = connected(device);

        client.publish("iot-2/evt/status/fmt/json", utf8("{}"), 0, WAIT);

        Published published = EVENTS.await(Published.class, device.clientId(), WAIT);
        assertThat(published.publish().topic()).isEqualTo("iot-2/evt/status/fmt/json");
        assertThat(published.publish().qos()).isZero();
    }

    @Test
    void retained_publish_is_handed_over_with_retain_reported_and_nothing_is_stored() throws Exception {
        Device device = newDevice();
        RawMqttClient client = connected(device);

        client.publish(MqttPublish.of("iot-2/evt/status/fmt/json", "{\"on\":true}", 1).withRetain(true), WAIT);

        Published published = EVENTS.await(Published.class, device.clientId(), WAIT);
        assertThat(published.publish().retain()).isTrue();
        RawMqttClient monitor = connectedMonitor();
        monitor.subscribe("iot-2/evt/status/fmt/json", 1, WAIT);
        // A stored retained message would be sent right after the SUBACK, before this marker.
        send(MONITOR, "iot-2/evt/status/fmt/json", "marker");
        MqttPublish first = monitor.takePublish(WAIT);
        assertThat(first.payloadText()).isEqualTo("marker");
        assertThat(first.retain()).isFalse();
    }

    @Test
    void payload_at_the_limit_is_accepted() {
        Device device = newDevice();
        RawMqttClient client = connected(device);

        client.publish("iot-2/evt/blob/fmt/bin", new byte[EmbeddedBroker.DEFAULT_MAX_PAYLOAD_BYTES], 1, WAIT);

        Published published = EVENTS.await(Published.class, device.clientId(), WAIT);
        assertThat(published.publish().payloadSize()).isEqualTo(131072);
        assertThat(client.isClosed()).isFalse();
    }

    @Test
    void oversized_payload_disconnects_the_device_and_is_reported() {
        Device device = newDevice();
        RawMqttClient client = connected(device);

        client.publish("iot-2/evt/blob/fmt/bin", new byte[EmbeddedBroker.DEFAULT_MAX_PAYLOAD_BYTES + 1], 0, WAIT);

        Refused refused = EVENTS.await(Refused.class, device.clientId(), WAIT);
        assertThat(refused.reason()).isEqualTo(PublishRefusal.PAYLOAD_TOO_LARGE);
        assertThat(refused.publish().payloadSize()).isEqualTo(131073);
        client.awaitClosed(WAIT);
        EVENTS.await(Disconnected.class, device.clientId(), WAIT);
        assertThat(EVENTS.eventsOf(device.clientId())).noneMatch(e -> e instanceof Published);
    }

    @Test
    void publish_on_a_forbidden_topic_is_reported_dropped_and_disconnects_the_device() {
        Device device = newDevice();
        RawMqttClient client = connected(device);

        client.publish("iot-2/cmd/reboot/fmt/json", utf8("{}"), 0, WAIT);

        Refused refused = EVENTS.await(Refused.class, device.clientId(), WAIT);
        assertThat(refused.reason()).isEqualTo(PublishRefusal.FORBIDDEN_TOPIC);
        assertThat(refused.publish().topic()).isEqualTo("iot-2/cmd/reboot/fmt/json");
        client.awaitClosed(WAIT);
    }

    // ---- sending to one device -------------------------------------------------------------------

    @Test
    void each_device_gets_only_its_own_messages() throws Exception {
        Device a = newDevice();
        Device b = newDevice();
        RawMqttClient clientA = connected(a);
        RawMqttClient clientB = connected(b);
        clientA.subscribe("iotdm-1/#", 1, WAIT);
        clientB.subscribe("iotdm-1/#", 1, WAIT);

        // Each device's own message is queued after the other's: a leak would arrive first.
        send(b.clientId(), "iotdm-1/mgmt/initiate/device/reboot", "for B");
        send(a.clientId(), "iotdm-1/mgmt/initiate/device/reboot", "for A");
        send(b.clientId(), "iotdm-1/mgmt/initiate/device/reboot", "for B again");

        assertThat(clientA.takePublish(WAIT).payloadText()).isEqualTo("for A");
        MqttPublish first = clientB.takePublish(WAIT);
        assertThat(first.payloadText()).isEqualTo("for B");
        assertThat(first.qos()).isEqualTo(1);
        assertThat(clientB.takePublish(WAIT).payloadText()).isEqualTo("for B again");
    }

    @Test
    void send_before_the_device_subscribes_is_delivered_once_it_subscribes() throws Exception {
        Device device = newDevice();
        RawMqttClient client = connected(device);

        CompletableFuture<Void> sent = broker.sendToDevice(device.clientId(), "iotdm-1/observe",
                utf8("{\"reqId\":\"o1\"}"), 1, WAIT);
        client.subscribe("iotdm-1/#", 1, WAIT);

        MqttPublish received = client.takePublish(WAIT);
        assertThat(received.topic()).isEqualTo("iotdm-1/observe");
        assertThat(received.payloadText()).isEqualTo("{\"reqId\":\"o1\"}");
        sent.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void publishes_to_a_device_count_as_in_flight_until_the_broker_writes_them() throws Exception {
        Device device = newDevice();
        ConnectOptions kept = ConnectOptions.device(device.clientId(), device.token()).withCleanSession(false);
        RawMqttClient first = open();
        assertThat(first.connect(kept, WAIT).accepted()).isTrue();
        first.subscribe("iotdm-1/#", 1, WAIT);
        send(device.clientId(), "iotdm-1/observe", "{\"reqId\":\"o1\"}");
        first.takePublish(WAIT);
        broker.awaitPublishesSettled(device.clientId(), WAIT);
        assertThat(broker.publishesTo(device.clientId())).isEqualTo(new PublishTally("broker to " + device.clientId(), 1, 1, 0));
        first.disconnect();
        EVENTS.await(Disconnected.class, device.clientId(), WAIT);

        // Queued for the kept session while it is offline: in flight until it is written.
        send(device.clientId(), "iotdm-1/cancel", "{\"reqId\":\"c1\"}");
        assertThat(broker.publishesTo(device.clientId()).inFlight()).isEqualTo(1);
        assertThatThrownBy(() -> broker.awaitPublishesSettled(device.clientId(), Duration.ZERO))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("2 in, 1 on, 0 lost");
        RawMqttClient second = open();
        second.connect(kept, WAIT);
        second.takePublish(WAIT);

        broker.awaitPublishesSettled(device.clientId(), WAIT);
        assertThat(broker.publishesTo(device.clientId())).isEqualTo(new PublishTally("broker to " + device.clientId(), 2, 2, 0));
    }

    @Test
    void a_qos_1_publish_written_to_a_device_waits_for_its_puback() throws Exception {
        Device device = newDevice();
        RawMqttClient client = connected(device);
        client.autoPuback(false);
        client.subscribe("iotdm-1/#", 1, WAIT);
        send(device.clientId(), "iotdm-1/observe", "{\"reqId\":\"o1\"}");
        MqttPublish received = client.takePublish(WAIT);
        broker.awaitPublishesSettled(device.clientId(), WAIT);

        // Written, so settled as a publish; not yet acknowledged by the device.
        assertThat(broker.acknowledgementsFrom(device.clientId()))
                .isEqualTo(new PublishTally("acks from " + device.clientId(), 1, 0, 0));
        assertThatThrownBy(() -> broker.awaitAcknowledged(device.clientId(), Duration.ZERO))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("1 in, 0 on, 0 lost");

        client.puback(received.packetId());
        broker.awaitAcknowledged(device.clientId(), WAIT);
        assertThat(broker.acknowledgementsFrom(device.clientId()))
                .isEqualTo(new PublishTally("acks from " + device.clientId(), 1, 1, 0));
    }

    @Test
    void send_to_a_client_that_never_subscribes_times_out_naming_client_and_topic() {
        Device device = newDevice();
        connected(device);

        CompletableFuture<Void> sent = broker.sendToDevice(device.clientId(), "iotdm-1/cancel", utf8("{}"), 1,
                Duration.ofMillis(300));

        assertThatThrownBy(() -> sent.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TimeoutException.class)
                .hasMessageContaining(device.clientId())
                .hasMessageContaining("iotdm-1/cancel");
    }

    @Test
    void send_with_invalid_arguments_fails_fast_naming_the_field() {
        assertThatThrownBy(() -> broker.sendToDevice("d:org1:sensor:x", "iotdm-1/#", new byte[0], 1, WAIT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic");
        assertThatThrownBy(() -> broker.sendToDevice("d:org1:sensor:x", "iotdm-1/a", new byte[0], 3, WAIT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("qos");
        assertThatThrownBy(() -> broker.sendToDevice("d:org1:sensor:x", "iotdm-1/a", new byte[0], 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    // ---- sessions and connection events -----------------------------------------------------------

    @Test
    void kept_session_receives_a_message_sent_while_it_was_offline() throws Exception {
        Device device = newDevice();
        ConnectOptions kept = ConnectOptions.device(device.clientId(), device.token()).withCleanSession(false);
        RawMqttClient first = open();
        assertThat(first.connect(kept, WAIT).accepted()).isTrue();
        first.subscribe("iotdm-1/#", 1, WAIT);
        first.disconnect();
        EVENTS.await(Disconnected.class, device.clientId(), WAIT);

        send(device.clientId(), "iotdm-1/mgmt/initiate/firmware/download", "{\"reqId\":\"f1\"}");
        RawMqttClient second = open();
        Connack connack = second.connect(kept, WAIT);

        assertThat(connack).isEqualTo(new Connack(true, Connack.ACCEPTED));
        assertThat(second.takePublish(WAIT).topic()).isEqualTo("iotdm-1/mgmt/initiate/firmware/download");
    }

    @Test
    void device_disconnect_is_reported() {
        Device device = newDevice();
        RawMqttClient client = connected(device);
        EVENTS.await(Connected.class, device.clientId(), WAIT);

        client.disconnect();

        EVENTS.await(Disconnected.class, device.clientId(), WAIT);
    }

    @Test
    void taken_over_client_id_reports_its_state_by_the_last_event() {
        Device device = newDevice();
        RawMqttClient first = connected(device);
        RawMqttClient second = connected(device);
        first.awaitClosed(WAIT);

        second.disconnect();

        // Wait for the last disconnect: the one after the second connect.
        EVENTS.await(e -> e instanceof Disconnected && e.clientId().equals(device.clientId())
                && lastIsDisconnectAfterTwoConnects(EVENTS.eventsOf(device.clientId())),
                "disconnect of the second connection", WAIT);
        List<String> kinds = EVENTS.eventsOf(device.clientId()).stream()
                .map(e -> e.getClass().getSimpleName()).toList();
        // The first connection's late disconnect is suppressed; reported before the takeover it is fine.
        assertThat(kinds).isIn(
                List.of("Connected", "Connected", "Disconnected"),
                List.of("Connected", "Disconnected", "Connected", "Disconnected"));
    }

    private static boolean lastIsDisconnectAfterTwoConnects(List<Event> events) {
        long connects = events.stream().filter(e -> e instanceof Connected).count();
        return connects == 2 && events.get(events.size() - 1) instanceof Disconnected;
    }
}
