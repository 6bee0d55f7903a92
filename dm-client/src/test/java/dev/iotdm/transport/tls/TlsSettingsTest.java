package dev.iotdm.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handshakes against an SSLServerSocket on 127.0.0.1 with certificates made by keytool. */
class TlsSettingsTest {

    private static final int TIMEOUT_MS = 10_000;

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestPki.Identity localhost;
    private static Path otherCaPem;
    private static TestPki.Identity clientRsa;
    private static TestPki.Identity clientEc;
    private static ExecutorService serverThreads;

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = new TestPki(dir);
        serverThreads = Executors.newCachedThreadPool();
        // Independent identities: let keytool runs overlap.
        Future<TestPki.Identity> a = serverThreads.submit(
                () -> pki.issue("localhost", "CN=localhost", "EC", "dns:localhost,ip:127.0.0.1"));
        Future<Path> b = serverThreads.submit(pki::otherCa);
        Future<TestPki.Identity> c = serverThreads.submit(() -> pki.issue("client-rsa", "CN=client-rsa", "RSA", null));
        Future<TestPki.Identity> d = serverThreads.submit(() -> pki.issue("client-ec", "CN=client-ec", "EC", null));
        localhost = a.get(5, TimeUnit.MINUTES);
        otherCaPem = b.get(5, TimeUnit.MINUTES);
        clientRsa = c.get(5, TimeUnit.MINUTES);
        clientEc = d.get(5, TimeUnit.MINUTES);
    }

    @AfterAll
    static void stopServers() {
        serverThreads.shutdownNow();
    }

    // ------------------------------------------------------------------ trust and host names

    @Test
    void a_server_signed_by_the_configured_ca_file_is_trusted() throws Exception {
        TlsSettings settings = TlsSettings.builder().trustCaFile(pki.caPem).build();
        Handshake h = handshake(localhost, false, settings, "localhost");
        assertThat(h.protocol()).isIn("TLSv1.3", "TLSv1.2");
    }

    @Test
    void the_sni_server_name_is_the_configured_host() throws Exception {
        TlsSettings settings = TlsSettings.builder().trustCaFile(pki.caPem).build();
        Handshake h = handshake(localhost, false, settings, "localhost");
        assertThat(h.serverNames()).containsExactly(new SNIHostName("localhost"));
    }

    @Test
    void a_server_signed_by_another_ca_fails_the_handshake() {
        TlsSettings settings = TlsSettings.builder().trustCaFile(otherCaPem).build();
        assertThatThrownBy(() -> handshake(localhost, false, settings, "localhost"))
                .isInstanceOf(SSLHandshakeException.class);
    }

    // The server's certificate names localhost and 127.0.0.1; the client expects broker.example.

    @Test
    void a_certificate_for_another_host_name_fails_by_default() {
        TlsSettings settings = TlsSettings.builder().trustCaFile(pki.caPem).build();
        assertThat(settings.hostnameVerification()).isTrue();
        assertThatThrownBy(() -> handshake(localhost, false, settings, "broker.example"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("broker.example");
    }

    @Test
    void a_certificate_for_another_host_name_passes_only_with_verification_turned_off() throws Exception {
        TlsSettings settings = TlsSettings.builder().trustCaFile(pki.caPem).insecureDisableHostnameVerification().build();
        assertThat(settings.hostnameVerification()).isFalse();
        assertThat(handshake(localhost, false, settings, "broker.example").protocol()).startsWith("TLSv1.");
    }

    @Test
    void verification_off_still_checks_the_certificate_chain() {
        TlsSettings settings = TlsSettings.builder().trustCaFile(otherCaPem)
                .insecureDisableHostnameVerification().build();
        assertThatThrownBy(() -> handshake(localhost, false, settings, "broker.example"))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void an_ip_address_matches_an_ip_subject_alternative_name() throws Exception {
        TlsSettings settings = TlsSettings.builder().trustCaFile(pki.caPem).build();
        Handshake h = handshake(localhost, false, settings, "127.0.0.1");
        assertThat(h.serverNames()).isEmpty();
    }

    @Test
    void a_given_key_store_can_be_the_trust() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", TestPki.load(localhost.p12()).getCertificateChain("localhost")[1]);
        TlsSettings settings = TlsSettings.builder().trustStore(trust).build();
        assertThat(handshake(localhost, false, settings, "localhost").protocol()).startsWith("TLSv1.");
    }

    @Test
    void the_jvm_default_trust_does_not_trust_a_private_ca() {
        assertThatThrownBy(() -> handshake(localhost, false, TlsSettings.defaults(), "localhost"))
                .isInstanceOf(SSLHandshakeException.class);
    }

    // ------------------------------------------------------------------ mutual TLS

    @Test
    void mutual_tls_with_a_pkcs12_file_presents_the_client_certificate() throws Exception {
        TlsSettings settings = TlsSettings.builder().trustCaFile(pki.caPem)
                .clientPkcs12(clientRsa.p12(), TestPki.PASSWORD.toCharArray()).build();
        assertThat(handshake(localhost, true, settings, "localhost").client()).isEqualTo("CN=client-rsa");
    }

    @Test
    void mutual_tls_with_a_pem_rsa_key_presents_the_client_certificate() throws Exception {
        TlsSettings settings = TlsSettings.builder().trustCaFile(pki.caPem)
                .clientPemKey(clientRsa.keyPem(), clientRsa.chainPem()).build();
        assertThat(handshake(localhost, true, settings, "localhost").client()).isEqualTo("CN=client-rsa");
    }

    @Test
    void mutual_tls_with_a_pem_ec_key_presents_the_client_certificate() throws Exception {
        TlsSettings settings = TlsSettings.builder().trustCaFile(pki.caPem)
                .clientPemKey(clientEc.keyPem(), clientEc.chainPem()).build();
        assertThat(handshake(localhost, true, settings, "localhost").client()).isEqualTo("CN=client-ec");
    }

    @Test
    void a_server_requiring_a_client_certificate_refuses_a_client_without_one() {
        TlsSettings settings = TlsSettings.builder().trustCaFile(pki.caPem).build();
        // The client sees an alert or a closed socket depending on timing; the server's reason is precise.
        assertThatThrownBy(() -> handshake(localhost, true, settings, "localhost")).isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .isInstanceOf(SSLHandshakeException.class));
    }

    // ------------------------------------------------------------------ refused inputs

    @Test
    void a_pkcs1_rsa_key_is_refused_naming_the_file_and_format() throws Exception {
        Path key = write("rsa1.pem", TestPki.pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> TlsSettings.builder().clientPemKey(key, clientRsa.chainPem()).build())
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessage("TLS client key " + key + " holds a PKCS#1 RSA private key"
                        + " ('-----BEGIN RSA PRIVATE KEY-----'); only an unencrypted PKCS#8 PEM key"
                        + " ('-----BEGIN PRIVATE KEY-----') is supported; convert it with:"
                        + " openssl pkcs8 -topk8 -nocrypt -in " + key + " -out key-pkcs8.pem");
    }

    @Test
    void a_sec1_ec_key_is_refused_naming_the_file_and_format() throws Exception {
        Path key = write("ec1.pem", TestPki.pem("EC PRIVATE KEY", new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> TlsSettings.builder().clientPemKey(key, clientEc.chainPem()).build())
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageStartingWith("TLS client key " + key + " holds a SEC1 EC private key"
                        + " ('-----BEGIN EC PRIVATE KEY-----'); only an unencrypted PKCS#8 PEM key");
    }

    @Test
    void an_encrypted_pkcs8_key_is_refused_naming_the_file_and_format() throws Exception {
        Path key = write("enc.pem", TestPki.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> TlsSettings.builder().clientPemKey(key, clientRsa.chainPem()).build())
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageStartingWith("TLS client key " + key + " holds an encrypted PKCS#8 private key"
                        + " ('-----BEGIN ENCRYPTED PRIVATE KEY-----'); only an unencrypted PKCS#8 PEM key");
    }

    @Test
    void a_der_key_is_refused_as_binary() throws Exception {
        byte[] der = TestPki.load(clientRsa.p12()).getKey("client-rsa", TestPki.PASSWORD.toCharArray()).getEncoded();
        Path key = dir.resolve("key.der");
        Files.write(key, der);
        assertThatThrownBy(() -> TlsSettings.builder().clientPemKey(key, clientRsa.chainPem()).build())
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessage("TLS client key " + key + " holds binary (DER) data, not PEM; only an unencrypted"
                        + " PKCS#8 PEM key ('-----BEGIN PRIVATE KEY-----') is supported; convert it with:"
                        + " openssl pkcs8 -topk8 -nocrypt -in " + key + " -out key-pkcs8.pem");
    }

    @Test
    void a_key_that_does_not_match_the_certificate_is_refused() {
        assertThatThrownBy(() -> TlsSettings.builder().clientPemKey(clientEc.keyPem(), clientRsa.chainPem()).build())
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessage("TLS client key " + clientEc.keyPem() + " does not match the first certificate in "
                        + clientRsa.chainPem() + " (CN=client-rsa)");
    }

    @Test
    void a_wrong_pkcs12_password_is_reported_as_such() {
        assertThatThrownBy(() -> TlsSettings.builder().clientPkcs12(clientRsa.p12(), "wrong".toCharArray()).build())
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessage("TLS client PKCS#12 file " + clientRsa.p12() + " cannot be opened: wrong password");
    }

    @Test
    void a_missing_ca_file_is_named() {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> TlsSettings.builder().trustCaFile(missing).build())
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageStartingWith("TLS CA file " + missing + " cannot be read: java.nio.file.NoSuchFileException");
    }

    @Test
    void a_ca_file_without_certificates_is_refused() throws Exception {
        Path notPem = write("not.pem", "hello\n");
        assertThatThrownBy(() -> TlsSettings.builder().trustCaFile(notPem).build())
                .hasMessage("TLS CA file " + notPem + " holds no PEM certificate (expected '-----BEGIN CERTIFICATE-----')");
        assertThatThrownBy(() -> TlsSettings.builder().trustCaFile(clientRsa.keyPem()).build())
                .hasMessage("TLS CA file " + clientRsa.keyPem() + " holds a 'PRIVATE KEY' block where only"
                        + " certificates ('-----BEGIN CERTIFICATE-----') are expected");
    }

    @Test
    void a_ca_file_may_hold_several_certificates() throws Exception {
        Path both = write("both.pem", Files.readString(otherCaPem) + "some text between\n" + Files.readString(pki.caPem));
        TlsSettings settings = TlsSettings.builder().trustCaFile(both).build();
        assertThat(handshake(localhost, false, settings, "localhost").protocol()).startsWith("TLSv1.");
    }

    // ------------------------------------------------------------------ parameters and description

    @Test
    void parameters_carry_protocols_endpoint_identification_and_sni() {
        TlsSettings settings = TlsSettings.defaults();
        SSLParameters p = settings.sslParameters("abc123.messaging.internetofthings.ibmcloud.com");
        assertThat(p.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(p.getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(p.getServerNames()).extracting(SNIServerName::getEncoded)
                .containsExactly("abc123.messaging.internetofthings.ibmcloud.com".getBytes());
        assertThat(settings.sslParameters("::1").getServerNames()).isEmpty();
    }

    @Test
    void a_client_engine_is_configured_like_a_socket() {
        SSLEngine engine = TlsSettings.defaults().createClientEngine("broker.example", 8883);
        assertThat(engine.getUseClientMode()).isTrue();
        assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }

    @Test
    void the_ssl_context_is_built_once() {
        TlsSettings settings = TlsSettings.builder().trustCaFile(pki.caPem).build();
        assertThat(settings.sslContext()).isSameAs(settings.sslContext());
        assertThat(TlsSettings.defaults()).isSameAs(TlsSettings.defaults());
    }

    @Test
    void to_string_names_the_sources_but_never_the_password() {
        char[] password = TestPki.PASSWORD.toCharArray();
        TlsSettings settings = TlsSettings.builder().trustCaFile(pki.caPem).clientPkcs12(clientRsa.p12(), password)
                .insecureDisableHostnameVerification().build();
        assertThat(settings.toString()).isEqualTo("TlsSettings[trust=CA file " + pki.caPem + ", client=PKCS#12 "
                + clientRsa.p12() + ", protocols=[TLSv1.3, TLSv1.2], hostnameVerification=OFF]")
                .doesNotContain(TestPki.PASSWORD);
    }

    // ------------------------------------------------------------------ harness

    /** What the server saw. */
    record Handshake(String protocol, String client, List<SNIServerName> serverNames) {
    }

    private static Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    /**
     * Runs one handshake against a server presenting {@code server}, and exchanges a byte each
     * way so both sides have finished (TLS 1.3 checks the client certificate after the client's
     * handshake call returned). Rethrows the client's failure.
     */
    private static Handshake handshake(TestPki.Identity server, boolean needClientAuth, TlsSettings client,
            String host) throws Exception {
        SSLContext serverContext = serverContext(server);
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            listener.setNeedClientAuth(needClientAuth);
            listener.setSoTimeout(TIMEOUT_MS);
            Future<Handshake> served = serverThreads.submit(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(TIMEOUT_MS);
                    s.startHandshake();
                    int b = s.getInputStream().read();
                    s.getOutputStream().write(b);
                    s.getOutputStream().flush();
                    String peer = needClientAuth
                            ? ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName()
                            : null;
                    List<SNIServerName> names = ((ExtendedSSLSession) s.getSession()).getRequestedServerNames();
                    return new Handshake(s.getSession().getProtocol(), peer, names);
                }
            });
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), listener.getLocalPort()),
                        TIMEOUT_MS);
                plain.setSoTimeout(TIMEOUT_MS);
                try (SSLSocket s = (SSLSocket) client.socketFactory().createSocket(plain, host, listener.getLocalPort(),
                        false)) {
                    s.startHandshake();
                    s.getOutputStream().write(42);
                    s.getOutputStream().flush();
                    int echoed = s.getInputStream().read();
                    if (echoed != 42) {
                        throw new SSLException("server closed the connection after the handshake (read " + echoed + ")");
                    }
                }
            } catch (Exception clientFailure) {
                // The client closed its socket, so the server finishes promptly; keep its reason.
                try {
                    served.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                } catch (ExecutionException serverFailure) {
                    clientFailure.addSuppressed(serverFailure.getCause());
                }
                throw clientFailure;
            }
            return served.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
    }

    private static SSLContext serverContext(TestPki.Identity server) throws Exception {
        KeyStore keys = TestPki.load(server.p12());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, TestPki.PASSWORD.toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", keys.getCertificateChain(keys.aliases().nextElement())[1]);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }
}
