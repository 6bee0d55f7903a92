package dev.iotdm.transport.tck;

import static dev.iotdm.transport.tck.Futures.await;
import static dev.iotdm.transport.tck.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.testkit.broker.DevicePublish;
import dev.iotdm.testkit.broker.TlsListener;
import dev.iotdm.testkit.fault.CloseMode;
import dev.iotdm.testkit.fault.Direction;
import dev.iotdm.testkit.fault.Fault;
import dev.iotdm.testkit.fault.FaultProxy;
import dev.iotdm.testkit.tls.TestCertificates;
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
import dev.iotdm.transport.tls.TlsSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The transport SPI's contract: what every {@link MqttTransport} promises, driven directly (no
 * {@code ManagedClient}) with a recording {@link dev.iotdm.transport.TransportListener}, against
 * the platform's embedded HiveMQ broker on 127.0.0.1, a {@link FaultProxy} where the network must
 * misbehave, and a scripted MQTT server where a real broker cannot show a thing (any CONNACK code,
 * the moment a PUBACK is written). A transport module's tests extend this class and supply the
 * factory and the MQTT versions the transport speaks (the Leshan and MINA SSHD pattern).
 *
 * <p>One broker (plain and TLS listeners, client certificates optional and checked when offered)
 * serves the whole class; every test uses its own device.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SpiContract {

    /** How long any single wait may take. */
    protected static final Duration WAIT = Duration.ofSeconds(20);

    private static final String REBOOT = "iotdm-1/mgmt/initiate/device/reboot";
    private static final String MANAGE = "iotdevice-1/mgmt/manage";
    private static final String PASSWORD = "changeit";
    /** Over the platform's payload limit (protocol.md §1.9). */
    private static final int OVERSIZE = 131_073;
    /** Long enough for a transport that acks early to have sent its PUBACK on a loopback socket. */
    private static final Duration NO_ACK_WINDOW = Duration.ofMillis(500);
    private static final int PARALLEL_CYCLES = 8;
    /** QoS 1 publishes in flight at once: under the broker's Receive Maximum of 10. */
    private static final int IN_FLIGHT = 5;

    private final List<MqttTransport> transports = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> perTest = new CopyOnWriteArrayList<>();
    private Path dir;
    private TestCertificates.WrittenFiles pki;
    private TestCertificates.WrittenFiles strangerPki;
    private ContractBroker platform;

    /**
     * Makes a transport of the implementation under test; the contract closes it after each test.
     *
     * @return a new, unconnected transport
     */
    protected abstract MqttTransport newTransport();

    /**
     * The MQTT versions the transport speaks; the tests against the broker use the first, the
     * CONNACK code tests every one.
     *
     * @return the versions, the preferred first; not empty
     */
    protected abstract List<MqttVersion> mqttVersions();

    /**
     * Names the threads the transport starts, so the leak check can find them after close.
     *
     * @return thread name prefixes, e.g. {@code "iotdm-paho-"}
     */
    protected abstract List<String> transportThreadPrefixes();

    /**
     * Whether the transport hands the DUP flag of an incoming PUBLISH to the listener, as
     * {@link dev.iotdm.transport.TransportListener#messageArrived} promises. A transport whose
     * library drops the flag declares {@code false} and says why; the tests then pin that
     * behaviour, so a library upgrade that fixes it shows up as a failure to flip the declaration.
     *
     * @return true (the default) when the listener sees the DUP flag of a redelivery
     */
    protected boolean deliversDupFlag() {
        return true;
    }

    /**
     * Sizes the leak check, which creates and closes transports in every state a transport can
     * be closed in.
     *
     * @return how many transports it creates, 50 by default
     */
    protected int closeConnectCycles() {
        return 50;
    }

    @BeforeAll
    final void startBroker() throws IOException {
        dir = Files.createTempDirectory("iotdm-spi-contract");
        // The server certificate names "localhost" only, so "127.0.0.1" fails host name verification.
        pki = TestCertificates.builder().serverNames(List.of("localhost")).build()
                .writeTo(dir.resolve("pki"), PASSWORD.toCharArray());
        strangerPki = TestCertificates.generate().writeTo(dir.resolve("stranger"), PASSWORD.toCharArray());
        platform = ContractBroker.withTls(new TlsListener(pki.serverKeyStore(), PASSWORD, PASSWORD,
                pki.caTrustStore(), PASSWORD, TlsListener.ClientAuth.OPTIONAL));
    }

    @AfterAll
    final void stopBroker() throws IOException {
        if (platform != null) {
            platform.close();
        }
        Trees.delete(dir);
    }

    @AfterEach
    final void closePerTest() throws Exception {
        transports.forEach(MqttTransport::close);
        transports.clear();
        for (AutoCloseable c : perTest) {
            c.close();
        }
        perTest.clear();
    }

    private MqttTransport transport() {
        MqttTransport t = newTransport();
        transports.add(t);
        return t;
    }

    private MqttVersion version() {
        return mqttVersions().get(0);
    }

    private ContractBroker.Device device() {
        return platform.newDevice();
    }

    private MqttConnectOptions.Builder options(ContractBroker.Device device) {
        return platform.options(device, version());
    }

    private FaultProxy proxy() {
        FaultProxy proxy = FaultProxy.open(new InetSocketAddress(platform.broker().host(), platform.broker().port()));
        perTest.add(proxy);
        return proxy;
    }

    private MqttConnectOptions.Builder viaProxy(ContractBroker.Device device, FaultProxy proxy) {
        return options(device).host("127.0.0.1").port(proxy.port());
    }

    private MqttConnectOptions.Builder tls(String host, TlsSettings tls) {
        return options(device()).host(host).port(platform.broker().tlsPort()).tls(tls);
    }

    /** Starts connecting {@code t} to the scripted server, which must then accept and answer. */
    private static CompletableFuture<ConnectResult> connect(MqttTransport t, ScriptedBroker server, MqttVersion v,
            RecordingListener listener) {
        return t.connect(MqttConnectOptions.builder().clientId("d:tck:scripted:device").host("127.0.0.1")
                .port(server.port()).version(v).connectTimeout(WAIT).build(), listener);
    }

    private static ConnectFailure connectFailure(Throwable cause) {
        assertThat(cause).isInstanceOf(ConnectFailureException.class);
        return ((ConnectFailureException) cause).failure();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Subscription dm() {
        return new Subscription("iotdm-1/#", Qos.AT_LEAST_ONCE);
    }

    // ---- connect ----------------------------------------------------------------------------

    @Test
    void every_refusing_connack_code_becomes_the_same_connect_failure_for_every_declared_version()
            throws Exception {
        try (ScriptedBroker server = new ScriptedBroker()) {
            for (MqttVersion v : mqttVersions()) {
                int[] codes = switch (v) {
                    case MQTT_3_1_1 -> new int[] {1, 2, 3, 4, 5};
                    case MQTT_5 -> new int[] {0x80, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x95, 0x97,
                            0x9C, 0x9D, 0x9F};
                };
                for (int code : codes) {
                    MqttTransport t = transport();
                    CompletableFuture<ConnectResult> connect = connect(t, server, v, new RecordingListener());
                    try (ScriptedBroker.Connection c = server.accept(WAIT)) {
                        assertThat(c.version()).as("the CONNECT's protocol level").isEqualTo(v);
                        c.connack(code);
                        assertThat(connectFailure(failureOf(connect, WAIT)))
                                .as("%s CONNACK code 0x%s", v, Integer.toHexString(code))
                                .isEqualTo(ConnectFailure.fromConnack(v, code, Optional.empty()));
                    }
                    assertThat(t.isConnected()).isFalse();
                    t.close();
                }
            }
        }
    }

    @Test
    void a_version_the_transport_does_not_declare_is_refused_at_once() {
        Set<MqttVersion> undeclared = EnumSet.allOf(MqttVersion.class);
        undeclared.removeAll(mqttVersions());
        for (MqttVersion v : undeclared) {
            MqttTransport t = transport();
            MqttConnectOptions options = platform.options(device(), v).build();
            assertThatThrownBy(() -> t.connect(options, new RecordingListener()))
                    .as("connect with %s", v).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void a_wrong_token_is_refused_by_the_platform_as_not_authorized_for_every_declared_version()
            throws Exception {
        for (MqttVersion v : mqttVersions()) {
            MqttTransport t = transport();
            MqttConnectOptions options = platform.options(device(), v)
                    .credentials("use-token-auth", Secret.of("not-the-token")).build();

            ConnectFailure failure = connectFailure(failureOf(t.connect(options, new RecordingListener()), WAIT));

            assertThat(failure).isInstanceOfSatisfying(ConnectFailure.NotAuthorized.class,
                    f -> assertThat(f.returnCode()).isEqualTo(v == MqttVersion.MQTT_5 ? 0x87 : 5));
            assertThat(t.isConnected()).isFalse();
        }
    }

    @Test
    void a_registered_device_connects_without_a_session_present_on_clean_start() throws Exception {
        MqttTransport t = transport();

        ConnectResult result = await(t.connect(options(device()).build(), new RecordingListener()), WAIT);

        assertThat(result.sessionPresent()).isFalse();
        assertThat(t.isConnected()).isTrue();
    }

    @Test
    void an_unreachable_port_fails_with_unreachable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        MqttTransport t = transport();

        Throwable cause = failureOf(t.connect(options(device()).host("127.0.0.1").port(closedPort).build(),
                new RecordingListener()), WAIT);

        assertThat(connectFailure(cause)).isInstanceOf(ConnectFailure.Unreachable.class);
    }

    @Test
    void a_broker_that_never_sends_connack_fails_with_timed_out_after_the_connect_timeout() throws Exception {
        // The kernel accepts the TCP connection into the backlog; nobody ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            MqttTransport t = transport();
            Duration timeout = Duration.ofMillis(300);

            Throwable cause = failureOf(t.connect(options(device()).host("127.0.0.1").port(silent.getLocalPort())
                    .connectTimeout(timeout).build(), new RecordingListener()), WAIT);

            assertThat(connectFailure(cause)).isEqualTo(new ConnectFailure.TimedOut(timeout,
                    "the CONNACK from 127.0.0.1:" + silent.getLocalPort()));
            assertThat(t.isConnected()).isFalse();
        }
    }

    @Test
    void connect_while_connected_fails_with_illegal_state() throws Exception {
        MqttTransport t = transport();
        MqttConnectOptions options = options(device()).build();
        await(t.connect(options, new RecordingListener()), WAIT);

        assertThat(failureOf(t.connect(options, new RecordingListener()), WAIT))
                .isInstanceOf(IllegalStateException.class);
        assertThat(t.isConnected()).isTrue();
    }

    // ---- subscribe and publish ----------------------------------------------------------------

    @Test
    void subscribe_answers_per_filter_in_order_granted_or_refused_by_the_platforms_permissions()
            throws Exception {
        MqttTransport t = transport();
        ContractBroker.Device device = device();
        RecordingListener listener = new RecordingListener();
        await(t.connect(options(device).build(), listener), WAIT);

        List<SubscribeResult> results = await(t.subscribe(List.of(dm(),
                new Subscription("#", Qos.AT_LEAST_ONCE),
                new Subscription("iot-2/cmd/+/fmt/+", Qos.AT_MOST_ONCE))), WAIT);

        // MQTT 5 refuses with 0x87 not authorized; MQTT 3.1.1 has only 0x80 failure.
        int refused = version() == MqttVersion.MQTT_5 ? 0x87 : 0x80;
        assertThat(results).containsExactly(new SubscribeResult.Granted(Qos.AT_LEAST_ONCE),
                new SubscribeResult.Refused(refused), new SubscribeResult.Granted(Qos.AT_MOST_ONCE));
        assertThat(t.isConnected()).isTrue();
        await(platform.sendToDevice(device, REBOOT, bytes("{}"), WAIT), WAIT);
        assertThat(listener.awaitMessage(WAIT).topic()).isEqualTo(REBOOT);
    }

    @Test
    void a_qos_1_publish_completes_only_once_the_puback_arrives() throws Exception {
        MqttTransport t = transport();
        ContractBroker.Device device = device();
        FaultProxy proxy = proxy();
        await(t.connect(viaProxy(device, proxy).build(), new RecordingListener()), WAIT);
        proxy.apply(new Fault.Stall(Direction.DOWNSTREAM)); // the broker's PUBACK is held

        CompletableFuture<Void> publish = t.publish(MANAGE, bytes("{\"reqId\":\"q1\"}"), Qos.AT_LEAST_ONCE);
        DevicePublish seen = platform.awaitPublish(device, WAIT);

        assertThat(seen.qos()).isEqualTo(1);
        assertThat(publish).as("completed before the broker's PUBACK reached the device").isNotDone();
        proxy.clear();
        await(publish, WAIT);
    }

    @Test
    void a_qos_0_publish_completes_and_reaches_the_broker_unretained() throws Exception {
        MqttTransport t = transport();
        ContractBroker.Device device = device();
        await(t.connect(options(device).build(), new RecordingListener()), WAIT);

        await(t.publish("iot-2/evt/status/fmt/json", bytes("{\"d\":1}"), Qos.AT_MOST_ONCE), WAIT);

        DevicePublish seen = platform.awaitPublish(device, WAIT);
        assertThat(seen.topic()).isEqualTo("iot-2/evt/status/fmt/json");
        assertThat(new String(seen.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"d\":1}");
        assertThat(seen.qos()).isZero();
        assertThat(seen.retain()).isFalse();
    }

    @Test
    void publishes_reach_the_broker_in_the_order_they_were_made() throws Exception {
        MqttTransport t = transport();
        ContractBroker.Device device = device();
        await(t.connect(options(device).build(), new RecordingListener()), WAIT);

        // Pipelined in rounds that stay under the broker's Receive Maximum (HiveMQ: 10 in flight),
        // which a transport may enforce by refusing more.
        for (int round = 0; round < 50; round += IN_FLIGHT) {
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = round; i < round + IN_FLIGHT; i++) {
                sent.add(t.publish("iot-2/evt/n/fmt/json", bytes("{\"n\":" + i + "}"),
                        i % 3 == 0 ? Qos.AT_MOST_ONCE : Qos.AT_LEAST_ONCE));
            }
            for (CompletableFuture<Void> f : sent) {
                await(f, WAIT);
            }
        }

        for (int i = 0; i < 50; i++) {
            assertThat(new String(platform.awaitPublish(device, WAIT).payload(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"n\":" + i + "}");
        }
    }

    @Test
    void messages_reach_the_listener_one_at_a_time_in_the_order_the_broker_sent_them() throws Exception {
        MqttTransport t = transport();
        ContractBroker.Device device = device();
        RecordingListener listener = new RecordingListener();
        await(t.connect(options(device).build(), listener), WAIT);
        await(t.subscribe(List.of(dm())), WAIT);

        for (int i = 0; i < 50; i++) {
            await(platform.sendToDevice(device, REBOOT, bytes("{\"reqId\":\"" + i + "\"}"), WAIT), WAIT);
        }

        for (int i = 0; i < 50; i++) {
            RecordingListener.Arrived a = listener.awaitMessage(WAIT);
            assertThat(a.text()).isEqualTo("{\"reqId\":\"" + i + "\"}");
            assertThat(a.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
            assertThat(a.duplicate()).isFalse();
        }
    }

    @Test
    void the_puback_leaves_only_after_message_arrived_returned() throws Exception {
        try (ScriptedBroker server = new ScriptedBroker()) {
            RecordingListener listener = RecordingListener.holding();
            CompletableFuture<ConnectResult> connect = connect(transport(), server, version(), listener);
            try (ScriptedBroker.Connection c = server.accept(WAIT)) {
                c.connack(0);
                await(connect, WAIT);

                c.publishQos1(7, REBOOT, bytes("{\"reqId\":\"held\"}"), false);
                listener.awaitEntered(WAIT);

                Optional<ScriptedBroker.Packet> early = c.read(NO_ACK_WINDOW);
                assertThat(early).as("a packet written while messageArrived had not returned").isEmpty();
                listener.release();
                ScriptedBroker.Packet ack = c.read(WAIT)
                        .orElseThrow(() -> new AssertionError("no PUBACK within " + WAIT + " of the listener's return"));
                assertThat(ack.type()).isEqualTo(ScriptedBroker.PUBACK);
                assertThat(ack.packetId()).isEqualTo(7);
            }
        }
    }

    @Test
    void the_dup_flag_of_a_publish_reaches_the_listener() throws Exception {
        try (ScriptedBroker server = new ScriptedBroker()) {
            RecordingListener listener = new RecordingListener();
            CompletableFuture<ConnectResult> connect = connect(transport(), server, version(), listener);
            try (ScriptedBroker.Connection c = server.accept(WAIT)) {
                c.connack(0);
                await(connect, WAIT);

                c.publishQos1(1, REBOOT, bytes("{\"reqId\":\"first\"}"), false);
                c.publishQos1(2, REBOOT, bytes("{\"reqId\":\"again\"}"), true);

                assertThat(listener.awaitMessage(WAIT).duplicate()).isFalse();
                assertThat(listener.awaitMessage(WAIT).duplicate()).as("DUP of a PUBLISH sent with DUP 1")
                        .isEqualTo(deliversDupFlag());
            }
        }
    }

    @Test
    void oversize_publish_is_refused_the_platform_disconnects_and_the_future_fails() throws Exception {
        MqttTransport t = transport();
        RecordingListener listener = new RecordingListener();
        await(t.connect(options(device()).build(), listener), WAIT);

        Throwable cause = failureOf(t.publish(MANAGE, new byte[OVERSIZE], Qos.AT_LEAST_ONCE), WAIT);

        assertThat(cause).isInstanceOf(NotConnectedException.class);
        listener.awaitLoss(WAIT);
        assertThat(t.isConnected()).isFalse();
    }

    @Test
    void publish_and_subscribe_while_not_connected_fail_with_not_connected() throws Exception {
        MqttTransport t = transport();

        assertThat(failureOf(t.publish("iotdevice-1/response", bytes("{}"), Qos.AT_LEAST_ONCE), WAIT))
                .isInstanceOf(NotConnectedException.class);
        assertThat(failureOf(t.subscribe(List.of(dm())), WAIT)).isInstanceOf(NotConnectedException.class);
    }

    @Test
    void invalid_arguments_are_refused_at_once() throws Exception {
        MqttTransport t = transport();
        await(t.connect(options(device()).build(), new RecordingListener()), WAIT);

        assertThatThrownBy(() -> t.publish("iot-2/evt/+/fmt/json", bytes("{}"), Qos.AT_LEAST_ONCE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.publish("", bytes("{}"), Qos.AT_LEAST_ONCE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.subscribe(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.publish("a/b", null, Qos.AT_LEAST_ONCE)).isInstanceOf(NullPointerException.class);
    }

    // ---- sessions and connection loss ---------------------------------------------------------

    @Test
    void a_kept_session_delivers_a_message_sent_while_offline_after_reconnecting() throws Exception {
        MqttTransport t = transport();
        ContractBroker.Device device = device();
        MqttConnectOptions kept = options(device).cleanSession(false).sessionExpiry(Duration.ofSeconds(3600)).build();
        RecordingListener first = new RecordingListener();
        assertThat(await(t.connect(kept, first), WAIT).sessionPresent()).isFalse();
        await(t.subscribe(List.of(dm())), WAIT);
        await(t.disconnect(), WAIT);

        // queued by the broker for the offline kept session
        await(platform.sendToDevice(device, REBOOT, bytes("{\"reqId\":\"offline\"}"), WAIT), WAIT);
        RecordingListener second = new RecordingListener();

        assertThat(await(t.connect(kept, second), WAIT).sessionPresent()).isTrue();
        RecordingListener.Arrived arrived = second.awaitMessage(WAIT);
        assertThat(arrived.topic()).isEqualTo(REBOOT);
        assertThat(arrived.text()).isEqualTo("{\"reqId\":\"offline\"}");
        assertThat(first.waitingMessages()).isZero();
    }

    @Test
    void a_message_left_unacknowledged_is_redelivered_with_dup_to_the_kept_session() throws Exception {
        MqttTransport t = transport();
        ContractBroker.Device device = device();
        FaultProxy proxy = proxy();
        MqttConnectOptions kept = viaProxy(device, proxy).cleanSession(false)
                .sessionExpiry(Duration.ofSeconds(3600)).build();
        RecordingListener first = RecordingListener.holding();
        await(t.connect(kept, first), WAIT);
        await(t.subscribe(List.of(dm())), WAIT);
        await(platform.sendToDevice(device, REBOOT, bytes("{\"reqId\":\"again\"}"), WAIT), WAIT);
        first.awaitEntered(WAIT); // the listener holds the message: no PUBACK can have left

        proxy.apply(new Fault.DropConnections(CloseMode.RESET));
        first.release();
        first.awaitLoss(WAIT);
        RecordingListener second = new RecordingListener();

        assertThat(await(t.connect(kept, second), WAIT).sessionPresent()).isTrue();
        RecordingListener.Arrived again = second.awaitMessage(WAIT);
        assertThat(again.text()).isEqualTo("{\"reqId\":\"again\"}");
        assertThat(again.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
        assertThat(again.duplicate()).as("the DUP flag of the redelivery").isEqualTo(deliversDupFlag());
    }

    @Test
    void a_dropped_connection_calls_connection_lost_once_and_the_same_instance_connects_again()
            throws Exception {
        MqttTransport t = transport();
        ContractBroker.Device device = device();
        FaultProxy proxy = proxy();
        MqttConnectOptions options = viaProxy(device, proxy).build();
        RecordingListener listener = new RecordingListener();
        await(t.connect(options, listener), WAIT);

        proxy.apply(new Fault.DropConnections(CloseMode.RESET));

        assertThat(listener.awaitLoss(WAIT)).isNotNull();
        assertThat(t.isConnected()).isFalse();
        assertThat(failureOf(t.publish("iotdevice-1/response", bytes("{}"), Qos.AT_LEAST_ONCE), WAIT))
                .isInstanceOf(NotConnectedException.class);
        RecordingListener afterwards = new RecordingListener();
        assertThat(await(t.connect(options, afterwards), WAIT).sessionPresent()).isFalse();
        await(t.subscribe(List.of(dm())), WAIT);
        await(platform.sendToDevice(device, REBOOT, bytes("{}"), WAIT), WAIT);
        afterwards.awaitMessage(WAIT);
        assertThat(listener.lossCount()).isEqualTo(1);
        assertThat(afterwards.lossCount()).isZero();
    }

    @Test
    void a_broker_that_stops_answering_is_detected_by_the_keep_alive() throws Exception {
        MqttTransport t = transport();
        FaultProxy proxy = proxy();
        RecordingListener listener = new RecordingListener();
        await(t.connect(viaProxy(device(), proxy).keepAlive(Duration.ofSeconds(1)).build(), listener), WAIT);

        proxy.apply(new Fault.Stall(Direction.DOWNSTREAM)); // TCP stays up; no PINGRESP comes back

        assertThat(listener.awaitLoss(WAIT)).isNotNull();
        assertThat(t.isConnected()).isFalse();
    }

    // ---- disconnect and close -----------------------------------------------------------------

    @Test
    void disconnect_fails_pending_publishes_with_not_connected_and_reports_no_loss() throws Exception {
        MqttTransport t = transport();
        ContractBroker.Device device = device();
        FaultProxy proxy = proxy();
        RecordingListener listener = new RecordingListener();
        await(t.connect(viaProxy(device, proxy).build(), listener), WAIT);
        proxy.apply(new Fault.Stall(Direction.DOWNSTREAM)); // no PUBACK comes back
        CompletableFuture<Void> pending = t.publish(MANAGE, bytes("{}"), Qos.AT_LEAST_ONCE);
        platform.awaitPublish(device, WAIT);

        await(t.disconnect(), WAIT);

        assertThat(failureOf(pending, WAIT)).isInstanceOf(NotConnectedException.class);
        assertThat(t.isConnected()).isFalse();
        await(t.disconnect(), WAIT); // not connected: completes at once
        proxy.clear();
        RecordingListener next = new RecordingListener();
        await(t.connect(viaProxy(device, proxy).build(), next), WAIT);
        await(t.subscribe(List.of(dm())), WAIT);
        await(platform.sendToDevice(device, REBOOT, bytes("{}"), WAIT), WAIT);
        next.awaitMessage(WAIT);
        assertThat(listener.lossCount()).isZero();
    }

    @Test
    void close_fails_pending_publishes_with_not_connected_is_idempotent_and_ends_the_instance()
            throws Exception {
        MqttTransport t = transport();
        ContractBroker.Device device = device();
        FaultProxy proxy = proxy();
        RecordingListener listener = new RecordingListener();
        await(t.connect(viaProxy(device, proxy).build(), listener), WAIT);
        proxy.apply(new Fault.Stall(Direction.DOWNSTREAM));
        CompletableFuture<Void> pending = t.publish(MANAGE, bytes("{}"), Qos.AT_LEAST_ONCE);
        platform.awaitPublish(device, WAIT);

        t.close();
        t.close();

        assertThat(failureOf(pending, WAIT)).isInstanceOf(NotConnectedException.class);
        assertThat(t.isConnected()).isFalse();
        assertThat(failureOf(t.connect(options(device).build(), listener), WAIT))
                .isInstanceOf(IllegalStateException.class);
        assertThat(failureOf(t.publish("iotdevice-1/response", bytes("{}"), Qos.AT_LEAST_ONCE), WAIT))
                .isInstanceOf(IllegalStateException.class);
        assertThat(failureOf(t.disconnect(), WAIT)).isInstanceOf(IllegalStateException.class);
        assertThat(listener.lossCount()).isZero();
    }

    @Test
    void transports_closed_in_any_state_leave_no_thread_behind() throws Exception {
        Set<Thread> before = TransportThreads.named(transportThreadPrefixes());
        AtomicInteger next = new AtomicInteger();
        ExecutorService runners = Executors.newFixedThreadPool(PARALLEL_CYCLES);
        try (ServerSocket silent = new ServerSocket(0, closeConnectCycles(), InetAddress.getLoopbackAddress())) {
            List<Future<?>> runs = new ArrayList<>();
            for (int r = 0; r < PARALLEL_CYCLES; r++) {
                runs.add(runners.submit(() -> {
                    for (int i = next.getAndIncrement(); i < closeConnectCycles(); i = next.getAndIncrement()) {
                        lifeAndClose(i, silent.getLocalPort());
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(5, TimeUnit.MINUTES);
            }
        } finally {
            runners.shutdownNow();
            assertThat(runners.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        Set<Thread> left = TransportThreads.awaitNone(th -> !before.contains(th)
                && transportThreadPrefixes().stream().anyMatch(p -> th.getName().startsWith(p)), WAIT);
        assertThat(left).as("threads left by %d closed transports: %s", closeConnectCycles(),
                TransportThreads.names(left)).isEmpty();
    }

    /** One transport's life; the kind of life varies so that every state a close can meet is covered. */
    private void lifeAndClose(int i, int silentPort) throws Exception {
        ContractBroker.Device device = device();
        MqttTransport t = newTransport();
        try {
            switch (i % 5) {
                case 0 -> {
                    await(t.connect(options(device).build(), new RecordingListener()), WAIT);
                    await(t.disconnect(), WAIT);
                }
                case 1 -> await(t.connect(options(device).build(), new RecordingListener()), WAIT);
                case 2 -> assertThat(failureOf(t.connect(options(device)
                        .credentials("use-token-auth", Secret.of("wrong")).build(), new RecordingListener()), WAIT))
                        .isInstanceOf(ConnectFailureException.class);
                case 3 -> {
                    // closed while the connect is still waiting for CONNACK
                    CompletableFuture<?> pending = t.connect(options(device).host("127.0.0.1").port(silentPort)
                            .build(), new RecordingListener());
                    t.close();
                    assertThat(failureOf(pending, WAIT)).isInstanceOf(ConnectFailureException.class);
                }
                default -> {
                    await(t.connect(options(device).build(), new RecordingListener()), WAIT);
                    await(t.subscribe(List.of(dm())), WAIT);
                    await(t.publish(MANAGE, bytes("{}"), Qos.AT_LEAST_ONCE), WAIT);
                    await(t.disconnect(), WAIT);
                }
            }
        } finally {
            t.close();
        }
    }

    // ---- TLS ------------------------------------------------------------------------------------

    @Test
    void tls_trusting_the_ca_connects_and_messages_flow_both_ways() throws Exception {
        MqttTransport t = transport();
        MqttConnectOptions options = tls("localhost", TlsSettings.builder().trustCaFile(pki.caPem()).build()).build();
        RecordingListener listener = new RecordingListener();

        await(t.connect(options, listener), WAIT);
        await(t.subscribe(List.of(dm())), WAIT);
        await(t.publish(MANAGE, bytes("{\"reqId\":\"tls\"}"), Qos.AT_LEAST_ONCE), WAIT);
        await(platform.broker().sendToDevice(options.clientId(), "iotdm-1/response",
                bytes("{\"rc\":200,\"reqId\":\"tls\"}"), 1, WAIT), WAIT);

        assertThat(platform.awaitPublish(p -> p.clientId().equals(options.clientId()), WAIT).topic())
                .isEqualTo(MANAGE);
        assertThat(listener.awaitMessage(WAIT).text()).isEqualTo("{\"rc\":200,\"reqId\":\"tls\"}");
    }

    @Test
    void mutual_tls_with_a_client_certificate_of_the_ca_connects() throws Exception {
        MqttTransport t = transport();
        TlsSettings settings = TlsSettings.builder().trustCaFile(pki.caPem())
                .clientPkcs12(pki.clientKeyStore(), PASSWORD.toCharArray()).build();

        await(t.connect(tls("localhost", settings).build(), new RecordingListener()), WAIT);

        assertThat(t.isConnected()).isTrue();
    }

    @Test
    void mutual_tls_with_a_client_certificate_the_broker_does_not_trust_fails_with_a_tls_failure()
            throws Exception {
        MqttTransport t = transport();
        TlsSettings stranger = TlsSettings.builder().trustCaFile(pki.caPem())
                .clientPkcs12(strangerPki.clientKeyStore(), PASSWORD.toCharArray()).build();

        Throwable cause = failureOf(t.connect(tls("localhost", stranger).build(), new RecordingListener()), WAIT);

        assertThat(connectFailure(cause)).isInstanceOf(ConnectFailure.TlsFailure.class);
        assertThat(t.isConnected()).isFalse();
    }

    @Test
    void a_server_certificate_of_another_ca_fails_with_a_tls_failure_not_a_timeout() throws Exception {
        MqttTransport t = transport();
        TlsSettings wrongCa = TlsSettings.builder().trustCaFile(pki.otherCaPem()).build();

        Throwable cause = failureOf(t.connect(tls("localhost", wrongCa).build(), new RecordingListener()), WAIT);

        assertThat(connectFailure(cause)).isInstanceOf(ConnectFailure.TlsFailure.class);
        assertThat(t.isConnected()).isFalse();
    }

    @Test
    void a_host_name_the_server_certificate_does_not_name_fails_with_a_tls_failure_not_a_timeout()
            throws Exception {
        MqttTransport t = transport();
        TlsSettings settings = TlsSettings.builder().trustCaFile(pki.caPem()).build();

        Throwable cause = failureOf(t.connect(tls("127.0.0.1", settings).build(), new RecordingListener()), WAIT);

        assertThat(connectFailure(cause)).isInstanceOf(ConnectFailure.TlsFailure.class);
        assertThat(cause).hasMessageContaining("does not name the host 127.0.0.1");
        assertThat(t.isConnected()).isFalse();
    }

    @Test
    void the_same_host_name_connects_once_host_name_verification_is_switched_off() throws Exception {
        MqttTransport t = transport();
        TlsSettings insecure = TlsSettings.builder().trustCaFile(pki.caPem())
                .insecureDisableHostnameVerification().build();

        await(t.connect(tls("127.0.0.1", insecure).build(), new RecordingListener()), WAIT);

        assertThat(t.isConnected()).isTrue();
    }
}
