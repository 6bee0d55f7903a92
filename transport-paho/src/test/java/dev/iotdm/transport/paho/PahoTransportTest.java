package dev.iotdm.transport.paho;

import static dev.iotdm.transport.tck.Futures.await;
import static dev.iotdm.transport.tck.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.ConnectResult;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.Subscription;
import dev.iotdm.transport.TransportListener;
import dev.iotdm.transport.Transports;
import dev.iotdm.transport.tck.ContractBroker;
import dev.iotdm.transport.tck.RecordingListener;
import dev.iotdm.transport.tck.TransportThreads;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What is Paho's own beyond the SPI contract ({@link PahoSpiContractTest}): its threads, its
 * socket options, its messages and its provider name. Plain TCP against the embedded broker.
 */
class PahoTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String REBOOT = "iotdm-1/mgmt/initiate/device/reboot";
    /** The transport's own threads and the names Paho gives them while its loops run. */
    private static final List<String> PAHO_THREADS = List.of("iotdm-paho-", "MQTT ");

    private static ContractBroker platform;

    private final List<MqttTransport> transports = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBroker() {
        platform = ContractBroker.plain();
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
        return track(new PahoTransport());
    }

    private PahoTransport track(PahoTransport t) {
        transports.add(t);
        return t;
    }

    private static MqttConnectOptions.Builder options(ContractBroker.Device device) {
        return platform.options(device, MqttVersion.MQTT_5);
    }

    @Test
    void mqtt_3_1_1_options_are_rejected_with_a_pointer_to_the_netty_transport() {
        PahoTransport t = transport();
        MqttConnectOptions options = platform.options(platform.newDevice(), MqttVersion.MQTT_3_1_1).build();

        assertThatThrownBy(() -> t.connect(options, new RecordingListener()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MQTT 5 only")
                .hasMessageContaining("transport-netty");
    }

    @Test
    void disconnect_while_connecting_abandons_the_attempt_and_the_instance_connects_again() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            PahoTransport t = transport();
            ContractBroker.Device device = platform.newDevice();
            CompletableFuture<ConnectResult> pending = t.connect(options(device).host("127.0.0.1")
                    .port(silent.getLocalPort()).build(), new RecordingListener());

            await(t.disconnect(), WAIT);

            Throwable cause = failureOf(pending, WAIT);
            assertThat(cause).isInstanceOf(ConnectFailureException.class);
            assertThat(((ConnectFailureException) cause).failure()).isInstanceOf(ConnectFailure.Other.class);
            assertThat(t.isConnected()).isFalse();
            await(t.connect(options(device).build(), new RecordingListener()), WAIT);
            assertThat(t.isConnected()).isTrue();
        }
    }

    @Test
    void a_message_reaches_the_listener_on_pahos_callback_thread_with_no_hand_off_of_the_transport()
            throws Exception {
        PahoTransport t = transport();
        ContractBroker.Device device = platform.newDevice();
        RecordingListener listener = new RecordingListener();
        await(t.connect(options(device).build(), listener), WAIT);
        await(t.subscribe(List.of(new Subscription("iotdm-1/#", Qos.AT_LEAST_ONCE))), WAIT);

        await(platform.sendToDevice(device, REBOOT, "{}".getBytes(StandardCharsets.UTF_8), WAIT), WAIT);

        // the one hand-off between socket and session is the listener's own (to the session's
        // serial executor): the transport calls it on the thread Paho delivers on
        assertThat(listener.awaitMessage(WAIT).thread()).startsWith("MQTT Call: ");
    }

    @Test
    void close_called_by_the_listener_on_pahos_thread_returns_before_the_shutdown_wait_and_every_thread_ends()
            throws Exception {
        Set<Thread> before = TransportThreads.named(PAHO_THREADS);
        PahoTransport t = transport();
        ContractBroker.Device device = platform.newDevice();
        CompletableFuture<String> closedOn = new CompletableFuture<>();
        TransportListener closing = new TransportListener() {
            @Override
            public void messageArrived(String topic, byte[] payload, Qos qos, boolean duplicate) {
                t.close();
                closedOn.complete(Thread.currentThread().getName());
            }

            @Override
            public void connectionLost(Throwable cause) {
            }
        };
        await(t.connect(options(device).build(), closing), WAIT);
        await(t.subscribe(List.of(new Subscription("iotdm-1/#", Qos.AT_LEAST_ONCE))), WAIT);

        platform.sendToDevice(device, REBOOT, "{}".getBytes(StandardCharsets.UTF_8), WAIT);

        // The teardown needs Paho's callback thread, so close() there must not wait for it.
        assertThat(closedOn.get(PahoTransport.SHUTDOWN_WAIT_SECONDS - 2, TimeUnit.SECONDS)).startsWith("MQTT Call: ");
        assertThat(t.isConnected()).isFalse();
        Set<Thread> left = TransportThreads.awaitNone(th -> !before.contains(th)
                && PAHO_THREADS.stream().anyMatch(p -> th.getName().startsWith(p)), WAIT);
        assertThat(left).as("threads left: %s", TransportThreads.names(left)).isEmpty();
    }

    @Test
    void a_broker_disconnect_is_reported_as_connection_lost_with_its_reason_code() throws Exception {
        PahoTransport t = transport();
        RecordingListener listener = new RecordingListener();
        await(t.connect(options(platform.newDevice()).build(), listener), WAIT);

        // the platform disconnects a device that publishes outside its topics (MQTT 5: DISCONNECT 0x87)
        t.publish("not/a/device/topic", "{}".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE);

        assertThat(listener.awaitLoss(WAIT)).hasMessageContaining("0x87");
        assertThat(t.isConnected()).isFalse();
    }

    @Test
    void the_connection_socket_has_tcp_nodelay_set() throws Exception {
        List<Socket> sockets = new CopyOnWriteArrayList<>();
        PahoTransport t = track(new PahoTransport(sockets::add));

        await(t.connect(options(platform.newDevice()).build(), new RecordingListener()), WAIT);

        assertThat(sockets).singleElement().satisfies(s -> {
            assertThat(s.isConnected()).isTrue();
            assertThat(s.getPort()).isEqualTo(platform.broker().port());
            assertThat(s.getTcpNoDelay()).isTrue();
        });
    }

    @Test
    void the_provider_is_found_by_the_name_paho() {
        try (MqttTransport t = Transports.load("paho")) {
            assertThat(t).isInstanceOf(PahoTransport.class);
            assertThat(Transports.available()).contains("paho");
        }
    }
}
