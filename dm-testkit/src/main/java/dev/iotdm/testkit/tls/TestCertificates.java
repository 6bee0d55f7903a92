package dev.iotdm.testkit.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * Real X.509 test material: JDK keys ({@link KeyPairGenerator}) and certificates built and signed
 * with BouncyCastle's {@code bcpkix} (no BouncyCastle provider is registered; no {@code sun.*}, no
 * keytool):
 * <ul>
 *   <li>a CA ({@link #ca()});</li>
 *   <li>a server certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1} signed by the
 *       CA ({@link #server()}), usable with endpoint identification "HTTPS";</li>
 *   <li>a client certificate whose CN is, for example, a device's client id, signed by the CA
 *       ({@link #client()});</li>
 *   <li>a second, unrelated CA for "wrong CA" tests ({@link #otherCa()}).</li>
 * </ul>
 * Certificates are valid from one day before to thirty days after the builder's clock, and are
 * converted to JDK certificates and verified against their issuer before they are returned.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.generate();
 * TestCertificates.WrittenFiles files = certs.writeTo(tempDir, "changeit".toCharArray());
 * SSLServerSocket server = (SSLServerSocket) certs.serverSslContext(true)
 *         .getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
 * }</pre>
 *
 * <p>Immutable and thread-safe; every key store or SSL context method returns a new object.
 */
public final class TestCertificates {

    /** The alias of the key entry in the server and client key stores, in memory and on disk. */
    public static final String KEY_ALIAS = "key";
    /** The alias of the CA certificate entry in the trust stores. */
    public static final String CA_ALIAS = "ca";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyAlgorithm keyAlgorithm;
    private final CertifiedKey ca;
    private final CertifiedKey server;
    private final CertifiedKey client;
    private final CertifiedKey otherCa;

    private TestCertificates(Builder b) {
        this.keyAlgorithm = b.keyAlgorithm;
        Instant now = b.clock.instant();
        Instant notBefore = now.minus(Duration.ofDays(1));
        Instant notAfter = now.plus(Duration.ofDays(30));
        this.ca = selfSignedCa("iotdm test CA", notBefore, notAfter);
        this.otherCa = selfSignedCa("iotdm unrelated test CA", notBefore, notAfter);
        this.server = leaf(ca, b.serverCommonName, b.serverNames, KeyPurposeId.id_kp_serverAuth,
                notBefore, notAfter);
        this.client = leaf(ca, b.clientCommonName, List.of(), KeyPurposeId.id_kp_clientAuth,
                notBefore, notAfter);
    }

    /**
     * Generates the default material: EC P-256 keys, client CN {@code test-device}, now.
     *
     * @return new keys and certificates (a few milliseconds of CPU for EC)
     */
    public static TestCertificates generate() {
        return builder().build();
    }

    /**
     * A builder for non-default material.
     *
     * @return a builder holding the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The key algorithm of every key in this bundle.
     *
     * @return the algorithm chosen on the builder
     */
    public KeyAlgorithm keyAlgorithm() {
        return keyAlgorithm;
    }

    /**
     * The CA that signed {@link #server()} and {@link #client()} (self-signed, chain of one).
     *
     * @return the CA's key and certificate
     */
    public CertifiedKey ca() {
        return ca;
    }

    /**
     * A self-signed CA that signed nothing here: trusting it must fail every handshake.
     *
     * @return the unrelated CA's key and certificate
     */
    public CertifiedKey otherCa() {
        return otherCa;
    }

    /**
     * The server certificate and key; the chain is server then CA.
     *
     * @return the server's key and chain
     */
    public CertifiedKey server() {
        return server;
    }

    /**
     * The client certificate and key; the chain is client then CA.
     *
     * @return the client's key and chain
     */
    public CertifiedKey client() {
        return client;
    }

    // ------------------------------------------------------------- in memory

    /**
     * A new PKCS#12 trust store holding the CA certificate under {@link #CA_ALIAS}.
     *
     * @return a loaded store, not written anywhere
     */
    public KeyStore trustStore() {
        return trustStoreOf(ca.certificate());
    }

    /**
     * A new PKCS#12 key store holding the server key and chain under {@link #KEY_ALIAS}.
     *
     * @param password protects the key entry (pass it again to read the key); not empty
     * @return a loaded store, not written anywhere
     * @throws IllegalArgumentException if {@code password} is null or empty
     */
    public KeyStore serverKeyStore(char[] password) {
        return keyStoreOf(server, requirePassword(password));
    }

    /**
     * A new PKCS#12 key store holding the client key and chain under {@link #KEY_ALIAS}.
     *
     * @param password protects the key entry (pass it again to read the key); not empty
     * @return a loaded store, not written anywhere
     * @throws IllegalArgumentException if {@code password} is null or empty
     */
    public KeyStore clientKeyStore(char[] password) {
        return keyStoreOf(client, requirePassword(password));
    }

    /**
     * A server context presenting {@link #server()} and trusting the CA for client certificates,
     * which are not required (a server may still ask for them on its sockets or engines).
     *
     * @return a new, initialised context
     */
    public SSLContext serverSslContext() {
        return serverSslContext(false);
    }

    /**
     * A server context presenting {@link #server()} and trusting the CA for client certificates;
     * with {@code requireClientAuth} every server socket and engine it creates needs a client
     * certificate.
     *
     * @param requireClientAuth {@code true} to refuse clients without a certificate the CA signed
     * @return a new, initialised context
     */
    public SSLContext serverSslContext(boolean requireClientAuth) {
        SSLContext context = sslContext(server, List.of(ca.certificate()));
        return requireClientAuth ? new NeedClientAuthSslContext(context) : context;
    }

    /**
     * A client context presenting {@link #client()} when asked and trusting only the CA.
     *
     * @return a new, initialised context
     */
    public SSLContext clientSslContext() {
        return sslContext(client, List.of(ca.certificate()));
    }

    /**
     * A TLS context presenting {@code identity} and trusting only {@code trustAnchors}.
     *
     * @param identity the key and chain to present, e.g. {@link #client()}
     * @param trustAnchors the certificates to trust as roots; not empty
     * @return a new, initialised context
     * @throws IllegalArgumentException if an argument is null or {@code trustAnchors} is empty
     */
    public static SSLContext sslContext(CertifiedKey identity, List<X509Certificate> trustAnchors) {
        if (identity == null) {
            throw new IllegalArgumentException("identity must not be null");
        }
        return buildContext(identity, trustAnchors);
    }

    /**
     * A TLS context with no key of its own that trusts only {@code trustAnchors}.
     *
     * @param trustAnchors the certificates to trust as roots; not empty
     * @return a new, initialised context
     * @throws IllegalArgumentException if {@code trustAnchors} is null or empty
     */
    public static SSLContext trustingSslContext(List<X509Certificate> trustAnchors) {
        return buildContext(null, trustAnchors);
    }

    private static SSLContext buildContext(CertifiedKey identity,
                                           List<X509Certificate> trustAnchors) {
        if (trustAnchors == null || trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("trustAnchors must not be empty");
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trustStoreOf(trustAnchors.toArray(X509Certificate[]::new)));
            KeyManagerFactory kmf = null;
            if (identity != null) {
                // The password only protects an in-memory store that never leaves this method.
                char[] password = "in-memory".toCharArray();
                // PKIX (not SunX509) so that keyUsage and extendedKeyUsage are checked as in real
                // deployments.
                kmf = KeyManagerFactory.getInstance("PKIX");
                kmf.init(keyStoreOf(identity, password), password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an SSL context: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- on disk

    /**
     * The paths {@link #writeTo(Path, char[])} wrote; PKCS#12 stores use the password given
     * there, PEM keys are unencrypted PKCS#8. Immutable and thread-safe.
     *
     * @param caPem          the CA certificate, PEM
     * @param otherCaPem     the unrelated CA certificate, PEM
     * @param caTrustStore   a PKCS#12 trust store with the CA under {@link #CA_ALIAS}
     * @param serverKeyStore a PKCS#12 key store with the server key and chain under
     *                       {@link #KEY_ALIAS}
     * @param serverKeyPem   the server private key, "BEGIN PRIVATE KEY"
     * @param serverChainPem the server certificate then the CA certificate, PEM
     * @param clientKeyStore a PKCS#12 key store with the client key and chain under
     *                       {@link #KEY_ALIAS}
     * @param clientKeyPem   the client private key, "BEGIN PRIVATE KEY"
     * @param clientChainPem the client certificate then the CA certificate, PEM
     */
    public record WrittenFiles(Path caPem, Path otherCaPem, Path caTrustStore,
                               Path serverKeyStore, Path serverKeyPem, Path serverChainPem,
                               Path clientKeyStore, Path clientKeyPem, Path clientChainPem) {
    }

    /**
     * Writes the material into {@code directory} (created if missing; existing files of the same
     * names are replaced): {@code ca.pem}, {@code other-ca.pem}, {@code ca-truststore.p12},
     * {@code server.p12}, {@code server-key.pem}, {@code server-chain.pem}, {@code client.p12},
     * {@code client-key.pem}, {@code client-chain.pem}.
     *
     * @param directory where to write; created with its parents if missing
     * @param password protects every PKCS#12 store written; not empty
     * @return the paths written
     * @throws IllegalArgumentException if an argument is null or the password is empty
     * @throws UncheckedIOException     naming the file that could not be written
     */
    public WrittenFiles writeTo(Path directory, char[] password) {
        if (directory == null) {
            throw new IllegalArgumentException("directory must not be null");
        }
        requirePassword(password);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + directory, e);
        }
        WrittenFiles files = new WrittenFiles(
                directory.resolve("ca.pem"), directory.resolve("other-ca.pem"),
                directory.resolve("ca-truststore.p12"), directory.resolve("server.p12"),
                directory.resolve("server-key.pem"), directory.resolve("server-chain.pem"),
                directory.resolve("client.p12"), directory.resolve("client-key.pem"),
                directory.resolve("client-chain.pem"));
        writeText(files.caPem(), ca.chainPem());
        writeText(files.otherCaPem(), otherCa.chainPem());
        writeStore(files.caTrustStore(), trustStore(), password);
        writeStore(files.serverKeyStore(), keyStoreOf(server, password), password);
        writeText(files.serverKeyPem(), server.privateKeyPem());
        writeText(files.serverChainPem(), server.chainPem());
        writeStore(files.clientKeyStore(), keyStoreOf(client, password), password);
        writeText(files.clientKeyPem(), client.privateKeyPem());
        writeText(files.clientChainPem(), client.chainPem());
        return files;
    }

    private static void writeText(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void writeStore(Path file, KeyStore store, char[] password) {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode " + file + ": " + e.getMessage(), e);
        }
    }

    /** PEM armour around DER: 64-column Base64 between BEGIN and END lines (RFC 7468). */
    static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    // ------------------------------------------------------------- key stores

    private static KeyStore trustStoreOf(X509Certificate... anchors) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < anchors.length; i++) {
                ks.setCertificateEntry(i == 0 ? CA_ALIAS : CA_ALIAS + i, anchors[i]);
            }
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store: " + e.getMessage(), e);
        }
    }

    private static KeyStore keyStoreOf(CertifiedKey key, char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(KEY_ALIAS, key.privateKey(), password,
                    key.chain().toArray(X509Certificate[]::new));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a key store: " + e.getMessage(), e);
        }
    }

    private static char[] requirePassword(char[] password) {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("password must not be empty");
        }
        return password;
    }

    // ------------------------------------------------------------ certificates

    private CertifiedKey selfSignedCa(String cn, Instant notBefore, Instant notAfter) {
        KeyPair keys = keyAlgorithm.generate();
        X500Name name = name(cn);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serialNumber(), Date.from(notBefore),
                Date.from(notAfter), name, keys.getPublic());
        try {
            // pathLenConstraint 0: this CA signs end-entity certificates only.
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    extensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode a CA extension: " + e.getMessage(), e);
        }
        return new CertifiedKey(keys.getPrivate(), List.of(sign(b, keys.getPrivate(), keys.getPublic())));
    }

    private CertifiedKey leaf(CertifiedKey issuer, String cn, List<String> altNames,
                              KeyPurposeId extendedKeyUsage, Instant notBefore, Instant notAfter) {
        KeyPair keys = keyAlgorithm.generate();
        X509Certificate issuerCert = issuer.certificate();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerCert, serialNumber(),
                Date.from(notBefore), Date.from(notAfter), name(cn), keys.getPublic());
        try {
            JcaX509ExtensionUtils utils = extensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            // RSA key exchange needs keyEncipherment; ECDHE with an EC key only signs.
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyAlgorithm == KeyAlgorithm.RSA_2048
                    ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                    : KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(extendedKeyUsage));
            if (!altNames.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(altNames));
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerCert));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode a certificate extension: " + e.getMessage(), e);
        }
        X509Certificate cert = sign(b, issuer.privateKey(), issuerCert.getPublicKey());
        return new CertifiedKey(keys.getPrivate(), List.of(cert, issuerCert));
    }

    /** Signs with the issuer's key, converts to a JDK certificate and verifies it against the issuer. */
    private X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey, PublicKey issuerPublicKey) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(keyAlgorithm.signatureAlgorithm()).build(issuerKey);
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            cert.verify(issuerPublicKey);
            return cert;
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a certificate: " + e.getMessage(), e);
        }
    }

    private static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 for key identifiers is missing from this JDK", e);
        }
    }

    /** A random positive serial of 127 bits, under the 20-octet cap of RFC 5280 §4.1.2.2. */
    private static BigInteger serialNumber() {
        return new BigInteger(126, RANDOM).setBit(126);
    }

    /** {@code O=iotdm test, CN=cn}, one attribute per RDN. */
    private static X500Name name(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "iotdm test").addRDN(BCStyle.CN, cn).build();
    }

    /** IP literals become iPAddress entries (parsed, never looked up), anything else a dNSName. */
    private static GeneralNames subjectAltNames(List<String> names) {
        GeneralName[] entries = new GeneralName[names.size()];
        for (int i = 0; i < entries.length; i++) {
            String n = names.get(i);
            if (isIpLiteral(n)) {
                if (!IPAddress.isValid(n)) {
                    throw new IllegalArgumentException("server name " + n + " is not a valid IP address");
                }
                entries[i] = new GeneralName(GeneralName.iPAddress, n);
            } else {
                entries[i] = new GeneralName(GeneralName.dNSName, n);
            }
        }
        return new GeneralNames(entries);
    }

    private static boolean isIpLiteral(String name) {
        return name.indexOf(':') >= 0 || IPV4.matcher(name).matches();
    }

    @Override
    public String toString() {
        return "TestCertificates[" + keyAlgorithm + ", server="
                + server.certificate().getSubjectX500Principal() + ", client="
                + client.certificate().getSubjectX500Principal() + "]";
    }

    // ------------------------------------------------------------------ types

    /**
     * The key and signature algorithm of a bundle.
     *
     * <p>Immutable and thread-safe.
     */
    public enum KeyAlgorithm {
        /** EC keys on P-256 (secp256r1), signed with SHA256withECDSA; the default, and fast. */
        EC_P256("SHA256withECDSA"),
        /** 2048-bit RSA keys, signed with SHA256withRSA. */
        RSA_2048("SHA256withRSA");

        private final String signatureAlgorithm;

        KeyAlgorithm(String signatureAlgorithm) {
            this.signatureAlgorithm = signatureAlgorithm;
        }

        /**
         * The JCA name of the signature algorithm, such as {@code SHA256withECDSA}.
         *
         * @return the name as {@code Signature.getInstance} takes it
         */
        public String signatureAlgorithm() {
            return signatureAlgorithm;
        }

        KeyPair generate() {
            try {
                KeyPairGenerator g;
                if (this == EC_P256) {
                    g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                } else {
                    g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048, RANDOM);
                }
                return g.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot generate " + this + " keys", e);
            }
        }
    }

    /**
     * A private key and its certificate chain, leaf first.
     *
     * <p>Immutable and thread-safe; {@link #toString()} never shows the key.
     *
     * @param privateKey the private key of {@code chain.get(0)}
     * @param chain      the leaf certificate, then its issuers up to and including the CA
     */
    public record CertifiedKey(PrivateKey privateKey, List<X509Certificate> chain) {
        /**
         * Validates and copies the chain.
         *
         * @param privateKey the private key of the leaf; not {@code null}
         * @param chain the leaf, then its issuers; not empty; copied
         * @throws IllegalArgumentException if the key is null or the chain null or empty
         */
        public CertifiedKey {
            if (privateKey == null) {
                throw new IllegalArgumentException("privateKey must not be null");
            }
            if (chain == null || chain.isEmpty()) {
                throw new IllegalArgumentException("chain must not be empty");
            }
            chain = List.copyOf(chain);
        }

        /**
         * The leaf certificate.
         *
         * @return the first certificate of the chain
         */
        public X509Certificate certificate() {
            return chain.get(0);
        }

        /**
         * The private key as unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}).
         *
         * @return the PEM text, ending in a newline; secret, so never log it
         */
        public String privateKeyPem() {
            return pem("PRIVATE KEY", privateKey.getEncoded());
        }

        /**
         * The chain as concatenated {@code -----BEGIN CERTIFICATE-----} blocks, leaf first.
         *
         * @return the PEM text, each block ending in a newline
         */
        public String chainPem() {
            return chain.stream().map(c -> {
                try {
                    return pem("CERTIFICATE", c.getEncoded());
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("cannot encode " + c.getSubjectX500Principal(),
                            e);
                }
            }).collect(Collectors.joining());
        }

        @Override
        public String toString() {
            return "CertifiedKey[" + certificate().getSubjectX500Principal() + ", key="
                    + privateKey.getAlgorithm() + " (redacted), chain of " + chain.size() + "]";
        }
    }

    /**
     * Options for {@link TestCertificates}; defaults: {@link KeyAlgorithm#EC_P256}, client CN
     * {@code test-device}, server CN {@code localhost} with names {@code localhost},
     * {@code 127.0.0.1} and {@code ::1}, the system clock.
     *
     * <p>Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private KeyAlgorithm keyAlgorithm = KeyAlgorithm.EC_P256;
        private String clientCommonName = "test-device";
        private String serverCommonName = "localhost";
        private List<String> serverNames = List.of("localhost", "127.0.0.1", "::1");
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The algorithm of every key and signature.
         *
         * @param keyAlgorithm the algorithm; not {@code null}
         * @return this builder
         * @throws IllegalArgumentException if {@code keyAlgorithm} is null
         */
        public Builder keyAlgorithm(KeyAlgorithm keyAlgorithm) {
            if (keyAlgorithm == null) {
                throw new IllegalArgumentException("keyAlgorithm must not be null");
            }
            this.keyAlgorithm = keyAlgorithm;
            return this;
        }

        /**
         * The CN of the client certificate, for example a device's MQTT client id.
         *
         * @param cn the common name; not blank
         * @return this builder
         * @throws IllegalArgumentException if {@code cn} is null or blank
         */
        public Builder clientCommonName(String cn) {
            this.clientCommonName = requireName("clientCommonName", cn);
            return this;
        }

        /**
         * The CN of the server certificate (host checks use the names, not the CN).
         *
         * @param cn the common name; not blank
         * @return this builder
         * @throws IllegalArgumentException if {@code cn} is null or blank
         */
        public Builder serverCommonName(String cn) {
            this.serverCommonName = requireName("serverCommonName", cn);
            return this;
        }

        /**
         * The subjectAltName entries of the server certificate: IP literals become iPAddress
         * entries, anything else a dNSName.
         *
         * @param names host names or IP literals, ASCII; not empty; copied
         * @return this builder
         * @throws IllegalArgumentException if the list is null or empty or an entry blank or not
         *     ASCII (a malformed IP literal fails later, in {@link #build()})
         */
        public Builder serverNames(List<String> names) {
            if (names == null || names.isEmpty()) {
                throw new IllegalArgumentException("serverNames must not be empty");
            }
            for (String n : names) {
                requireName("serverNames entry", n);
                if (!StandardCharsets.US_ASCII.newEncoder().canEncode(n)) {
                    throw new IllegalArgumentException("serverNames entry must be ASCII: " + n);
                }
            }
            this.serverNames = List.copyOf(names);
            return this;
        }

        /**
         * The clock giving "now"; certificates are valid from now-1 day to now+30 days.
         *
         * @param clock read once, by {@link #build()}; not {@code null}
         * @return this builder
         * @throws IllegalArgumentException if {@code clock} is null
         */
        public Builder clock(Clock clock) {
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null");
            }
            this.clock = clock;
            return this;
        }

        /**
         * Generates the keys and certificates.
         *
         * @return new material; each call makes new keys
         * @throws IllegalArgumentException if a server name looks like an IP literal but is not a
         *     valid address
         */
        public TestCertificates build() {
            return new TestCertificates(this);
        }

        private static String requireName(String field, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank");
            }
            return value;
        }
    }
}
