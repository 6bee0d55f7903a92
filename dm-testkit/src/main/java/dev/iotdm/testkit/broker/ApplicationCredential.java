package dev.iotdm.testkit.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The username and password an application (observer) client must present. Immutable; the
 * comparison is constant-time and the password never appears in {@link #toString()}.
 */
final class ApplicationCredential {

    private final byte[] username;
    private final byte[] password;

    ApplicationCredential(String username, String password) {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("application username must not be empty");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("application password must not be empty");
        }
        this.username = username.getBytes(StandardCharsets.UTF_8);
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    boolean matches(String username, byte[] password) {
        return MessageDigest.isEqual(this.username, username.getBytes(StandardCharsets.UTF_8))
                & MessageDigest.isEqual(this.password, password);
    }

    @Override
    public String toString() {
        return "ApplicationCredential[username=" + new String(username, StandardCharsets.UTF_8) + "]";
    }
}
