package dev.iotdm.transport.paho;

import static dev.iotdm.transport.tck.Futures.await;
import static dev.iotdm.transport.tck.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.testkit.broker.TlsListener;
import dev.iotdm.testkit.tls.TestCertificates;
import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.tck.ContractBroker;
import dev.iotdm.transport.tck.RecordingListener;
import dev.iotdm.transport.tck.TransportThreads;
import dev.iotdm.transport.tls.TlsSettings;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is Paho's own about TLS beyond the SPI contract ({@link PahoSpiContractTest}): the socket
 * it opens, and the threads a refused handshake leaves. The broker requires a client certificate
 * of the test CA.
 */
class PahoTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static TestCertificates.WrittenFiles files;
    private static ContractBroker platform;

    private final List<MqttTransport> transports = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBroker() {
        files = TestCertificates.generate().writeTo(dir, PASSWORD.toCharArray());
        platform = ContractBroker.withTls(TlsListener.mutual(files.serverKeyStore(), PASSWORD,
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

    private static MqttConnectOptions options(TlsSettings tls) {
        return platform.options(platform.newDevice(), MqttVersion.MQTT_5).host("127.0.0.1")
                .port(platform.broker().tlsPort()).tls(tls).build();
    }

    @Test
    void the_tls_socket_is_an_ssl_socket_with_tcp_nodelay_set() throws Exception {
        List<Socket> sockets = new CopyOnWriteArrayList<>();
        PahoTransport t = new PahoTransport(sockets::add);
        transports.add(t);

        await(t.connect(options(TlsSettings.builder().trustCaFile(files.caPem())
                .clientPkcs12(files.clientKeyStore(), PASSWORD.toCharArray()).build()), new RecordingListener()), WAIT);

        assertThat(sockets).singleElement().satisfies(s -> {
            assertThat(s).isInstanceOf(SSLSocket.class);
            assertThat(s.getPort()).isEqualTo(platform.broker().tlsPort());
            assertThat(s.getTcpNoDelay()).isTrue();
        });
    }

    @Test
    void a_handshake_refused_after_it_seemed_done_leaves_no_thread_once_closed() throws Exception {
        PahoTransport t = new PahoTransport();
        transports.add(t);
        MqttConnectOptions options = options(TlsSettings.builder().trustCaFile(files.caPem()).build());

        Throwable cause = failureOf(t.connect(options, new RecordingListener()), WAIT);

        assertThat(cause).isInstanceOf(ConnectFailureException.class);
        assertThat(((ConnectFailureException) cause).failure()).isInstanceOf(ConnectFailure.TlsFailure.class);
        // With TLS 1.3 the refusal of a missing client certificate arrives after the handshake,
        // while Paho is still starting its threads; Paho 1.2.5 alone would leave its connecting
        // thread spinning forever.
        t.close();
        Set<Thread> left = TransportThreads.awaitNone(th -> th.getName().contains(options.clientId()),
                Duration.ofSeconds(5));
        assertThat(left).as("threads of %s left after close: %s", options.clientId(), TransportThreads.names(left))
                .isEmpty();
    }
}
