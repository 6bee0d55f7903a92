package dev.iotdm.transport.paho;

import static dev.iotdm.transport.paho.TestBroker.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.ConnectResult;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.NotConnectedException;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.Secret;
import dev.iotdm.transport.SubscribeResult;
import dev.iotdm.transport.Subscription;
import dev.iotdm.transport.Transports;
import dev.iotdm.testkit.broker.DevicePublish;
import dev.iotdm.testkit.fault.Direction;
import dev.iotdm.testkit.fault.Fault;
import dev.iotdm.testkit.fault.FaultProxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link PahoTransport} against the embedded platform broker on 127.0.0.1, plain TCP. */
class PahoTransportTest {

    private static final String REBOOT = "iotdm-1/mgmt/initiate/device/reboot";

    private static TestBroker platform;

    private final List<MqttTransport> transports = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBroker() {
        platform = TestBroker.plain();
    }

    @AfterAll
    static void stopBroker() {
        platform.close();
    }

    @AfterEach
    void closeTransports() {
        transports.forEach(MqttTransport::close);
    }

    private PahoTransport transport() {
        PahoTransport t = new PahoTransport();
        transports.add(t);
        return t;
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return Futures.await(future);
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        return Futures.failureOf(future);
    }

    // ---- connect ----------------------------------------------------------------------------

    @Test
    void a_registered_device_connects_without_a_session_present_on_clean_start() throws Exception {
        PahoTransport t = transport();
        TestBroker.Device device = platform.newDevice();

        ConnectResult result = await(t.connect(platform.options(device).build(), new RecordingListener()));

        assertThat(result.sessionPresent()).isFalse();
        assertThat(t.isConnected()).isTrue();
    }

    @Test
    void a_wrong_token_is_refused_with_the_connack_reason_code() throws Exception {
        PahoTransport t = transport();
        TestBroker.Device device = platform.newDevice();
        MqttConnectOptions options = platform.options(device)
                .credentials("use-token-auth", Secret.of("not-the-token")).build();

        Throwable cause = failureOf(t.connect(options, new RecordingListener()));

        assertThat(cause).isInstanceOf(ConnectFailureException.class);
        ConnectFailure failure = ((ConnectFailureException) cause).failure();
        assertThat(failure).isInstanceOfAny(ConnectFailure.NotAuthorized.class, ConnectFailure.BadCredentials.class);
        int code = failure instanceof ConnectFailure.NotAuthorized n ? n.returnCode()
                : ((ConnectFailure.BadCredentials) failure).returnCode();
        assertThat(code).isIn(0x86, 0x87);
        assertThat(t.isConnected()).isFalse();
    }

    @Test
    void an_unreachable_port_fails_with_unreachable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        PahoTransport t = transport();
        MqttConnectOptions options = platform.options(platform.newDevice()).host("127.0.0.1").port(closedPort).build();

        Throwable cause = failureOf(t.connect(options, new RecordingListener()));

        assertThat(cause).isInstanceOf(ConnectFailureException.class);
        assertThat(((ConnectFailureException) cause).failure()).isInstanceOf(ConnectFailure.Unreachable.class);
    }

    @Test
    void a_broker_that_never_sends_connack_fails_with_timed_out_after_the_connect_timeout() throws Exception {
        // The kernel accepts the TCP connection into the backlog; nobody ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            PahoTransport t = transport();
            Duration timeout = Duration.ofMillis(300);
            MqttConnectOptions options = platform.options(platform.newDevice())
                    .host("127.0.0.1").port(silent.getLocalPort()).connectTimeout(timeout).build();

            Throwable cause = failureOf(t.connect(options, new RecordingListener()));

            assertThat(cause).isInstanceOf(ConnectFailureException.class);
            assertThat(((ConnectFailureException) cause).failure()).isEqualTo(new ConnectFailure.TimedOut(timeout));
            assertThat(t.isConnected()).isFalse();
        }
    }

    @Test
    void disconnect_while_connecting_abandons_the_attempt_and_the_instance_connects_again() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            PahoTransport t = transport();
            TestBroker.Device device = platform.newDevice();
            CompletableFuture<ConnectResult> pending = t.connect(platform.options(device).host("127.0.0.1")
                    .port(silent.getLocalPort()).build(), new RecordingListener());

            await(t.disconnect());

            Throwable cause = failureOf(pending);
            assertThat(cause).isInstanceOf(ConnectFailureException.class);
            assertThat(((ConnectFailureException) cause).failure()).isInstanceOf(ConnectFailure.Other.class);
            assertThat(t.isConnected()).isFalse();
            await(t.connect(platform.options(device).build(), new RecordingListener()));
            assertThat(t.isConnected()).isTrue();
        }
    }

    @Test
    void mqtt_3_1_1_options_are_rejected_with_a_pointer_to_the_netty_transport() {
        PahoTransport t = transport();
        MqttConnectOptions options = platform.options(platform.newDevice()).version(MqttVersion.MQTT_3_1_1).build();

        assertThatThrownBy(() -> t.connect(options, new RecordingListener()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MQTT 5 only")
                .hasMessageContaining("transport-netty");
    }

    @Test
    void connect_while_connected_fails_with_illegal_state() throws Exception {
        PahoTransport t = transport();
        MqttConnectOptions options = platform.options(platform.newDevice()).build();
        await(t.connect(options, new RecordingListener()));

        assertThat(failureOf(t.connect(options, new RecordingListener()))).isInstanceOf(IllegalStateException.class);
        assertThat(t.isConnected()).isTrue();
    }

    // ---- subscribe, publish, receive ---------------------------------------------------------

    @Test
    void dm_and_command_filters_are_granted_qos_1_and_hash_is_refused_while_staying_connected() throws Exception {
        PahoTransport t = transport();
        TestBroker.Device device = platform.newDevice();
        RecordingListener listener = new RecordingListener();
        await(t.connect(platform.options(device).build(), listener));

        List<SubscribeResult> granted = await(t.subscribe(List.of(
                new Subscription("iotdm-1/#", Qos.AT_LEAST_ONCE),
                new Subscription("iot-2/cmd/+/fmt/+", Qos.AT_LEAST_ONCE))));
        List<SubscribeResult> refused = await(t.subscribe(List.of(new Subscription("#", Qos.AT_LEAST_ONCE))));

        assertThat(granted).containsExactly(new SubscribeResult.Granted(Qos.AT_LEAST_ONCE),
                new SubscribeResult.Granted(Qos.AT_LEAST_ONCE));
        assertThat(refused).singleElement().isInstanceOfSatisfying(SubscribeResult.Refused.class,
                r -> assertThat(r.reasonCode()).isGreaterThanOrEqualTo(0x80));
        assertThat(t.isConnected()).isTrue();
        // still usable: a message on the granted filter arrives
        await(platform.broker.sendToDevice(device.clientId(), REBOOT, bytes("{}"), 1, WAIT));
        assertThat(listener.awaitMessage(WAIT).topic()).isEqualTo(REBOOT);
    }

    @Test
    void a_publish_on_the_manage_topic_reaches_the_platform() throws Exception {
        PahoTransport t = transport();
        TestBroker.Device device = platform.newDevice();
        await(t.connect(platform.options(device).build(), new RecordingListener()));

        await(t.publish("iotdevice-1/mgmt/manage", bytes("{\"reqId\":\"m1\"}"), Qos.AT_LEAST_ONCE));

        DevicePublish seen = platform.awaitPublish(p -> p.clientId().equals(device.clientId()));
        assertThat(seen.topic()).isEqualTo("iotdevice-1/mgmt/manage");
        assertThat(new String(seen.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"reqId\":\"m1\"}");
        assertThat(seen.qos()).isEqualTo(1);
        assertThat(seen.retain()).isFalse();
    }

    @Test
    void a_qos_0_publish_completes_once_written() throws Exception {
        PahoTransport t = transport();
        TestBroker.Device device = platform.newDevice();
        await(t.connect(platform.options(device).build(), new RecordingListener()));

        await(t.publish("iot-2/evt/status/fmt/json", bytes("{\"d\":1}"), Qos.AT_MOST_ONCE));

        DevicePublish seen = platform.awaitPublish(p -> p.clientId().equals(device.clientId()));
        assertThat(seen.topic()).isEqualTo("iot-2/evt/status/fmt/json");
        assertThat(seen.qos()).isZero();
    }

    @Test
    void a_message_sent_to_the_device_reaches_the_listener_with_payload_and_qos_on_a_transport_thread()
            throws Exception {
        PahoTransport t = transport();
        TestBroker.Device device = platform.newDevice();
        RecordingListener listener = new RecordingListener();
        await(t.connect(platform.options(device).build(), listener));
        await(t.subscribe(List.of(new Subscription("iotdm-1/#", Qos.AT_LEAST_ONCE))));

        await(platform.broker.sendToDevice(device.clientId(), REBOOT, bytes("{\"reqId\":\"r1\"}"), 1, WAIT));

        RecordingListener.Arrived arrived = listener.awaitMessage(WAIT);
        assertThat(arrived.topic()).isEqualTo(REBOOT);
        assertThat(arrived.text()).isEqualTo("{\"reqId\":\"r1\"}");
        assertThat(arrived.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
        assertThat(arrived.duplicate()).isFalse();
        // handed over from Paho: never called on one of Paho's own "MQTT ..." threads
        assertThat(arrived.thread()).startsWith("iotdm-paho-");
    }

    @Test
    void publish_and_subscribe_while_not_connected_fail_with_not_connected() throws Exception {
        PahoTransport t = transport();

        assertThat(failureOf(t.publish("iotdevice-1/response", bytes("{}"), Qos.AT_LEAST_ONCE)))
                .isInstanceOf(NotConnectedException.class);
        assertThat(failureOf(t.subscribe(List.of(new Subscription("iotdm-1/#", Qos.AT_LEAST_ONCE)))))
                .isInstanceOf(NotConnectedException.class);
    }

    @Test
    void invalid_arguments_are_refused_at_once() throws Exception {
        PahoTransport t = transport();
        await(t.connect(platform.options(platform.newDevice()).build(), new RecordingListener()));

        assertThatThrownBy(() -> t.publish("iot-2/evt/+/fmt/json", bytes("{}"), Qos.AT_LEAST_ONCE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wildcards");
        assertThatThrownBy(() -> t.publish("", bytes("{}"), Qos.AT_LEAST_ONCE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic");
        assertThatThrownBy(() -> t.subscribe(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.publish("a/b", null, Qos.AT_LEAST_ONCE)).isInstanceOf(NullPointerException.class);
    }

    // ---- sessions and connection loss ---------------------------------------------------------

    @Test
    void a_kept_session_delivers_a_message_sent_while_offline_after_reconnecting() throws Exception {
        PahoTransport t = transport();
        TestBroker.Device device = platform.newDevice();
        MqttConnectOptions kept = platform.options(device).cleanSession(false)
                .sessionExpiry(Duration.ofSeconds(3600)).build();
        RecordingListener first = new RecordingListener();
        assertThat(await(t.connect(kept, first)).sessionPresent()).isFalse();
        await(t.subscribe(List.of(new Subscription("iotdm-1/#", Qos.AT_LEAST_ONCE))));
        await(t.disconnect());
        assertThat(t.isConnected()).isFalse();

        // queued by the broker for the offline kept session
        await(platform.broker.sendToDevice(device.clientId(), REBOOT, bytes("{\"reqId\":\"offline\"}"), 1, WAIT));
        RecordingListener second = new RecordingListener();
        ConnectResult again = await(t.connect(kept, second));

        assertThat(again.sessionPresent()).isTrue();
        RecordingListener.Arrived arrived = second.awaitMessage(WAIT);
        assertThat(arrived.topic()).isEqualTo(REBOOT);
        assertThat(arrived.text()).isEqualTo("{\"reqId\":\"offline\"}");
        assertThat(first.waitingMessages()).isZero();
    }

    @Test
    void a_dropped_connection_calls_connection_lost_once_and_the_same_instance_connects_again() throws Exception {
        TestBroker.Device device = platform.newDevice();
        try (FaultProxy proxy = FaultProxy.open(new InetSocketAddress(platform.broker.host(), platform.broker.port()))) {
            PahoTransport t = transport();
            MqttConnectOptions viaProxy = platform.options(device).host("127.0.0.1").port(proxy.port()).build();
            RecordingListener listener = new RecordingListener();
            await(t.connect(viaProxy, listener));

            proxy.apply(new Fault.DropConnections());

            Throwable cause = listener.awaitLoss(WAIT);
            assertThat(cause).isNotNull();
            assertThat(t.isConnected()).isFalse();
            assertThat(failureOf(t.publish("iotdevice-1/response", bytes("{}"), Qos.AT_LEAST_ONCE)))
                    .isInstanceOf(NotConnectedException.class);

            RecordingListener afterwards = new RecordingListener();
            assertThat(await(t.connect(viaProxy, afterwards)).sessionPresent()).isFalse();
            await(t.subscribe(List.of(new Subscription("iotdm-1/#", Qos.AT_LEAST_ONCE))));
            await(t.publish("iotdevice-1/mgmt/manage", bytes("{\"reqId\":\"again\"}"), Qos.AT_LEAST_ONCE));
            await(platform.broker.sendToDevice(device.clientId(), REBOOT, bytes("{}"), 1, WAIT));
            afterwards.awaitMessage(WAIT);

            // every delivery of the old connection came before the new round trip, in order
            assertThat(listener.lossCount()).isEqualTo(1);
            assertThat(afterwards.lossCount()).isZero();
        }
    }

    @Test
    void a_broker_that_stops_answering_is_detected_by_the_keep_alive() throws Exception {
        TestBroker.Device device = platform.newDevice();
        try (FaultProxy proxy = FaultProxy.open(new InetSocketAddress(platform.broker.host(), platform.broker.port()))) {
            PahoTransport t = transport();
            RecordingListener listener = new RecordingListener();
            await(t.connect(platform.options(device).host("127.0.0.1").port(proxy.port())
                    .keepAlive(Duration.ofSeconds(1)).build(), listener));

            proxy.apply(new Fault.Stall(Direction.DOWNSTREAM)); // TCP stays up; no PINGRESP comes back

            assertThat(listener.awaitLoss(WAIT)).isNotNull();
            assertThat(t.isConnected()).isFalse();
            proxy.clear();
        }
    }

    @Test
    void a_broker_disconnect_is_reported_as_connection_lost_with_its_reason_code() throws Exception {
        PahoTransport t = transport();
        RecordingListener listener = new RecordingListener();
        await(t.connect(platform.options(platform.newDevice()).build(), listener));

        // the platform disconnects a device that publishes outside its topics (MQTT 5: DISCONNECT 0x87)
        t.publish("not/a/device/topic", bytes("{}"), Qos.AT_LEAST_ONCE);

        Throwable cause = listener.awaitLoss(WAIT);
        assertThat(cause).hasMessageContaining("0x87");
        assertThat(t.isConnected()).isFalse();
    }

    @Test
    void disconnect_reports_no_connection_loss_and_the_instance_connects_again() throws Exception {
        PahoTransport t = transport();
        TestBroker.Device device = platform.newDevice();
        RecordingListener listener = new RecordingListener();
        await(t.connect(platform.options(device).build(), listener));

        await(t.disconnect());
        assertThat(t.isConnected()).isFalse();
        await(t.disconnect()); // not connected: completes at once

        RecordingListener next = new RecordingListener();
        await(t.connect(platform.options(device).build(), next));
        await(t.subscribe(List.of(new Subscription("iotdm-1/#", Qos.AT_LEAST_ONCE))));
        await(platform.broker.sendToDevice(device.clientId(), REBOOT, bytes("{}"), 1, WAIT));
        next.awaitMessage(WAIT);
        assertThat(listener.lossCount()).isZero();
    }

    // ---- TCP_NODELAY, lifecycle, provider -----------------------------------------------------

    @Test
    void the_connection_socket_has_tcp_nodelay_set() throws Exception {
        List<Socket> sockets = new CopyOnWriteArrayList<>();
        PahoTransport t = new PahoTransport(sockets::add);
        transports.add(t);

        await(t.connect(platform.options(platform.newDevice()).build(), new RecordingListener()));

        assertThat(sockets).singleElement().satisfies(s -> {
            assertThat(s.isConnected()).isTrue();
            assertThat(s.getPort()).isEqualTo(platform.broker.port());
            assertThat(s.getTcpNoDelay()).isTrue();
        });
    }

    @Test
    void close_is_idempotent_and_later_calls_fail_with_illegal_state() throws Exception {
        PahoTransport t = transport();
        RecordingListener listener = new RecordingListener();
        await(t.connect(platform.options(platform.newDevice()).build(), listener));

        t.close();
        t.close();

        assertThat(t.isConnected()).isFalse();
        assertThat(failureOf(t.connect(platform.options(platform.newDevice()).build(), listener)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(failureOf(t.publish("iotdevice-1/response", bytes("{}"), Qos.AT_LEAST_ONCE)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(failureOf(t.disconnect())).isInstanceOf(IllegalStateException.class);
        assertThat(listener.lossCount()).isZero();
    }

    @Test
    void the_provider_is_found_by_the_name_paho() {
        try (MqttTransport t = Transports.load("paho")) {
            assertThat(t).isInstanceOf(PahoTransport.class);
            assertThat(Transports.available()).contains("paho");
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
