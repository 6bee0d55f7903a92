package dev.iotdm.transport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A password or device token. It never shows up in {@link #toString()} (which prints
 * {@code Secret[***]}), so options holding one can be logged; the value is reachable only
 * through the deliberately named {@link #reveal()} and {@link #revealUtf8()}.
 *
 * <p>Thread-safety: immutable and safe to share.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * Wraps a secret value.
     *
     * @param value the password or token in clear text
     * @return a secret that never prints its value
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if the value is empty (say "no password" with
     *         {@code Optional.empty()} instead)
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "secret value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("secret value must not be empty");
        }
        return new Secret(value);
    }

    /**
     * The secret in clear text; call only where it goes on the wire, never for a log line.
     *
     * @return the value given to {@link #of(String)}
     */
    public String reveal() {
        return value;
    }

    /**
     * The secret as MQTT carries a password; call only where it goes on the wire.
     *
     * @return the value's UTF-8 bytes, a fresh copy each call that the caller may clear
     */
    public byte[] revealUtf8() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Compares in constant time, so equality checks leak no timing about the value. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other
                && MessageDigest.isEqual(revealUtf8(), other.revealUtf8());
    }

    @Override
    public int hashCode() {
        // A constant: a hash of the value would be a (weak) fingerprint of it.
        return 0x5ec7e7;
    }

    /** Always {@code Secret[***]}. */
    @Override
    public String toString() {
        return "Secret[***]";
    }
}
