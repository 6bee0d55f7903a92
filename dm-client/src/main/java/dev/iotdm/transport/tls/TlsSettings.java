package dev.iotdm.transport.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a client connection uses TLS: whom to trust, which client identity to present (mutual
 * TLS), and how strictly to check the server. Built with the JDK only.
 *
 * <ul>
 *   <li>Trust: the JVM's default trust store (the default), a PEM file of one or more CA
 *       certificates, or a given {@link KeyStore}.</li>
 *   <li>Client identity (optional): a PKCS#12 file with its password, or an unencrypted PKCS#8
 *       PEM private key (RSA or EC) with a PEM certificate chain. Other key formats are refused
 *       with a {@link TlsConfigurationException} naming the file and the format.</li>
 *   <li>Protocols TLSv1.3 and TLSv1.2 (the platform requires 1.2, protocol.md §1.3).</li>
 *   <li>Host name verification (endpoint identification {@code HTTPS}) is on; only
 *       {@link Builder#insecureDisableHostnameVerification()} turns it off.</li>
 * </ul>
 *
 * <p>Everything is read and checked in {@link Builder#build()}: the {@link SSLContext} is created
 * once there and shared by every connection, so configuration mistakes surface at start-up.
 * {@link #toString()} names the sources but never a password.
 *
 * <p>Thread-safety: immutable and safe to share across connections and threads.
 */
public final class TlsSettings {

    /** The protocols offered, most preferred first. */
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final SSLContext context;
    private final List<String> protocols;
    private final boolean hostnameVerification;
    private final String description;

    private TlsSettings(SSLContext context, List<String> protocols, boolean hostnameVerification, String description) {
        this.context = context;
        this.protocols = protocols;
        this.hostnameVerification = hostnameVerification;
        this.description = description;
    }

    /**
     * The settings most devices need: JVM default trust, no client certificate, host name
     * verification on. Built on the first call, then shared.
     *
     * @return the shared default settings
     */
    public static TlsSettings defaults() {
        return DefaultsHolder.DEFAULTS;
    }

    /**
     * Starts custom settings, e.g. to trust a private CA or present a client certificate.
     *
     * @return a new builder starting from the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The SSL context, for a transport that must hand one to its library. Prefer
     * {@link #socketFactory()} or {@link #createClientEngine(String, int)}, which also apply the
     * protocols, host name verification and SNI.
     *
     * @return the context built once by {@link Builder#build()} and shared
     */
    public SSLContext sslContext() {
        return context;
    }

    /**
     * The TLS protocols offered.
     *
     * @return an unmodifiable list of the JDK protocol names, most preferred first, e.g.
     *     {@code [TLSv1.3, TLSv1.2]}; never empty
     */
    public List<String> protocols() {
        return protocols;
    }

    /**
     * Whether the server certificate must match the host name.
     *
     * @return true unless {@link Builder#insecureDisableHostnameVerification()} was called
     */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /**
     * Client-side parameters for a connection to {@code host}: the protocols, endpoint
     * identification {@code HTTPS} when host name verification is on, and the SNI server name
     * when {@code host} is a DNS name (not an IP literal).
     *
     * @param host the host name the connection was opened to, as the user configured it; null
     *        leaves the server names to the JDK
     * @return fresh parameters, which the caller may change further
     */
    public SSLParameters sslParameters(String host) {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(protocols.toArray(String[]::new));
        p.setEndpointIdentificationAlgorithm(hostnameVerification ? "HTTPS" : null);
        if (host != null) {
            // An empty list for an IP literal: SNI carries DNS names only (RFC 6066 §3).
            p.setServerNames(sniName(host).<List<SNIServerName>>map(List::of).orElse(List.of()));
        }
        return p;
    }

    /**
     * Applies {@link #sslParameters(String)} to a client socket; call before the handshake.
     *
     * @param socket an unconnected or connected client socket that has not started its handshake
     * @param host the host name the socket is (or will be) connected to
     */
    public void configure(SSLSocket socket, String host) {
        socket.setUseClientMode(true);
        socket.setSSLParameters(sslParameters(host));
    }

    /**
     * A new client-mode engine for {@code host:port} with {@link #sslParameters(String)} applied,
     * for non-blocking transports (e.g. wrapped by Netty's {@code SslHandler}).
     *
     * @param host the host name connected to, as the user configured it (checked against the
     *     server certificate when host name verification is on)
     * @param port the port connected to (a session-resumption hint for the JDK)
     * @return a new engine in client mode; one per connection
     */
    public SSLEngine createClientEngine(String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(sslParameters(host));
        return engine;
    }

    /**
     * A socket factory whose sockets are configured with {@link #configure(SSLSocket, String)},
     * so host name verification, protocols and SNI hold for libraries that only take a factory
     * (e.g. Paho). Use the methods that take a host name; sockets created from an
     * {@link InetAddress} get no SNI.
     *
     * @return a new factory over this settings' shared context
     */
    public SSLSocketFactory socketFactory() {
        return new ConfiguredFactory();
    }

    @Override
    public String toString() {
        return "TlsSettings[" + description + ", protocols=" + protocols
                + ", hostnameVerification=" + (hostnameVerification ? "on" : "OFF") + "]";
    }

    private static Optional<SNIHostName> sniName(String host) {
        if (host == null || host.isEmpty() || host.indexOf(':') >= 0 || IPV4.matcher(host).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SNIHostName(host.endsWith(".") ? host.substring(0, host.length() - 1) : host));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a valid DNS name: no SNI, verification still applies
        }
    }

    /** Lazily built so that merely loading the class reads no trust store. */
    private static final class DefaultsHolder {
        static final TlsSettings DEFAULTS = new Builder().build();
    }

    /** Applies this settings' parameters to every socket it creates. */
    private final class ConfiguredFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate = context.getSocketFactory();

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return configured(delegate.createSocket(), null);
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return configured(delegate.createSocket(s, host, port, autoClose), host);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return configured(delegate.createSocket(host, port), host);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return configured(delegate.createSocket(host, port, localHost, localPort), host);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return configured(delegate.createSocket(host, port), null);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return configured(delegate.createSocket(address, port, localAddress, localPort), null);
        }

        private Socket configured(Socket socket, String host) {
            if (socket instanceof SSLSocket ssl) {
                configure(ssl, host);
            }
            return socket;
        }
    }

    /**
     * Builds {@link TlsSettings}. Each trust method replaces the previous choice, as does each
     * client identity method.
     *
     * <p>Thread-safety: not thread-safe; use from one thread.
     */
    public static final class Builder {
        private Path caFile;
        private KeyStore trustStore;
        private Path pkcs12File;
        private char[] pkcs12Password;
        private Path keyFile;
        private Path chainFile;
        private boolean hostnameVerification = true;

        private Builder() {
        }

        /**
         * Trusts the JVM's default trust store (the default).
         *
         * @return this builder
         */
        public Builder trustJvmDefault() {
            caFile = null;
            trustStore = null;
            return this;
        }

        /**
         * Trusts exactly the CA certificates in this PEM file, in place of the JVM's trust store.
         *
         * @param caPemFile a PEM file of one or more CA certificates; read by {@link #build()}
         * @return this builder
         * @throws NullPointerException if {@code caPemFile} is null
         */
        public Builder trustCaFile(Path caPemFile) {
            trustJvmDefault();
            caFile = Objects.requireNonNull(caPemFile, "caPemFile");
            return this;
        }

        /**
         * Trusts exactly the certificate entries of this loaded key store, in place of the
         * JVM's trust store.
         *
         * @param store a loaded key store; read by {@link #build()}, not copied
         * @return this builder
         * @throws NullPointerException if {@code store} is null
         */
        public Builder trustStore(KeyStore store) {
            trustJvmDefault();
            trustStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Presents the private key and certificate chain of a PKCS#12 file (mutual TLS).
         *
         * @param file the PKCS#12 file
         * @param password the store password, also used for the key; copied, so the caller may
         *     clear its array
         * @return this builder
         * @throws NullPointerException if either is null
         */
        public Builder clientPkcs12(Path file, char[] password) {
            noClientIdentity();
            pkcs12File = Objects.requireNonNull(file, "file");
            pkcs12Password = Objects.requireNonNull(password, "password").clone();
            return this;
        }

        /**
         * Presents a PEM private key and certificate chain (mutual TLS).
         *
         * @param privateKeyFile an unencrypted PKCS#8 PEM key ({@code -----BEGIN PRIVATE KEY-----}), RSA or EC
         * @param certificateChainFile PEM certificates, the key's own certificate first
         * @return this builder
         * @throws NullPointerException if either is null
         */
        public Builder clientPemKey(Path privateKeyFile, Path certificateChainFile) {
            noClientIdentity();
            keyFile = Objects.requireNonNull(privateKeyFile, "privateKeyFile");
            chainFile = Objects.requireNonNull(certificateChainFile, "certificateChainFile");
            return this;
        }

        /**
         * Presents no client certificate (the default).
         *
         * @return this builder
         */
        public Builder noClientIdentity() {
            pkcs12File = null;
            pkcs12Password = null;
            keyFile = null;
            chainFile = null;
            return this;
        }

        /**
         * INSECURE: accepts any trusted certificate whatever host name it was issued for, which
         * lets anyone holding a certificate from a trusted CA impersonate the broker. Only for
         * tests against a broker whose certificate cannot carry the right name.
         *
         * @return this builder
         */
        public Builder insecureDisableHostnameVerification() {
            hostnameVerification = false;
            return this;
        }

        /**
         * Reads every file, checks keys against certificates and builds the SSL context.
         *
         * @return the settings, immutable and safe to share
         * @throws TlsConfigurationException naming the file and what is wrong with it
         */
        public TlsSettings build() {
            List<String> parts = new ArrayList<>();
            TrustManager[] trust = trustManagers(parts);
            KeyManager[] keys = keyManagers(parts);
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys, trust, new SecureRandom());
                List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
                List<String> protocols = PROTOCOLS.stream().filter(supported::contains).toList();
                if (protocols.isEmpty()) {
                    throw new TlsConfigurationException("this JVM supports neither TLSv1.3 nor TLSv1.2");
                }
                return new TlsSettings(context, protocols, hostnameVerification, String.join(", ", parts));
            } catch (GeneralSecurityException e) {
                throw new TlsConfigurationException("cannot create the TLS context: " + e.getMessage(), e);
            }
        }

        private TrustManager[] trustManagers(List<String> parts) {
            try {
                KeyStore store;
                if (caFile != null) {
                    List<X509Certificate> cas = Pem.certificates("TLS CA file", caFile);
                    store = emptyStore();
                    for (int i = 0; i < cas.size(); i++) {
                        store.setCertificateEntry("ca-" + i, cas.get(i));
                    }
                    parts.add("trust=CA file " + caFile);
                } else if (trustStore != null) {
                    if (!hasCertificate(trustStore)) {
                        throw new TlsConfigurationException("TLS trust store holds no trusted certificate");
                    }
                    store = trustStore;
                    parts.add("trust=key store (" + trustStore.getType() + ")");
                } else {
                    parts.add("trust=JVM default");
                    return null; // SSLContext.init(.., null, ..) uses the JVM default trust managers
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                return tmf.getTrustManagers();
            } catch (GeneralSecurityException | IOException e) {
                throw new TlsConfigurationException("cannot set up TLS trust: " + e.getMessage(), e);
            }
        }

        private KeyManager[] keyManagers(List<String> parts) {
            if (pkcs12File != null) {
                parts.add("client=PKCS#12 " + pkcs12File);
                return keyManagers(loadPkcs12(), pkcs12Password);
            }
            if (keyFile != null) {
                parts.add("client=PEM key " + keyFile + " with chain " + chainFile);
                char[] password = "iotdm-in-memory".toCharArray(); // protects an in-memory store only
                PrivateKey key = PemKeys.readPrivateKey(keyFile);
                List<X509Certificate> chain = Pem.certificates("TLS client certificate chain", chainFile);
                PemKeys.checkMatch(key, keyFile, chain.get(0), chainFile);
                try {
                    KeyStore store = emptyStore();
                    store.setKeyEntry("client", key, password, chain.toArray(Certificate[]::new));
                    return keyManagers(store, password);
                } catch (GeneralSecurityException | IOException e) {
                    throw new TlsConfigurationException("cannot use TLS client key " + keyFile + ": " + e.getMessage(), e);
                }
            }
            parts.add("client=none");
            return null;
        }

        private KeyStore loadPkcs12() {
            try (InputStream in = Files.newInputStream(pkcs12File)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, pkcs12Password);
                boolean hasKey = false;
                for (String alias : Collections.list(store.aliases())) {
                    hasKey |= store.isKeyEntry(alias);
                }
                if (!hasKey) {
                    throw new TlsConfigurationException("TLS client PKCS#12 file " + pkcs12File + " holds no private key");
                }
                return store;
            } catch (IOException e) {
                if (e.getCause() instanceof UnrecoverableKeyException) {
                    throw new TlsConfigurationException("TLS client PKCS#12 file " + pkcs12File
                            + " cannot be opened: wrong password", e);
                }
                throw new TlsConfigurationException("TLS client PKCS#12 file " + pkcs12File
                        + " cannot be read: " + e, e);
            } catch (GeneralSecurityException e) {
                throw new TlsConfigurationException("TLS client PKCS#12 file " + pkcs12File
                        + " cannot be read: " + e.getMessage(), e);
            }
        }

        private static KeyManager[] keyManagers(KeyStore store, char[] password) {
            try {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, password);
                return kmf.getKeyManagers();
            } catch (GeneralSecurityException e) {
                throw new TlsConfigurationException("cannot use the TLS client key: " + e.getMessage(), e);
            }
        }

        private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        }

        private static boolean hasCertificate(KeyStore store) {
            try {
                for (String alias : Collections.list(store.aliases())) {
                    if (store.isCertificateEntry(alias)) {
                        return true;
                    }
                }
                return false;
            } catch (KeyStoreException e) {
                throw new TlsConfigurationException("TLS trust store is not loaded: " + e.getMessage(), e);
            }
        }
    }

    /** Owns reading PEM private keys and checking them against certificates. */
    static final class PemKeys {

        private static final String SUPPORTED = "only an unencrypted PKCS#8 PEM key ('-----BEGIN PRIVATE KEY-----')"
                + " is supported";

        private PemKeys() {
        }

        static PrivateKey readPrivateKey(Path file) {
            Pem.Contents contents = Pem.read("TLS client key", file);
            String prefix = "TLS client key " + file;
            if (contents.blocks().isEmpty()) {
                String what = Pem.looksLikeDer(contents.raw()) ? "holds binary (DER) data, not PEM" : "holds no PEM data";
                throw new TlsConfigurationException(prefix + " " + what + "; " + SUPPORTED + convertHint(file));
            }
            List<Pem.Block> keys = contents.blocks().stream().filter(b -> b.label().endsWith("PRIVATE KEY")).toList();
            if (keys.isEmpty()) {
                throw new TlsConfigurationException(prefix + " holds no private key (found '"
                        + contents.blocks().get(0).label() + "'); " + SUPPORTED);
            }
            if (keys.size() > 1) {
                throw new TlsConfigurationException(prefix + " holds " + keys.size() + " private keys; expected exactly one");
            }
            Pem.Block block = keys.get(0);
            if (!block.label().equals("PRIVATE KEY")) {
                throw new TlsConfigurationException(prefix + " holds " + formatName(block.label())
                        + " ('-----BEGIN " + block.label() + "-----'); " + SUPPORTED + convertHint(file));
            }
            PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(block.der());
            for (String algorithm : List.of("RSA", "EC")) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                } catch (GeneralSecurityException e) {
                    // not this algorithm: try the next
                }
            }
            throw new TlsConfigurationException(prefix + " holds a PKCS#8 key that is neither RSA nor EC, or is damaged");
        }

        static void checkMatch(PrivateKey key, Path keyFile, X509Certificate cert, Path chainFile) {
            // Signing a probe with the key and verifying with the certificate works for RSA and EC
            // alike, and catches the common mix-up of key and certificate files.
            String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            byte[] probe = "iotdm key match probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            boolean matches;
            try {
                Signature signer = Signature.getInstance(algorithm);
                signer.initSign(key);
                signer.update(probe);
                byte[] signature = signer.sign();
                Signature verifier = Signature.getInstance(algorithm);
                verifier.initVerify(cert.getPublicKey());
                verifier.update(probe);
                matches = verifier.verify(signature);
            } catch (GeneralSecurityException e) {
                matches = false;
            }
            if (!matches) {
                throw new TlsConfigurationException("TLS client key " + keyFile + " does not match the first certificate in "
                        + chainFile + " (" + cert.getSubjectX500Principal().getName() + ")");
            }
        }

        private static String formatName(String label) {
            return switch (label) {
                case "RSA PRIVATE KEY" -> "a PKCS#1 RSA private key";
                case "EC PRIVATE KEY" -> "a SEC1 EC private key";
                case "ENCRYPTED PRIVATE KEY" -> "an encrypted PKCS#8 private key";
                case "OPENSSH PRIVATE KEY" -> "an OpenSSH private key";
                case "DSA PRIVATE KEY" -> "a DSA private key";
                default -> "an unsupported private key format";
            };
        }

        private static String convertHint(Path file) {
            return "; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key-pkcs8.pem";
        }
    }
}
