package dev.iotdm.transport.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.client.ActionResponse;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.Command;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LogSeverity;
import dev.iotdm.protocol.supervisor.ReconnectPolicy;
import dev.iotdm.transport.tls.TlsSettings;
import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Qos;
import dev.iotdm.testkit.broker.DevicePublish;
import dev.iotdm.testkit.broker.EmbeddedBroker;
import dev.iotdm.testkit.broker.InMemoryDeviceRegistry;
import dev.iotdm.testkit.broker.TlsListener;
import dev.iotdm.testkit.fault.Fault;
import dev.iotdm.testkit.fault.FaultProxy;
import dev.iotdm.testkit.lockstep.LockstepPeer;
import dev.iotdm.testkit.tls.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The DM-flow contract: every device-management flow of a managed device through
 * {@link ManagedClient} on the transport under test, as JUnit 5 tests a transport module runs by
 * extending this class and supplying a factory (the Leshan and MINA SSHD pattern). The SPI's own
 * promises are {@link SpiContract}'s; this class checks the flows on top of them. The device is our {@link ManagedClient} over the transport under
 * test; the platform is a {@link LockstepPeer} speaking exact JSON through a real
 * {@link EmbeddedBroker} on 127.0.0.1, with a {@link FaultProxy} in between where a test needs
 * faults the broker cannot produce.
 *
 * <p>Request/response correlation, exactly one answer per platform request, firmware flows and
 * the re-manage after a dropped connection run as seeded scenarios of the conformance suite
 * ({@code conformance-tests}' matrix), on every transport row; this class keeps one smoke flow and
 * what the suite does not cover (duplicate delivery, commands and events, TLS, kept sessions).
 *
 * <p>One broker serves the whole class (it takes seconds to start and stop); every test uses its
 * own device id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DmFlowContract {

    /** How long any single wait may take. */
    protected static final Duration WAIT = Duration.ofSeconds(20);
    /** How long the device must stay silent where "and nothing more" matters. */
    private static final Duration QUIET = Duration.ofMillis(500);

    private static final String ORG = "contract";
    private static final String TYPE = "sensor";
    private static final String TOKEN = "contract-token";
    private static final char[] PASSWORD = "changeit".toCharArray();

    private final AtomicInteger devices = new AtomicInteger();
    private final InMemoryDeviceRegistry registry = new InMemoryDeviceRegistry();
    private final LockstepPeer peer = new LockstepPeer();
    private final List<AutoCloseable> perTest = new ArrayList<>();
    private Path dir;
    private TestCertificates.WrittenFiles pki;
    private EmbeddedBroker broker;

    /**
     * Makes a transport of the implementation under test; called once per device, and the
     * contract closes it.
     *
     * @return a new, unconnected transport
     */
    protected abstract MqttTransport newTransport();

    /**
     * The MQTT version every device of this contract connects with.
     *
     * @return a version the transport speaks; MQTT 3.1.1 by default (protocol.md §12.33)
     */
    protected MqttVersion mqttVersion() {
        return MqttVersion.MQTT_3_1_1;
    }

    @BeforeAll
    final void startBroker() throws IOException {
        dir = Files.createTempDirectory("iotdm-contract");
        pki = TestCertificates.generate().writeTo(dir, PASSWORD);
        broker = EmbeddedBroker.builder(registry)
                .publishListener(peer)
                .connectionListener(peer)
                .tls(TlsListener.mutual(pki.serverKeyStore(), new String(PASSWORD), pki.caTrustStore(),
                        new String(PASSWORD)))
                .build();
        broker.start();
        peer.attach(broker);
    }

    @AfterAll
    final void stopBroker() throws IOException {
        if (broker != null) {
            broker.close();
        }
        Trees.delete(dir);
    }

    @AfterEach
    final void closePerTest() throws Exception {
        for (int i = perTest.size() - 1; i >= 0; i--) {
            perTest.get(i).close();
        }
        perTest.clear();
    }

    // ---- the device under test -----------------------------------------------------------------

    /** A device and what its handlers saw. */
    protected final class Device {
        final String clientId;
        final ManagedClient client;
        final ConnectFailureRecorder connectFailures;
        final AtomicInteger deviceActions = new AtomicInteger();
        final LinkedBlockingQueue<Command> commands = new LinkedBlockingQueue<>();

        Device(String clientId, ManagedClient client, ConnectFailureRecorder connectFailures) {
            this.clientId = clientId;
            this.client = client;
            this.connectFailures = connectFailures;
        }
    }

    private String newDeviceId() {
        return "dev-" + devices.incrementAndGet();
    }

    private Device device(String deviceId, Consumer<DeviceOptions.Builder> options) {
        String clientId = registry.isRegistered("d:" + ORG + ":" + TYPE + ":" + deviceId)
                ? "d:" + ORG + ":" + TYPE + ":" + deviceId
                : registry.register(ORG, TYPE, deviceId, TOKEN);
        DeviceOptions.Builder b = DeviceOptions.builder().org(ORG).typeId(TYPE).deviceId(deviceId).token(TOKEN)
                .host("127.0.0.1").port(broker.port()).withoutTls().mqttVersion(mqttVersion());
        options.accept(b);
        Device[] holder = new Device[1];
        ConnectFailureRecorder connectFailures = new ConnectFailureRecorder();
        ManagedClient client = ManagedClient.builder(b.build())
                .transport(connectFailures.observe(newTransport()))
                .reconnectPolicy(ReconnectPolicy.DEFAULT.withDelays(Duration.ofMillis(100), Duration.ofSeconds(1)))
                .requestTimeout(WAIT)
                .deviceActionHandler((kind, reqId) -> {
                    holder[0].deviceActions.incrementAndGet();
                    return CompletableFuture.completedFuture(ActionResponse.accepted());
                })
                .firmwareHandler(new dev.iotdm.client.FirmwareHandler() {
                    @Override
                    public java.util.concurrent.CompletionStage<Void> download(
                            dev.iotdm.protocol.message.FirmwareInfo image) {
                        return CompletableFuture.completedFuture(null);
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<Void> install(
                            dev.iotdm.protocol.message.FirmwareInfo image) {
                        return CompletableFuture.completedFuture(null);
                    }
                })
                .customActionHandler("acme-v1", action -> CompletableFuture.completedFuture(ActionResponse.done()))
                .anyCommandHandler((cmd, events) -> holder[0].commands.add(cmd))
                .build();
        holder[0] = new Device(clientId, client, connectFailures);
        perTest.add(client);
        return holder[0];
    }

    /** Connects and manages through the lockstep peer; returns the device ready for traffic. */
    private Device managed(Device d) throws Exception {
        ManagedClient.await(d.client.connect(), WAIT);
        CompletableFuture<?> managed = d.client.manage(3600, true, true, "acme-v1");
        answerManage();
        ManagedClient.await(managed, WAIT);
        return d;
    }

    private void answerManage() {
        DevicePublish manage = peer.expect("iotdevice-1/mgmt/manage", """
                {"d":{"lifetime":3600,
                      "supports":{"deviceActions":true,"firmwareActions":true,"acme-v1":true}},
                 "reqId":"<any>"}""", WAIT);
        peer.send(manage.clientId(), "iotdm-1/response",
                "{\"rc\":200,\"reqId\":\"" + LockstepPeer.member(manage, "reqId") + "\"}", WAIT);
    }

    private void answer(DevicePublish request, int rc) {
        peer.send(request.clientId(), "iotdm-1/response",
                "{\"rc\":" + rc + ",\"reqId\":\"" + LockstepPeer.member(request, "reqId") + "\"}", WAIT);
    }

    // ---- the contract --------------------------------------------------------------------------

    @Test
    void a_device_connects_subscribes_and_manages() throws Exception {
        Device d = managed(device(newDeviceId(), b -> { }));
        assertThat(d.client.isConnected()).isTrue();
    }

    @Test
    void bad_requests_get_400_and_unknown_topics_404() throws Exception {
        Device d = managed(device(newDeviceId(), b -> { }));
        peer.exchange(d.clientId, "iotdm-1/observe", "{\"reqId\":\"b1\",\"d\":{\"fields\":7}}",
                "iotdevice-1/response", "{\"rc\":400,\"reqId\":\"b1\",\"message\":\"<any>\"}", WAIT);
        peer.exchange(d.clientId, "iotdm-1/mgmt/initiate/device/teleport", "{\"reqId\":\"b2\"}",
                "iotdevice-1/response", "{\"rc\":404,\"reqId\":\"b2\",\"message\":\"<any>\"}", WAIT);
        peer.expectNothingMore(QUIET);
    }

    @Test
    void a_duplicate_delivery_is_answered_again_without_running_the_handler_twice() throws Exception {
        Device d = managed(device(newDeviceId(), b -> { }));
        for (int i = 0; i < 2; i++) {
            peer.exchange(d.clientId, "iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"dup\"}",
                    "iotdevice-1/response", "{\"rc\":202,\"reqId\":\"dup\"}", WAIT);
        }
        assertThat(d.deviceActions.get()).isEqualTo(1);
        peer.expectNothingMore(QUIET);
    }

    @Test
    void commands_reach_the_handler_and_events_reach_the_platform() throws Exception {
        Device d = managed(device(newDeviceId(), b -> { }));
        peer.send(d.clientId, "iot-2/cmd/blink/fmt/json", "{\"times\":3}", WAIT);
        Command c = d.commands.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(c).isNotNull();
        assertThat(c.commandId()).isEqualTo("blink");
        assertThat(c.payload().asUtf8()).isEqualTo("{\"times\":3}");
        ManagedClient.await(d.client.publishEvent("status", JsonObject.builder().put("temp", 21).build(),
                Qos.AT_LEAST_ONCE), WAIT);
        peer.expect("iot-2/evt/status/fmt/json", "{\"temp\":21}", WAIT);
    }

    @Test
    void tls_with_a_ca_file_and_a_client_certificate_works() throws Exception {
        TlsSettings tls = TlsSettings.builder().trustCaFile(pki.caPem())
                .clientPkcs12(pki.clientKeyStore(), PASSWORD).build();
        Device d = managed(device(newDeviceId(), b -> b.port(broker.tlsPort()).tls(tls)));
        assertThat(d.client.isConnected()).isTrue();
    }

    @Test
    void tls_refuses_a_server_of_another_ca_with_a_tls_failure_not_a_timeout() throws Exception {
        TlsSettings tls = TlsSettings.builder().trustCaFile(pki.otherCaPem())
                .clientPkcs12(pki.clientKeyStore(), PASSWORD).build();
        Device d = device(newDeviceId(), b -> b.port(broker.tlsPort()).tls(tls));
        // connect() completes with the first attempt's failure: the certificate problem, not a timeout.
        Throwable cause = Futures.failureOf(d.client.connect(), WAIT);
        assertThat(cause).isInstanceOfSatisfying(ConnectFailureException.class,
                e -> assertThat(e.failure()).isInstanceOf(ConnectFailure.TlsFailure.class))
                .hasMessageContaining("is not trusted").hasMessageContaining("trustCaFile");
        assertThat(d.client.isConnected()).isFalse();
    }

    // ---- the first connect's failures, each with its cause (a real socket each) ----------------

    @Test
    void a_first_connect_to_a_closed_port_fails_at_once_naming_connection_refused() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Device d = device(newDeviceId(), b -> b.port(closedPort));

        assertThat(Futures.failureOf(d.client.connect(), WAIT)).isInstanceOf(ConnectFailureException.class)
                .hasMessageContaining("connection refused by 127.0.0.1:" + closedPort);
    }

    @Test
    void a_first_connect_to_an_unknown_host_fails_naming_the_host() throws Exception {
        Device d = device(newDeviceId(), b -> b.host("nonexistent.invalid"));

        assertThat(Futures.failureOf(d.client.connect(), WAIT)).isInstanceOf(ConnectFailureException.class)
                .hasMessageContaining("unknown host nonexistent.invalid");
    }

    @Test
    void tls_to_the_plain_mqtt_port_says_the_server_did_not_answer_tls_and_to_use_without_tls()
            throws Exception {
        TlsSettings tls = TlsSettings.builder().trustCaFile(pki.caPem()).build();
        Device d = device(newDeviceId(), b -> b.port(broker.port()).tls(tls));

        assertThat(Futures.failureOf(d.client.connect(), WAIT)).isInstanceOf(ConnectFailureException.class)
                .hasMessageContaining("the server did not answer TLS on 127.0.0.1:" + broker.port()
                        + "; use withoutTls() for a plain MQTT port");
    }

    @Test
    void a_server_that_accepts_and_never_answers_times_out_naming_what_was_waited_for() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Duration attempt = Duration.ofMillis(500);
            Device plain = device(newDeviceId(), b -> b.port(silent.getLocalPort()).attemptTimeout(attempt));
            Device tls = device(newDeviceId(), b -> b.port(silent.getLocalPort()).attemptTimeout(attempt)
                    .tls(TlsSettings.builder().trustCaFile(pki.caPem()).build()));

            assertThat(Futures.failureOf(plain.client.connect(), WAIT)).isInstanceOf(ConnectFailureException.class)
                    .hasMessageContaining("timed out after 500 ms")
                    .hasMessageContaining("waiting for the CONNACK from 127.0.0.1:" + silent.getLocalPort());
            assertThat(Futures.failureOf(tls.client.connect(), WAIT)).isInstanceOf(ConnectFailureException.class)
                    .hasMessageContaining("waiting for the TLS handshake with 127.0.0.1:" + silent.getLocalPort());
        }
    }

    @Test
    void a_wrong_token_fails_connect_naming_the_org_type_and_device_id_sent() throws Exception {
        String deviceId = newDeviceId();
        Device d = device(deviceId, b -> b.token("not-the-token"));

        assertThat(Futures.failureOf(d.client.connect(), WAIT)).isInstanceOf(ConnectFailureException.class)
                .hasMessageContaining("org \"" + ORG + "\", type \"" + TYPE + "\", device id \"" + deviceId + "\"")
                .hasMessageContaining("does not tell which of them or the token is wrong")
                .hasMessageNotContaining("not-the-token");
    }

    @Test
    void a_kept_session_receives_a_request_sent_while_the_device_was_offline() throws Exception {
        FaultProxy proxy = FaultProxy.open(new InetSocketAddress("127.0.0.1", broker.port()));
        perTest.add(proxy);
        Device d = managed(device(newDeviceId(), b -> b.port(proxy.port()).cleanSession(false)));
        proxy.apply(new Fault.RefuseNewConnections(dev.iotdm.testkit.fault.CloseMode.FIN));
        proxy.apply(new Fault.DropConnections(dev.iotdm.testkit.fault.CloseMode.RESET));
        peer.awaitConnection("-" + d.clientId, WAIT);
        peer.send(d.clientId, "iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"offline\"}", WAIT);
        proxy.clear();
        List<String> topics = new ArrayList<>();
        boolean answered = false;
        for (int i = 0; i < 2; i++) {
            DevicePublish p = peer.take(WAIT);
            topics.add(p.topic());
            if (p.topic().equals("iotdevice-1/mgmt/manage")) {
                answer(p, 200);
            } else {
                assertThat(p.topic()).isEqualTo("iotdevice-1/response");
                assertThat(LockstepPeer.member(p, "reqId")).isEqualTo("offline");
                answered = true;
            }
        }
        assertThat(answered).as("the reboot queued while offline was answered; saw %s", topics).isTrue();
        assertThat(topics).containsOnlyOnce("iotdevice-1/mgmt/manage");
        peer.expectNothingMore(QUIET);
    }
}
