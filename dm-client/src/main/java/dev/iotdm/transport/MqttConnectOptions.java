package dev.iotdm.transport;

import dev.iotdm.transport.tls.TlsSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a transport needs to open one MQTT connection. Generic MQTT: nothing here is
 * specific to device management, so the fake platform uses the same options as an ordinary client.
 *
 * <p>Session semantics are the same for both MQTT versions: {@code cleanSession = true} starts a
 * new session that ends with the connection ({@code sessionExpiry} must then be zero);
 * {@code cleanSession = false} resumes the broker's session if one exists and asks the broker to
 * keep it for {@code sessionExpiry} after the connection ends. MQTT 3.1.1 has no session expiry on
 * the wire, so there the broker's own policy applies. Durations are whole seconds.
 *
 * <p>{@link #toString()} is safe to log: the password prints as {@code Secret[***]}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param clientId the MQTT client identifier, non-empty
 * @param username the user name, if any
 * @param password the password, if any; MQTT 3.1.1 allows a password only with a user name
 * @param host the broker host name or address literal, non-empty
 * @param port the broker port, 1..65535
 * @param tls TLS settings, or empty for plain TCP
 * @param cleanSession whether to start a fresh session (MQTT 3.1.1 CleanSession, MQTT 5 Clean Start)
 * @param sessionExpiry how long the broker keeps the session after a disconnect; 0 when clean
 * @param keepAlive the keep-alive interval, 0 (off) to 65535 s
 * @param version the MQTT version
 * @param connectTimeout how long to wait for the TCP, TLS and CONNACK exchange, positive
 */
public record MqttConnectOptions(String clientId, Optional<String> username, Optional<Secret> password,
        String host, int port, Optional<TlsSettings> tls, boolean cleanSession, Duration sessionExpiry,
        Duration keepAlive, MqttVersion version, Duration connectTimeout) {

    /** Session expiry used when a session is kept and none was given. */
    public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofSeconds(3600);
    /** Keep-alive used when none was given (protocol.md §1.7). */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(60);
    /** Connect timeout used when none was given. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** Largest session expiry MQTT 5 can express (0xFFFFFFFF s means "never expires"). */
    private static final long MAX_SESSION_EXPIRY_SECONDS = 0xFFFF_FFFFL;

    /** Validates every component. */
    public MqttConnectOptions {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(sessionExpiry, "sessionExpiry");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty");
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        wholeSeconds("keepAlive", keepAlive, 65535);
        wholeSeconds("sessionExpiry", sessionExpiry, MAX_SESSION_EXPIRY_SECONDS);
        if (cleanSession && !sessionExpiry.isZero()) {
            throw new IllegalArgumentException("sessionExpiry must be 0 when cleanSession is true (a clean session"
                    + " ends with the connection), was " + sessionExpiry.toSeconds() + " s");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
        }
        if (version == MqttVersion.MQTT_3_1_1 && password.isPresent() && username.isEmpty()) {
            throw new IllegalArgumentException("password requires a username in MQTT 3.1.1");
        }
    }

    private static void wholeSeconds(String field, Duration d, long maxSeconds) {
        if (d.isNegative() || d.getNano() != 0 || d.getSeconds() > maxSeconds) {
            throw new IllegalArgumentException(field + " must be whole seconds from 0 to " + maxSeconds + ", was " + d);
        }
    }

    /** A builder; {@link Builder#host(String)} and {@link Builder#clientId(String)} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds {@link MqttConnectOptions}. Defaults: port 8883 with TLS, 1883 without; clean session;
     * session expiry 0 when clean, else 3600 s; keep-alive 60 s; MQTT 3.1.1; connect timeout 30 s.
     *
     * <p>Thread-safety: not thread-safe; use from one thread.
     */
    public static final class Builder {
        private String clientId;
        private String username;
        private Secret password;
        private String host;
        private Integer port;
        private TlsSettings tls;
        private boolean cleanSession = true;
        private Duration sessionExpiry;
        private Duration keepAlive = DEFAULT_KEEP_ALIVE;
        private MqttVersion version = MqttVersion.MQTT_3_1_1;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

        private Builder() {
        }

        /** Sets the client identifier (required). */
        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /** Sets the user name and password. */
        public Builder credentials(String username, Secret password) {
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Sets a user name without a password. */
        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "username");
            return this;
        }

        /** Sets the broker host (required). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Sets the broker port (default 8883 with TLS, 1883 without). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Connects with TLS using these settings; {@code null} means plain TCP (the default). */
        public Builder tls(TlsSettings tls) {
            this.tls = tls;
            return this;
        }

        /** Asks for a clean session (default true). */
        public Builder cleanSession(boolean cleanSession) {
            this.cleanSession = cleanSession;
            return this;
        }

        /** Sets how long a kept session survives a disconnect (default 3600 s when kept). */
        public Builder sessionExpiry(Duration sessionExpiry) {
            this.sessionExpiry = Objects.requireNonNull(sessionExpiry, "sessionExpiry");
            return this;
        }

        /** Sets the keep-alive interval (default 60 s). */
        public Builder keepAlive(Duration keepAlive) {
            this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
            return this;
        }

        /** Sets the MQTT version (default 3.1.1). */
        public Builder version(MqttVersion version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /** Sets the connect timeout (default 30 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * Builds the options.
         *
         * @throws IllegalArgumentException naming the field that is missing or invalid
         */
        public MqttConnectOptions build() {
            if (clientId == null) {
                throw new IllegalArgumentException("clientId is required");
            }
            if (host == null) {
                throw new IllegalArgumentException("host is required");
            }
            int p = port != null ? port : (tls != null ? 8883 : 1883);
            Duration expiry = sessionExpiry != null ? sessionExpiry
                    : (cleanSession ? Duration.ZERO : DEFAULT_SESSION_EXPIRY);
            return new MqttConnectOptions(clientId, Optional.ofNullable(username), Optional.ofNullable(password),
                    host, p, Optional.ofNullable(tls), cleanSession, expiry, keepAlive, version, connectTimeout);
        }
    }
}
