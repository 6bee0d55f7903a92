package dev.iotdm.transport.paho;

import static dev.iotdm.transport.paho.Futures.await;
import static dev.iotdm.transport.paho.Futures.failureOf;
import static dev.iotdm.transport.paho.TestBroker.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.transport.tls.TlsSettings;
import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.Subscription;
import dev.iotdm.testkit.broker.TlsListener;
import dev.iotdm.testkit.tls.TestCertificates;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PahoTransport} over server-authenticated TLS: the broker presents a certificate for
 * {@code localhost} and {@code 127.0.0.1} issued by the test CA; devices trust that CA's PEM.
 */
class PahoTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static TestCertificates.WrittenFiles files;
    private static TestBroker platform;

    private final List<MqttTransport> transports = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBroker() {
        files = TestCertificates.generate().writeTo(dir, PASSWORD.toCharArray());
        platform = TestBroker.withTls(TlsListener.serverOnly(files.serverKeyStore(), PASSWORD));
    }

    @AfterAll
    static void stopBroker() {
        platform.close();
    }

    @AfterEach
    void closeTransports() {
        transports.forEach(MqttTransport::close);
    }

    private PahoTransport transport(List<Socket> sockets) {
        PahoTransport t = new PahoTransport(sockets::add);
        transports.add(t);
        return t;
    }

    private static MqttConnectOptions tlsOptions(String host, TlsSettings tls) {
        return platform.options(platform.newDevice()).host(host).port(platform.broker.tlsPort()).tls(tls).build();
    }

    @Test
    void trusting_the_test_ca_connects_over_tls_and_messages_flow_both_ways() throws Exception {
        TlsSettings tls = TlsSettings.builder().trustCaFile(files.caPem()).build();
        MqttConnectOptions options = tlsOptions("127.0.0.1", tls);
        List<Socket> sockets = new CopyOnWriteArrayList<>();
        PahoTransport t = transport(sockets);
        RecordingListener listener = new RecordingListener();

        await(t.connect(options, listener));
        await(t.subscribe(List.of(new Subscription("iotdm-1/#", Qos.AT_LEAST_ONCE))));
        await(t.publish("iotdevice-1/mgmt/manage", "{\"reqId\":\"tls\"}".getBytes(StandardCharsets.UTF_8),
                Qos.AT_LEAST_ONCE));
        await(platform.broker.sendToDevice(options.clientId(), "iotdm-1/response",
                "{\"rc\":200,\"reqId\":\"tls\"}".getBytes(StandardCharsets.UTF_8), 1, WAIT));

        assertThat(platform.awaitPublish(p -> p.clientId().equals(options.clientId())).topic())
                .isEqualTo("iotdevice-1/mgmt/manage");
        assertThat(listener.awaitMessage(WAIT).text()).isEqualTo("{\"rc\":200,\"reqId\":\"tls\"}");
        assertThat(sockets).singleElement().isInstanceOf(SSLSocket.class);
    }

    @Test
    void a_host_name_in_the_certificate_connects_with_verification_on() throws Exception {
        TlsSettings tls = TlsSettings.builder().trustCaFile(files.caPem()).build();
        PahoTransport t = transport(new CopyOnWriteArrayList<>());

        await(t.connect(tlsOptions("localhost", tls), new RecordingListener()));

        assertThat(tls.hostnameVerification()).isTrue();
        assertThat(t.isConnected()).isTrue();
    }

    @Test
    void a_server_certificate_from_another_ca_fails_with_a_tls_failure() throws Exception {
        TlsSettings wrongCa = TlsSettings.builder().trustCaFile(files.otherCaPem()).build();
        PahoTransport t = transport(new CopyOnWriteArrayList<>());

        Throwable cause = failureOf(t.connect(tlsOptions("127.0.0.1", wrongCa), new RecordingListener()));

        assertThat(cause).isInstanceOf(ConnectFailureException.class);
        assertThat(((ConnectFailureException) cause).failure()).isInstanceOf(ConnectFailure.TlsFailure.class);
        assertThat(t.isConnected()).isFalse();
    }

    @Test
    void the_tls_socket_has_tcp_nodelay_set() throws Exception {
        List<Socket> sockets = new CopyOnWriteArrayList<>();
        PahoTransport t = transport(sockets);

        await(t.connect(tlsOptions("127.0.0.1", TlsSettings.builder().trustCaFile(files.caPem()).build()),
                new RecordingListener()));

        assertThat(sockets).singleElement().satisfies(s -> {
            assertThat(s).isInstanceOf(SSLSocket.class);
            assertThat(s.getPort()).isEqualTo(platform.broker.tlsPort());
            assertThat(s.getTcpNoDelay()).isTrue();
        });
    }
}
