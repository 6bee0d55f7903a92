package dev.iotdm.transport.paho;

import static dev.iotdm.transport.paho.Futures.await;
import static dev.iotdm.transport.paho.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.transport.tls.TlsSettings;
import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.testkit.broker.TlsListener;
import dev.iotdm.testkit.tls.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PahoTransport} over mutual TLS: the broker requires a client certificate from the test
 * CA, and its own certificate names {@code localhost} only, so connecting to {@code 127.0.0.1}
 * shows host name verification at work.
 */
class PahoMutualTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static TestCertificates.WrittenFiles files;
    private static TestBroker platform;

    private final List<MqttTransport> transports = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBroker() {
        files = TestCertificates.builder().serverNames(List.of("localhost")).build()
                .writeTo(dir, PASSWORD.toCharArray());
        platform = TestBroker.withTls(TlsListener.mutual(files.serverKeyStore(), PASSWORD,
                files.caTrustStore(), PASSWORD));
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

    private static TlsSettings.Builder withClientCertificate() {
        return TlsSettings.builder().trustCaFile(files.caPem())
                .clientPkcs12(files.clientKeyStore(), PASSWORD.toCharArray());
    }

    private static MqttConnectOptions options(String host, TlsSettings tls) {
        return platform.options(platform.newDevice()).host(host).port(platform.broker.tlsPort()).tls(tls).build();
    }

    private static ConnectFailure failure(Throwable cause) {
        assertThat(cause).isInstanceOf(ConnectFailureException.class);
        return ((ConnectFailureException) cause).failure();
    }

    @Test
    void a_device_presenting_its_pkcs12_client_certificate_connects() throws Exception {
        PahoTransport t = transport();

        await(t.connect(options("localhost", withClientCertificate().build()), new RecordingListener()));

        assertThat(t.isConnected()).isTrue();
    }

    @Test
    void a_device_without_a_client_certificate_fails_with_a_tls_failure_and_leaves_no_thread() throws Exception {
        PahoTransport t = transport();
        TlsSettings noClientCertificate = TlsSettings.builder().trustCaFile(files.caPem()).build();
        MqttConnectOptions options = options("localhost", noClientCertificate);

        Throwable cause = failureOf(t.connect(options, new RecordingListener()));

        assertThat(failure(cause)).isInstanceOf(ConnectFailure.TlsFailure.class);
        assertThat(t.isConnected()).isFalse();
        // With TLS 1.3 the refusal arrives after the handshake, while Paho is still starting
        // its threads; Paho 1.2.5 alone would leave its connecting thread spinning forever.
        t.close();
        Set<Thread> left = Threads.awaitNone(th -> th.getName().contains(options.clientId()), Duration.ofSeconds(5));
        assertThat(left).as("threads of %s left after close: %s", options.clientId(), Threads.names(left)).isEmpty();
    }

    @Test
    void an_address_the_server_certificate_does_not_name_fails_host_name_verification() throws Exception {
        PahoTransport t = transport();

        Throwable cause = failureOf(t.connect(options("127.0.0.1", withClientCertificate().build()),
                new RecordingListener()));

        assertThat(failure(cause)).isInstanceOf(ConnectFailure.TlsFailure.class);
        assertThat(failure(cause).describe()).containsIgnoringCase("subject alternative names");
    }

    @Test
    void the_same_address_connects_once_host_name_verification_is_switched_off() throws Exception {
        PahoTransport t = transport();
        TlsSettings insecure = withClientCertificate().insecureDisableHostnameVerification().build();

        await(t.connect(options("127.0.0.1", insecure), new RecordingListener()));

        assertThat(t.isConnected()).isTrue();
    }
}
