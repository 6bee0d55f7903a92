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

    /** Validates every component. */
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

    /** TLS settings, or empty for plain TCP. */
    public Optional<TlsSettings> tls() {
        return connection.tls();
    }

    /** Whether to start a fresh session. */
    public boolean cleanSession() {
        return connection.cleanSession();
    }

    /** How long the broker keeps the session after a disconnect; 0 when clean. */
    public Duration sessionExpiry() {
        return connection.sessionExpiry();
    }

    /** The keep-alive interval. */
    public Duration keepAlive() {
        return connection.keepAlive();
    }

    /** The MQTT version. */
    public MqttVersion version() {
        return connection.mqttVersion().orElseThrow();
    }

    /** How long to wait for the TCP, TLS and CONNACK exchange. */
    public Duration connectTimeout() {
        return connection.connectTimeout();
    }

    /** A builder; {@link Builder#host(String)} and {@link Builder#clientId(String)} are required. */
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

        /** The SPI's name for {@link #mqttVersion(MqttVersion)}. */
        public Builder version(MqttVersion version) {
            return mqttVersion(version);
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
