package dev.iotdm.testkit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SignatureException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificatesTest {

    private static final String CLIENT_ID = "d:abc123:sensor:device-01";
    private static final char[] PASSWORD = "test-password".toCharArray();
    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.500Z");
    private static final int TIMEOUT_MS = 10_000;

    private static TestCertificates certs;

    @BeforeAll
    static void generate() {
        certs = TestCertificates.builder()
                .clientCommonName(CLIENT_ID)
                .build();
    }

    // --------------------------------------------------------------- content

    @Test
    void certificate_factory_parses_every_certificate_back_to_the_same_bytes() throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        for (TestCertificates.CertifiedKey k : List.of(certs.ca(), certs.otherCa(), certs.server(),
                certs.client())) {
            for (X509Certificate c : k.chain()) {
                X509Certificate parsed = (X509Certificate) cf.generateCertificate(
                        new ByteArrayInputStream(c.getEncoded()));
                assertThat(parsed.getEncoded()).isEqualTo(c.getEncoded());
                assertThat(parsed.getVersion()).isEqualTo(3);
                assertThat(parsed.getSigAlgName()).isEqualTo("SHA256withECDSA");
            }
        }
    }

    @Test
    void server_and_client_certificates_verify_against_the_ca_key_only() throws Exception {
        X509Certificate ca = certs.ca().certificate();
        certs.server().certificate().verify(ca.getPublicKey());
        certs.client().certificate().verify(ca.getPublicKey());
        ca.verify(ca.getPublicKey());

        assertThatThrownBy(() -> certs.server().certificate()
                .verify(certs.otherCa().certificate().getPublicKey()))
                .isInstanceOf(SignatureException.class);
        assertThat(certs.server().certificate().getIssuerX500Principal())
                .isEqualTo(ca.getSubjectX500Principal());
    }

    @Test
    void the_ca_is_a_ca_and_the_leaves_are_not() {
        X509Certificate ca = certs.ca().certificate();
        assertThat(ca.getBasicConstraints()).isZero(); // CA with pathLenConstraint 0
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(certs.server().certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(certs.client().certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(certs.server().certificate().getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(certs.server().certificate().getKeyUsage()[5]).as("keyCertSign").isFalse();
    }

    @Test
    void the_server_names_localhost_and_loopback_and_serves_while_the_client_is_the_device()
            throws Exception {
        X509Certificate server = certs.server().certificate();
        assertThat(server.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");

        X509Certificate client = certs.client().certificate();
        assertThat(client.getSubjectX500Principal().getName()).contains("CN=" + CLIENT_ID);
        assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(client.getSubjectAlternativeNames()).isNull();
    }

    @Test
    void validity_runs_from_a_day_before_to_thirty_days_after_the_clock() throws Exception {
        TestCertificates fixed = TestCertificates.builder()
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
        X509Certificate server = fixed.server().certificate();
        Instant second = NOW.truncatedTo(ChronoUnit.SECONDS);

        assertThat(server.getNotBefore().toInstant()).isEqualTo(second.minus(Duration.ofDays(1)));
        assertThat(server.getNotAfter().toInstant()).isEqualTo(second.plus(Duration.ofDays(30)));
        server.checkValidity(java.util.Date.from(NOW));
        assertThatThrownBy(() -> server.checkValidity(
                java.util.Date.from(NOW.plus(Duration.ofDays(31)))))
                .isInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void serial_numbers_are_positive_and_distinct() {
        List<java.math.BigInteger> serials = List.of(certs.ca(), certs.otherCa(), certs.server(),
                certs.client()).stream().map(k -> k.certificate().getSerialNumber()).toList();
        assertThat(serials).doesNotHaveDuplicates().allMatch(s -> s.signum() > 0);
    }

    @Test
    void to_string_never_shows_the_private_key() {
        String pemBody = certs.client().privateKeyPem().lines().skip(1).findFirst().orElseThrow();

        assertThat(certs.client().toString()).contains("redacted").doesNotContain(pemBody);
        assertThat(certs.toString()).doesNotContain(pemBody);
    }

    @Test
    void builder_rejects_bad_input_naming_the_field() {
        assertThatThrownBy(() -> TestCertificates.builder().clientCommonName(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clientCommonName");
        assertThatThrownBy(() -> TestCertificates.builder().serverNames(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serverNames");
        assertThatThrownBy(() -> certs.serverKeyStore(new char[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password");
    }

    // ----------------------------------------------------------------- files

    @Test
    void pem_files_have_the_right_armour_lines(@TempDir Path dir) throws Exception {
        TestCertificates.WrittenFiles files = certs.writeTo(dir, PASSWORD);

        for (Path certFile : List.of(files.caPem(), files.otherCaPem())) {
            assertThat(Files.readAllLines(certFile)).first()
                    .isEqualTo("-----BEGIN CERTIFICATE-----");
            assertThat(Files.readAllLines(certFile)).last()
                    .isEqualTo("-----END CERTIFICATE-----");
        }
        for (Path keyFile : List.of(files.clientKeyPem(), files.serverKeyPem())) {
            List<String> lines = Files.readAllLines(keyFile);
            assertThat(lines).first().isEqualTo("-----BEGIN PRIVATE KEY-----");
            assertThat(lines).last().isEqualTo("-----END PRIVATE KEY-----");
            assertThat(lines).allMatch(l -> l.length() <= 64);
        }
        String chain = Files.readString(files.clientChainPem(), StandardCharsets.US_ASCII);
        assertThat(chain.split("-----BEGIN CERTIFICATE-----\n", -1)).hasSize(3);
        assertThat(chain.split("-----END CERTIFICATE-----\n", -1)).hasSize(3);
        assertThat(readCertificates(files.clientChainPem()))
                .containsExactlyElementsOf(certs.client().chain());
        assertThat(readCertificates(files.caPem())).containsExactly(certs.ca().certificate());
    }

    @Test
    void pkcs12_files_open_with_the_password_and_hold_key_and_chain(@TempDir Path dir)
            throws Exception {
        TestCertificates.WrittenFiles files = certs.writeTo(dir, PASSWORD);

        KeyStore server = loadPkcs12(files.serverKeyStore());
        assertThat(server.getKey(TestCertificates.KEY_ALIAS, PASSWORD))
                .isEqualTo(certs.server().privateKey());
        assertThat(server.getCertificateChain(TestCertificates.KEY_ALIAS))
                .containsExactlyElementsOf(certs.server().chain());
        KeyStore trust = loadPkcs12(files.caTrustStore());
        assertThat(trust.getCertificate(TestCertificates.CA_ALIAS))
                .isEqualTo(certs.ca().certificate());
        assertThatThrownBy(() -> {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(files.clientKeyStore())) {
                ks.load(in, "wrong".toCharArray());
            }
        }).isInstanceOf(java.io.IOException.class);
    }

    // ------------------------------------------------------------ handshakes

    @Test
    void client_trusting_only_the_ca_accepts_the_server_as_127_0_0_1() throws Exception {
        SSLContext client = TestCertificates.trustingSslContext(List.of(certs.ca().certificate()));

        Handshake h = handshake(certs.serverSslContext(), client, "127.0.0.1");

        assertThat(h.serverSawClientCertificate()).isFalse();
    }

    @Test
    void client_trusting_only_the_ca_pem_accepts_the_server_as_localhost(@TempDir Path dir)
            throws Exception {
        TestCertificates.WrittenFiles files = certs.writeTo(dir, PASSWORD);
        SSLContext client = TestCertificates.trustingSslContext(readCertificates(files.caPem()));

        handshake(certs.serverSslContext(), client, "localhost");
    }

    @Test
    void a_host_name_outside_the_certificate_fails_endpoint_identification() {
        SSLContext client = TestCertificates.trustingSslContext(List.of(certs.ca().certificate()));

        assertThatThrownBy(() -> handshake(certs.serverSslContext(), client, "broker.example"))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void client_trusting_only_the_unrelated_ca_rejects_the_server() {
        SSLContext client = TestCertificates.trustingSslContext(
                List.of(certs.otherCa().certificate()));

        assertThatThrownBy(() -> handshake(certs.serverSslContext(), client, "127.0.0.1"))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void mutual_tls_with_the_pkcs12_client_key_store_succeeds(@TempDir Path dir) throws Exception {
        TestCertificates.WrittenFiles files = certs.writeTo(dir, PASSWORD);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(loadPkcs12(files.clientKeyStore()), PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(loadPkcs12(files.caTrustStore()));
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        Handshake h = handshake(certs.serverSslContext(true), client, "localhost");

        assertThat(h.clientSubject()).contains("CN=" + CLIENT_ID);
    }

    @Test
    void mutual_tls_with_the_pem_key_and_chain_succeeds(@TempDir Path dir) throws Exception {
        TestCertificates.WrittenFiles files = certs.writeTo(dir, PASSWORD);
        PrivateKey key = readPkcs8(files.clientKeyPem(), "EC");
        TestCertificates.CertifiedKey identity = new TestCertificates.CertifiedKey(key,
                readCertificates(files.clientChainPem()));
        SSLContext client = TestCertificates.sslContext(identity,
                readCertificates(files.caPem()));

        Handshake h = handshake(certs.serverSslContext(true), client, "127.0.0.1");

        assertThat(h.clientSubject()).contains("CN=" + CLIENT_ID);
    }

    @Test
    void a_server_requiring_client_auth_rejects_a_client_without_certificate() throws Exception {
        SSLContext client = TestCertificates.trustingSslContext(List.of(certs.ca().certificate()));

        Outcome outcome = exchange(certs.serverSslContext(true), client, "127.0.0.1");

        // Under TLS 1.3 the client may only notice on its next read or write, in several ways;
        // the server's refusal is the deterministic part.
        assertThat(outcome.serverFailure()).isInstanceOf(SSLHandshakeException.class);
        assertThat(outcome.clientFailure()).isNotNull();
    }

    @Test
    void rsa_material_works_for_mutual_tls() throws Exception {
        TestCertificates rsa = TestCertificates.builder()
                .keyAlgorithm(TestCertificates.KeyAlgorithm.RSA_2048)
                .clientCommonName("rsa-device")
                .build();
        assertThat(rsa.server().certificate().getSigAlgName()).isEqualTo("SHA256withRSA");

        Handshake h = handshake(rsa.serverSslContext(true), rsa.clientSslContext(), "localhost");

        assertThat(h.clientSubject()).contains("CN=rsa-device");
    }

    // --------------------------------------------------------------- helpers

    /** What the server side saw of a completed handshake. */
    private record Handshake(boolean serverSawClientCertificate, String clientSubject) {
    }

    /** Both sides of one TLS exchange: the server's view, or a failure on either side. */
    private record Outcome(Handshake server, Exception clientFailure, Exception serverFailure) {
    }

    /** {@link #exchange} that throws the client's failure, else the server's. */
    private static Handshake handshake(SSLContext serverContext, SSLContext clientContext,
                                       String host) throws Exception {
        Outcome o = exchange(serverContext, clientContext, host);
        if (o.clientFailure() != null) {
            throw o.clientFailure();
        }
        if (o.serverFailure() != null) {
            throw o.serverFailure();
        }
        return o.server();
    }

    /**
     * Runs one TLS exchange over 127.0.0.1: the client connects a plain socket, layers TLS on it
     * for {@code host} with HTTPS endpoint identification, sends one byte and reads the echo.
     */
    private static Outcome exchange(SSLContext serverContext, SSLContext clientContext,
                                    String host) throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(TIMEOUT_MS);
            CompletableFuture<Handshake> serverSide = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(TIMEOUT_MS);
                    s.startHandshake();
                    int b = s.getInputStream().read();
                    s.getOutputStream().write(b);
                    s.getOutputStream().flush();
                    var session = s.getSession();
                    boolean sawCert;
                    String subject = null;
                    try {
                        X509Certificate peer = (X509Certificate) session.getPeerCertificates()[0];
                        subject = peer.getSubjectX500Principal().getName();
                        sawCert = true;
                    } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
                        sawCert = false;
                    }
                    return new Handshake(sawCert, subject);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            Exception clientFailure = null;
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                 SSLSocket tls = (SSLSocket) clientContext.getSocketFactory()
                         .createSocket(plain, host, server.getLocalPort(), true)) {
                tls.setSoTimeout(TIMEOUT_MS);
                SSLParameters params = tls.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(params);
                tls.startHandshake();
                tls.getOutputStream().write(42);
                tls.getOutputStream().flush();
                assertThat(tls.getInputStream().read()).isEqualTo(42);
            } catch (Exception e) {
                clientFailure = e;
            }
            try {
                return new Outcome(serverSide.get(TIMEOUT_MS, TimeUnit.MILLISECONDS),
                        clientFailure, null);
            } catch (ExecutionException e) {
                return new Outcome(null, clientFailure, (Exception) e.getCause());
            }
        }
    }

    private static List<X509Certificate> readCertificates(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        }
    }

    private static PrivateKey readPkcs8(Path pem, String algorithm) throws Exception {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        String base64 = text.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(algorithm)
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static KeyStore loadPkcs12(Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }
}
