package dev.iotdm.testkit.broker;

import dev.iotdm.testkit.raw.Connack;
import dev.iotdm.testkit.raw.ConnectOptions;
import dev.iotdm.testkit.raw.RawMqttClient;
import dev.iotdm.testkit.raw.RawMqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The mutual-TLS listener: key pairs made with the JDK's keytool into a temporary folder, the
 * broker requires a client certificate, and devices still authenticate with their token.
 */
class EmbeddedBrokerTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final InMemoryDeviceRegistry REGISTRY = new InMemoryDeviceRegistry();

    @TempDir
    static Path dir;
    private static EmbeddedBroker broker;
    private static KeyStore serverKeys;
    private static KeyStore clientKeys;

    @BeforeAll
    static void startBroker() throws Exception {
        Path serverStore = keytoolKeyPair("broker", "CN=localhost");
        Path clientStore = keytoolKeyPair("device", "CN=d:org1:gw:tls1");
        serverKeys = load(serverStore);
        clientKeys = load(clientStore);
        Path serverTrust = trustStoreOf(clientKeys, "device", "broker-trust.p12");
        broker = EmbeddedBroker.builder(REGISTRY)
                .tls(TlsListener.mutual(serverStore, "changeit", serverTrust, "changeit"))
                .build();
        broker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void device_with_a_trusted_certificate_and_its_token_connects_over_tls() throws Exception {
        String clientId = REGISTRY.register("org1", "gw", "tls1", "tls-token");

        try (RawMqttClient client = RawMqttClient.openTls(broker.host(), broker.tlsPort(),
                socketFactory(clientKeys), WAIT)) {
            assertThat(client.connect(ConnectOptions.device(clientId, "tls-token"), WAIT).returnCode())
                    .isEqualTo(Connack.ACCEPTED);
            assertThat(client.subscribe("iotdm-1/#", 1, WAIT)).isEqualTo(1);
            broker.sendToDevice(clientId, "iotdm-1/response", "{\"rc\":200}".getBytes(StandardCharsets.UTF_8),
                    1, WAIT).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(client.takePublish(WAIT).payloadText()).isEqualTo("{\"rc\":200}");
        }
    }

    @Test
    void client_without_a_certificate_cannot_reach_mqtt() throws Exception {
        String clientId = REGISTRY.register("org1", "gw", "tls2", "tls-token");
        SSLSocketFactory noCertificate = socketFactory(null);

        // With TLS 1.3 the refusal may come after the client's side of the handshake: at CONNECT.
        assertThatThrownBy(() -> {
            try (RawMqttClient client = RawMqttClient.openTls(broker.host(), broker.tlsPort(), noCertificate, WAIT)) {
                client.connect(ConnectOptions.device(clientId, "tls-token"), WAIT);
            }
        }).isInstanceOf(RawMqttException.class);
    }

    @Test
    void plain_port_stays_open_next_to_tls() {
        try (RawMqttClient client = RawMqttClient.open(broker.host(), broker.port(), WAIT)) {
            assertThat(client.connect(ConnectOptions.device("d:org1:gw:nobody", "x"), WAIT).returnCode())
                    .isEqualTo(Connack.NOT_AUTHORIZED);
        }
        assertThat(broker.tlsPort()).isNotEqualTo(broker.port());
    }

    /** Runs java.home/bin/keytool to make a self-signed key pair valid for 127.0.0.1. */
    private static Path keytoolKeyPair(String alias, String dname) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", alias,
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", dname,
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit"))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as("keytool exit code; output: %s", output).isZero();
        return store;
    }

    private static KeyStore load(Path store) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        return keys;
    }

    private static Path trustStoreOf(KeyStore keys, String alias, String file) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, PASSWORD);
        trust.setCertificateEntry(alias, keys.getCertificate(alias));
        Path path = dir.resolve(file);
        try (OutputStream out = Files.newOutputStream(path)) {
            trust.store(out, PASSWORD);
        }
        return path;
    }

    /** Trusts the broker's certificate; presents {@code clientKeys} when not null. */
    private static SSLSocketFactory socketFactory(KeyStore clientKeys) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, PASSWORD);
        trust.setCertificateEntry("broker", serverKeys.getCertificate("broker"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientKeys != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(clientKeys, PASSWORD);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context.getSocketFactory();
    }
}
