package dev.iotdm.client.config;

import dev.iotdm.transport.tls.TlsSettings;
import dev.iotdm.protocol.topic.Identifiers;
import dev.iotdm.transport.ConnectionSettings;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Secret;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a device connects to the platform: its identity, its token and the MQTT connection
 * parameters (protocol.md §1, §13.1). Build one with {@link #builder()} or start from a
 * configuration file with {@link DeviceConfigs}.
 *
 * <p>The client id is {@code d:<org>:<typeId>:<deviceId>} and the user name
 * {@code use-token-auth} (protocol.md §1.4, §1.5). The organisation {@code quickstart} is refused:
 * device management is not available there (protocol.md §1.8).
 *
 * <p>{@code cleanSession = false} keeps the broker session, so DM requests sent while the device
 * is offline are queued and delivered on reconnect; the platform may meanwhile have reported them
 * as failed if they timed out (protocol.md §1.7, §12.16).
 *
 * <p>{@link #toString()} is safe to log: the token prints as {@code Secret[***]}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param org the organisation id
 * @param typeId the device type id
 * @param deviceId the device id
 * @param token the device's authentication token
 * @param domain the platform domain, by default {@value #DEFAULT_DOMAIN}
 * @param host the broker host: {@code <org>.messaging.<domain>} unless overridden
 * @param port the broker port, by default 8883 (TLS) or 1883 (plain)
 * @param connection TLS (empty for plain TCP: the token then travels in clear text), session
 *     (clean by default), keep-alive (60 s), MQTT version (by default the transport's preferred
 *     one) and connect timeout (30 s): the settings the transport's options share
 */
public record DeviceOptions(String org, String typeId, String deviceId, Secret token, String domain, String host,
        int port, ConnectionSettings connection) {

    /** The platform domain unless configured otherwise (protocol.md §1.1). */
    public static final String DEFAULT_DOMAIN = "internetofthings.ibmcloud.com";
    /** The MQTT user name of token authentication (protocol.md §1.5). */
    public static final String TOKEN_USERNAME = "use-token-auth";
    /** The port of MQTT over TLS (protocol.md §1.2). */
    public static final int TLS_PORT = 8883;
    /** The port of plain MQTT (protocol.md §1.2). */
    public static final int PLAIN_PORT = 1883;

    /**
     * Validates every component. Most callers use {@link #builder()}, which fills in the host,
     * port and TLS defaults.
     *
     * @param org the organisation id: letters and digits, at most 36, not {@code quickstart}
     * @param typeId the device type id: at most 36 of {@code [A-Za-z0-9._-]}
     * @param deviceId the device id: at most 36 of {@code [A-Za-z0-9._-]}
     * @param token the device's authentication token
     * @param domain the platform domain, a host name
     * @param host the broker host, a host name or address literal
     * @param port the broker port, 1..65535
     * @param connection the connection settings
     * @throws NullPointerException if {@code token} or {@code connection} is null
     * @throws IllegalArgumentException naming the component that is missing or invalid
     */
    public DeviceOptions {
        Identifiers.requireOrgId("org", org);
        if (org.equalsIgnoreCase("quickstart")) {
            throw new IllegalArgumentException(quickstartProblem());
        }
        Identifiers.requireDeviceId("typeId", typeId);
        Identifiers.requireDeviceId("deviceId", deviceId);
        Objects.requireNonNull(token, "token");
        checkHostName("domain", domain);
        checkHostName("host", host);
        Objects.requireNonNull(connection, "connection");
        // The transport-level rules (port, client id, credentials) live in one place. (Fields are
        // not assigned yet in a compact constructor: the parameters are used.)
        connectOptions(org, typeId, deviceId, token, host, port, connection, MqttVersion.MQTT_5);
    }

    /** Why {@code quickstart} is refused, shared with the configuration readers. */
    static String quickstartProblem() {
        return "'quickstart' cannot be used: device management is not available in the quickstart organisation"
                + " (protocol.md §1.8)";
    }

    /** The problem with a domain or host name, or empty. */
    static Optional<String> checkHostName(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == '/' || c == '@' || c == '?' || c == '#' || c == 0x7f) {
                return Optional.of("must be a host name (no spaces, '/', '@', '?' or '#')");
            }
        }
        return Optional.empty();
    }

    private static void checkHostName(String field, String value) {
        checkHostName(value).ifPresent(problem -> {
            throw new IllegalArgumentException(field + " " + problem + (value == null ? "" : ": '" + value + "'"));
        });
    }

    /**
     * Starts options; org, typeId, deviceId and token are required.
     *
     * @return a new builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The MQTT client id (protocol.md §1.4).
     *
     * @return {@code d:<org>:<typeId>:<deviceId>}
     */
    public String clientId() {
        return clientId(org, typeId, deviceId);
    }

    /**
     * The MQTT user name of token authentication (protocol.md §1.5).
     *
     * @return always {@value #TOKEN_USERNAME}
     */
    public String username() {
        return TOKEN_USERNAME;
    }

    /**
     * The TLS settings, from {@link #connection()}.
     *
     * @return the TLS settings, or empty for plain TCP (the token then travels in clear text)
     */
    public Optional<TlsSettings> tls() {
        return connection.tls();
    }

    /**
     * Whether each connection starts a fresh session, from {@link #connection()}.
     *
     * @return true (the default): the broker keeps nothing between connections, so requests sent
     *     while the device was offline are not delivered
     */
    public boolean cleanSession() {
        return connection.cleanSession();
    }

    /**
     * The MQTT keep-alive, from {@link #connection()}.
     *
     * @return whole seconds, 0 (off) to 65535; 60 s by default
     */
    public Duration keepAlive() {
        return connection.keepAlive();
    }

    /**
     * How long a kept session outlives a disconnect, from {@link #connection()}.
     *
     * @return whole seconds; zero when {@link #cleanSession()}
     */
    public Duration sessionExpiry() {
        return connection.sessionExpiry();
    }

    /**
     * The MQTT version chosen, from {@link #connection()}.
     *
     * @return the version, or empty for the transport's preferred one
     */
    public Optional<MqttVersion> mqttVersion() {
        return connection.mqttVersion();
    }

    /**
     * How long one connect attempt may take (TCP, TLS and CONNACK; default 30 s). A whole
     * {@code ManagedClient.connect()} is bounded by {@code ManagedClient.Builder.connectTimeout}.
     *
     * @return the positive per-attempt bound
     */
    public Duration attemptTimeout() {
        return connection.connectTimeout();
    }

    /**
     * The transport options for these settings.
     *
     * @param preferred the version to use when none was chosen: the transport's preferred one
     * @return options with the client id, {@value #TOKEN_USERNAME} and the token as password
     * @throws NullPointerException if {@code preferred} is null
     */
    public MqttConnectOptions toMqttConnectOptions(MqttVersion preferred) {
        return connectOptions(org, typeId, deviceId, token, host, port, connection, preferred);
    }

    private static MqttConnectOptions connectOptions(String org, String typeId, String deviceId, Secret token,
            String host, int port, ConnectionSettings connection, MqttVersion preferred) {
        Objects.requireNonNull(preferred, "preferred");
        ConnectionSettings c = connection.mqttVersion().isPresent() ? connection : connection.withMqttVersion(preferred);
        return new MqttConnectOptions(clientId(org, typeId, deviceId), Optional.of(TOKEN_USERNAME), Optional.of(token),
                host, port, c);
    }

    private static String clientId(String org, String typeId, String deviceId) {
        return "d:" + org + ":" + typeId + ":" + deviceId;
    }

    /**
     * Builds {@link DeviceOptions}.
     *
     * <p>TLS and port go together: without an explicit choice, port 1883 or 80 means plain TCP
     * and any other port TLS with the JVM's trust store; with no port either, 8883 and TLS.
     * {@link #tls(TlsSettings)} or {@link #withoutTls()} make the choice explicit, and the port
     * then defaults to 8883 or 1883 respectively.
     *
     * <p>Thread-safety: not thread-safe; use from one thread.
     */
    public static final class Builder extends ConnectionSettings.Setters<Builder> {
        private String org;
        private String typeId;
        private String deviceId;
        private Secret token;
        private String domain = DEFAULT_DOMAIN;
        private String host;
        private Integer port;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the organisation id (required).
         *
         * @param org letters and digits, at most 36, not {@code quickstart}; checked by
         *     {@link #build()}
         * @return this builder
         */
        public Builder org(String org) {
            this.org = org;
            return this;
        }

        /**
         * Sets the device type id (required).
         *
         * @param typeId at most 36 of {@code [A-Za-z0-9._-]}; checked by {@link #build()}
         * @return this builder
         */
        public Builder typeId(String typeId) {
            this.typeId = typeId;
            return this;
        }

        /**
         * Sets the device id (required).
         *
         * @param deviceId at most 36 of {@code [A-Za-z0-9._-]}; checked by {@link #build()}
         * @return this builder
         */
        public Builder deviceId(String deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        /**
         * Sets the authentication token (required).
         *
         * @param token the token, kept so that it never prints
         * @return this builder
         * @throws NullPointerException if {@code token} is null
         */
        public Builder token(Secret token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /**
         * Sets the authentication token (required), as {@link Secret#of(String)} wraps it.
         *
         * @param token the token in clear text, non-empty
         * @return this builder
         * @throws NullPointerException if {@code token} is null
         * @throws IllegalArgumentException if {@code token} is empty
         */
        public Builder token(String token) {
            return token(Secret.of(token));
        }

        /**
         * Sets the platform domain (default {@value DeviceOptions#DEFAULT_DOMAIN}), from which
         * the host is made unless {@link #host(String)} overrides it.
         *
         * @param domain a host name; checked by {@link #build()}
         * @return this builder
         */
        public Builder domain(String domain) {
            this.domain = domain;
            return this;
        }

        /**
         * Overrides the broker host, which is otherwise {@code <org>.messaging.<domain>}.
         *
         * @param host a host name or address literal; checked by {@link #build()}
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * Sets the broker port; see the class description for how it selects TLS.
         *
         * @param port 1..65535; checked by {@link #build()}
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Sets how long one connect attempt may take.
         *
         * @param attemptTimeout positive; checked by {@link #build()}
         * @return this builder
         * @deprecated the name clashed with {@code ManagedClient.Builder.connectTimeout}, which
         *     bounds a whole {@code connect()}; use {@link #attemptTimeout(Duration)}
         */
        @Deprecated
        @Override
        public Builder connectTimeout(Duration attemptTimeout) {
            return attemptTimeout(attemptTimeout);
        }

        /**
         * Builds the options.
         *
         * @return the validated, immutable options
         * @throws IllegalArgumentException naming the field that is missing or invalid
         */
        public DeviceOptions build() {
            if (token == null) {
                throw new IllegalArgumentException("token is required");
            }
            Identifiers.requireOrgId("org", org);
            int p = port != null ? port : (tlsChosen() && settings(Optional.empty()).tls().isEmpty() ? PLAIN_PORT : TLS_PORT);
            // Without an explicit choice the port decides: 1883 and 80 are plain, anything else TLS.
            ConnectionSettings c = settings(p == PLAIN_PORT || p == 80 ? Optional.empty() : Optional.of(TlsSettings.defaults()));
            String h = host != null ? host : org + ".messaging." + domain;
            return new DeviceOptions(org, typeId, deviceId, token, domain, h, p, c);
        }
    }
}
