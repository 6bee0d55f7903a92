package dev.iotdm.testkit.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of the broker's MQTT-over-TLS listener (protocol.md §1.3): the server's key store and,
 * for mutual TLS, a trust store of client certificates and the client authentication mode.
 *
 * <p>Key stores are JKS or PKCS12 files as {@code keytool} writes them. Immutable and thread-safe;
 * {@link #toString()} hides the passwords.
 *
 * @param keystore the server key store with one private key entry
 * @param keystorePassword the key store's password
 * @param privateKeyPassword the private key's password (keytool's PKCS12 uses the store password)
 * @param truststore the trust store for client certificates, or {@code null} when
 *     {@code clientAuth} is {@link ClientAuth#NONE}
 * @param truststorePassword its password, or {@code null} without a trust store
 * @param clientAuth whether clients must present a certificate
 */
public record TlsListener(Path keystore, String keystorePassword, String privateKeyPassword,
                          Path truststore, String truststorePassword, ClientAuth clientAuth) {

    /** Whether the broker asks TLS clients for a certificate. */
    public enum ClientAuth {
        /** Server authentication only; the usual platform set-up with token authentication. */
        NONE,
        /** A client certificate is checked when one is offered. */
        OPTIONAL,
        /** Clients without a trusted certificate fail the handshake. */
        REQUIRED
    }

    /**
     * Validates the paths and passwords, naming the bad field.
     *
     * @param keystore an existing file
     * @param keystorePassword not empty
     * @param privateKeyPassword not empty
     * @param truststore an existing file when {@code clientAuth} is not {@code NONE}, else
     *     {@code null} or an existing file
     * @param truststorePassword not empty when there is a trust store
     * @param clientAuth not {@code null}
     * @throws IllegalArgumentException naming the field that is missing, empty or not a file
     * @throws NullPointerException if {@code clientAuth} is {@code null}
     */
    public TlsListener {
        requireFile("keystore", keystore);
        requirePassword("keystorePassword", keystorePassword);
        requirePassword("privateKeyPassword", privateKeyPassword);
        Objects.requireNonNull(clientAuth, "clientAuth");
        if (clientAuth != ClientAuth.NONE || truststore != null) {
            requireFile("truststore (needed when clientAuth is " + clientAuth + ")", truststore);
            requirePassword("truststorePassword", truststorePassword);
        }
    }

    /**
     * A server-only TLS listener whose key has the key store's password (keytool's default).
     *
     * @param keystore an existing key store file with one private key entry
     * @param password the store's and the key's password; not empty
     * @return the settings, client authentication {@link ClientAuth#NONE}
     * @throws IllegalArgumentException if the file is missing or the password empty
     */
    public static TlsListener serverOnly(Path keystore, String password) {
        return new TlsListener(keystore, password, password, null, null, ClientAuth.NONE);
    }

    /**
     * A mutual-TLS listener: clients must present a certificate trusted by {@code truststore}.
     *
     * @param keystore an existing key store file with one private key entry
     * @param password the store's and the key's password; not empty
     * @param truststore an existing trust store file holding the CA of client certificates
     * @param truststorePassword the trust store's password; not empty
     * @return the settings, client authentication {@link ClientAuth#REQUIRED}
     * @throws IllegalArgumentException if a file is missing or a password empty
     */
    public static TlsListener mutual(Path keystore, String password, Path truststore, String truststorePassword) {
        return new TlsListener(keystore, password, password, truststore, truststorePassword, ClientAuth.REQUIRED);
    }

    /** Shows the paths and the mode; never the passwords. */
    @Override
    public String toString() {
        return "TlsListener[keystore=" + keystore + ", truststore=" + truststore + ", clientAuth=" + clientAuth + "]";
    }

    private static void requireFile(String field, Path path) {
        if (path == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(field + " is not a readable file: " + path);
        }
    }

    private static void requirePassword(String field, String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
    }
}
