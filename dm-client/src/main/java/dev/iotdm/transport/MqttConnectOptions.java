package dev.iotdm.transport;

import dev.iotdm.transport.tls.TlsSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a transport needs to open one MQTT connection. Generic MQTT: nothing here is
 * specific to device management, so the fake platform uses the same options as an ordinary client.
 * The connection settings proper (TLS, session, keep-alive, version, connect timeout) are a
 * {@link ConnectionSettings}, the type a device's options share; here the version is always chosen.
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
 * @param connection TLS, session, keep-alive, version (present) and connect timeout
 */
public record MqttConnectOptions(String clientId, Optional<String> username, Optional<Secret> password,
        String host, int port, ConnectionSettings connection) {

    /** Session expiry used when a session is kept and none was given. */
    public static final Duration DEFAULT_SESSION_EXPIRY = ConnectionSettings.DEFAULT_SESSION_EXPIRY;
    /** Keep-alive used when none was given (protocol.md §1.7). */
    public static final Duration DEFAULT_KEEP_ALIVE = ConnectionSettings.DEFAULT_KEEP_ALIVE;
    /** Connect timeout used when none was given. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = ConnectionSettings.DEFAULT_CONNECT_TIMEOUT;

    /**
     * Validates every component.
     *
     * @param clientId the MQTT client identifier, non-empty
     * @param username the user name, or empty
     * @param password the password, or empty; with MQTT 3.1.1 only beside a user name
     * @param host the broker host name or address literal, not blank
     * @param port the broker port, 1..65535
     * @param connection the connection settings, with the MQTT version chosen
     * @throws NullPointerException if any argument is null
     * @throws IllegalArgumentException naming the component that is out of bounds
     */
    public MqttConnectOptions {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(connection, "connection");
        if (clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty");
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        if (connection.mqttVersion().isEmpty()) {
            throw new IllegalArgumentException("the MQTT version must be chosen for a connection: pass the"
                    + " transport's preferredVersion() when the user chose none");
        }
        if (connection.mqttVersion().get() == MqttVersion.MQTT_3_1_1 && password.isPresent() && username.isEmpty()) {
            throw new IllegalArgumentException("password requires a username in MQTT 3.1.1");
        }
    }

    /**
     * The TLS settings, from {@link #connection()}.
     *
     * @return the TLS settings, or empty for plain TCP
     */
    public Optional<TlsSettings> tls() {
        return connection.tls();
    }

    /**
     * Whether to start a fresh session, from {@link #connection()}.
     *
     * @return true for MQTT 3.1.1 CleanSession / MQTT 5 Clean Start
     */
    public boolean cleanSession() {
        return connection.cleanSession();
    }

    /**
     * How long the broker keeps the session after a disconnect, from {@link #connection()}.
     *
     * @return whole seconds; zero when {@link #cleanSession()}
     */
    public Duration sessionExpiry() {
        return connection.sessionExpiry();
    }

    /**
     * The keep-alive interval, from {@link #connection()}.
     *
     * @return whole seconds, 0 (off) to 65535
     */
    public Duration keepAlive() {
        return connection.keepAlive();
    }

    /**
     * The MQTT version, always chosen here.
     *
     * @return the version to connect with
     */
    public MqttVersion version() {
        return connection.mqttVersion().orElseThrow();
    }

    /**
     * How long one connect attempt may take, from {@link #connection()}.
     *
     * @return the positive bound on the TCP, TLS and CONNACK exchange together
     */
    public Duration connectTimeout() {
        return connection.connectTimeout();
    }

    /**
     * Starts options; {@link Builder#host(String)} and {@link Builder#clientId(String)} are
     * required.
     *
     * @return a new builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds {@link MqttConnectOptions}. Defaults: port 8883 with TLS, 1883 without; MQTT 3.1.1
     * (the platform's version); the rest as in {@link ConnectionSettings.Setters}.
     *
     * <p>Thread-safety: not thread-safe; use from one thread.
     */
    public static final class Builder extends ConnectionSettings.Setters<Builder> {
        private String clientId;
        private String username;
        private Secret password;
        private String host;
        private Integer port;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the client identifier (required).
         *
         * @param clientId non-empty; checked by {@link #build()}
         * @return this builder
         */
        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /**
         * Sets the user name and password.
         *
         * @param username the user name
         * @param password the password, kept as a {@link Secret} so it never prints
         * @return this builder
         * @throws NullPointerException if either is null
         */
        public Builder credentials(String username, Secret password) {
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Sets a user name without a password.
         *
         * @param username the user name
         * @return this builder
         * @throws NullPointerException if {@code username} is null
         */
        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "username");
            return this;
        }

        /**
         * Sets the broker host (required).
         *
         * @param host a host name or address literal, not blank; checked by {@link #build()}
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * Sets the broker port (default 8883 with TLS, 1883 without).
         *
         * @param port 1..65535; checked by {@link #build()}
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * The SPI's name for {@link #mqttVersion(MqttVersion)} (default MQTT 3.1.1 here).
         *
         * @param version the MQTT version
         * @return this builder
         * @throws NullPointerException if {@code version} is null
         */
        public Builder version(MqttVersion version) {
            return mqttVersion(version);
        }

        /**
         * Builds the options.
         *
         * @return the validated, immutable options
         * @throws IllegalArgumentException naming the field that is missing or invalid
         */
        public MqttConnectOptions build() {
            if (clientId == null) {
                throw new IllegalArgumentException("clientId is required");
            }
            if (host == null) {
                throw new IllegalArgumentException("host is required");
            }
            ConnectionSettings c = settings(Optional.empty());
            if (c.mqttVersion().isEmpty()) {
                c = c.withMqttVersion(MqttVersion.MQTT_3_1_1);
            }
            int p = port != null ? port : (c.tls().isPresent() ? 8883 : 1883);
            return new MqttConnectOptions(clientId, Optional.ofNullable(username), Optional.ofNullable(password),
                    host, p, c);
        }
    }
}
