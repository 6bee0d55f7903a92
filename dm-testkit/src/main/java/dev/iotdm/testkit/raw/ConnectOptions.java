package dev.iotdm.testkit.raw;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The fields of a CONNECT packet (MQTT 3.1.1 §3.1) that {@link RawMqttClient} sends. Immutable;
 * {@code with*} methods return copies. The password never appears in {@link #toString()}.
 *
 * @param clientId the Client Identifier (§3.1.3.1); may be empty
 * @param username the User Name (§3.1.3.4), or {@code null} for none
 * @param password the Password (§3.1.3.5), or {@code null} for none; needs a user name (§3.1.2.9)
 * @param cleanSession the Clean Session flag (§3.1.2.4)
 * @param keepAliveSeconds the Keep Alive (§3.1.2.10), 0..65535; 0 switches it off
 */
public record ConnectOptions(String clientId, String username, String password, boolean cleanSession,
                             int keepAliveSeconds) {

    /**
     * Validates the fields, naming the bad one.
     *
     * @param clientId the Client Identifier; not {@code null}, may be empty
     * @param username the User Name, or {@code null} for none
     * @param password the Password, or {@code null} for none; only with a user name
     * @param cleanSession the Clean Session flag
     * @param keepAliveSeconds the Keep Alive in seconds, 0..65535
     * @throws NullPointerException if {@code clientId} is {@code null}
     * @throws IllegalArgumentException if a password comes without a user name, the keep-alive is
     *     out of range or a string is longer than 65535 UTF-8 bytes
     */
    public ConnectOptions {
        Objects.requireNonNull(clientId, "clientId");
        if (password != null && username == null) {
            throw new IllegalArgumentException("password needs a username (MQTT 3.1.1 §3.1.2.9)");
        }
        if (keepAliveSeconds < 0 || keepAliveSeconds > 0xFFFF) {
            throw new IllegalArgumentException("keepAliveSeconds must be 0..65535, was " + keepAliveSeconds);
        }
        for (String field : new String[] {clientId, username, password}) {
            if (field != null && field.getBytes(StandardCharsets.UTF_8).length > 0xFFFF) {
                throw new IllegalArgumentException("a CONNECT string is longer than 65535 bytes");
            }
        }
    }

    /**
     * Clean session, no credentials, keep-alive 60 s (what the SDKs use, protocol.md §1.7).
     *
     * @param clientId the Client Identifier, e.g. {@code d:org:type:id}; not {@code null}
     * @return the options
     */
    public static ConnectOptions of(String clientId) {
        return new ConnectOptions(clientId, null, null, true, 60);
    }

    /**
     * A device with token authentication (protocol.md §1.5): username {@code use-token-auth}.
     *
     * @param clientId the device's Client Identifier {@code d:org:type:id}; not {@code null}
     * @param token the device's authentication token, sent as the password; never shown by
     *     {@link #toString()}
     * @return clean-session options with those credentials and keep-alive 60 s
     */
    public static ConnectOptions device(String clientId, String token) {
        return of(clientId).withCredentials("use-token-auth", token);
    }

    /**
     * A copy with this user name and password.
     *
     * @param username the User Name, or {@code null} for none
     * @param password the Password, or {@code null} for none; only with a user name
     * @return a copy, the other fields unchanged
     * @throws IllegalArgumentException if a password comes without a user name
     */
    public ConnectOptions withCredentials(String username, String password) {
        return new ConnectOptions(clientId, username, password, cleanSession, keepAliveSeconds);
    }

    /**
     * A copy with this Clean Session flag.
     *
     * @param cleanSession {@code false} asks the broker to keep the session (§3.1.2.4)
     * @return a copy, the other fields unchanged
     */
    public ConnectOptions withCleanSession(boolean cleanSession) {
        return new ConnectOptions(clientId, username, password, cleanSession, keepAliveSeconds);
    }

    /**
     * A copy with this keep-alive in seconds.
     *
     * @param keepAliveSeconds 0..65535; 0 switches the broker's keep-alive check off
     * @return a copy, the other fields unchanged
     * @throws IllegalArgumentException if out of range
     */
    public ConnectOptions withKeepAlive(int keepAliveSeconds) {
        return new ConnectOptions(clientId, username, password, cleanSession, keepAliveSeconds);
    }

    /** Shows everything but the password. */
    @Override
    public String toString() {
        return "ConnectOptions[clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", cleanSession=" + cleanSession
                + ", keepAliveSeconds=" + keepAliveSeconds + "]";
    }
}
