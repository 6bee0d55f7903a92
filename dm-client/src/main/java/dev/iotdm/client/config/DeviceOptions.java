package dev.iotdm.client.config;

import dev.iotdm.transport.tls.TlsSettings;
import dev.iotdm.protocol.topic.Identifiers;
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
 * @param tls TLS settings, or empty for plain TCP (the token then travels in clear text)
 * @param cleanSession whether each connection starts a fresh session (default true)
 * @param keepAlive the MQTT keep-alive (default 60 s)
 * @param sessionExpiry how long a kept session outlives a disconnect: 0 when clean, default 3600 s otherwise
 * @param mqttVersion the MQTT version (default 3.1.1, protocol.md §12.33)
 * @param connectTimeout how long one connect attempt may take (default 30 s)
 */
public record DeviceOptions(String org, String typeId, String deviceId, Secret token, String domain, String host,
        int port, Optional<TlsSettings> tls, boolean cleanSession, Duration keepAlive, Duration sessionExpiry,
        MqttVersion mqttVersion, Duration connectTimeout) {

    /** The platform domain unless configured otherwise (protocol.md §1.1). */
    public static final String DEFAULT_DOMAIN = "internetofthings.ibmcloud.com";
    /** The MQTT user name of token authentication (protocol.md §1.5). */
    public static final String TOKEN_USERNAME = "use-token-auth";
    /** The port of MQTT over TLS (protocol.md §1.2). */
    public static final int TLS_PORT = 8883;
    /** The port of plain MQTT (protocol.md §1.2). */
    public static final int PLAIN_PORT = 1883;

    /** Validates every component. */
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
        // The transport-level rules (port, durations, session expiry) live in one place.
        connectOptions(org, typeId, deviceId, token, host, port, tls, cleanSession, keepAlive, sessionExpiry,
                mqttVersion, connectTimeout);
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

    /** A builder; org, typeId, deviceId and token are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The MQTT client id {@code d:<org>:<typeId>:<deviceId>} (protocol.md §1.4). */
    public String clientId() {
        return clientId(org, typeId, deviceId);
    }

    /** The MQTT user name, always {@value #TOKEN_USERNAME}. */
    public String username() {
        return TOKEN_USERNAME;
    }

    /** The transport options for these settings. */
    public MqttConnectOptions toMqttConnectOptions() {
        return connectOptions(org, typeId, deviceId, token, host, port, tls, cleanSession, keepAlive, sessionExpiry,
                mqttVersion, connectTimeout);
    }

    private static String clientId(String org, String typeId, String deviceId) {
        return "d:" + org + ":" + typeId + ":" + deviceId;
    }

    private static MqttConnectOptions connectOptions(String org, String typeId, String deviceId, Secret token,
            String host, int port, Optional<TlsSettings> tls, boolean cleanSession, Duration keepAlive,
            Duration sessionExpiry, MqttVersion mqttVersion, Duration connectTimeout) {
        return new MqttConnectOptions(clientId(org, typeId, deviceId), Optional.of(TOKEN_USERNAME), Optional.of(token),
                host, port, tls, cleanSession, sessionExpiry, keepAlive, mqttVersion, connectTimeout);
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
    public static final class Builder {
        private String org;
        private String typeId;
        private String deviceId;
        private Secret token;
        private String domain = DEFAULT_DOMAIN;
        private String host;
        private Integer port;
        private TlsSettings tls;
        private boolean plain;
        private boolean cleanSession = true;
        private Duration keepAlive = MqttConnectOptions.DEFAULT_KEEP_ALIVE;
        private Duration sessionExpiry;
        private MqttVersion mqttVersion = MqttVersion.MQTT_3_1_1;
        private Duration connectTimeout = MqttConnectOptions.DEFAULT_CONNECT_TIMEOUT;

        private Builder() {
        }

        /** Sets the organisation id (required). */
        public Builder org(String org) {
            this.org = org;
            return this;
        }

        /** Sets the device type id (required). */
        public Builder typeId(String typeId) {
            this.typeId = typeId;
            return this;
        }

        /** Sets the device id (required). */
        public Builder deviceId(String deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        /** Sets the authentication token (required). */
        public Builder token(Secret token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /** Sets the authentication token (required). */
        public Builder token(String token) {
            return token(Secret.of(token));
        }

        /** Sets the platform domain (default {@value DeviceOptions#DEFAULT_DOMAIN}). */
        public Builder domain(String domain) {
            this.domain = domain;
            return this;
        }

        /** Overrides the broker host, which is otherwise {@code <org>.messaging.<domain>}. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Sets the broker port; see the class description for how it selects TLS. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Connects with TLS using these settings. */
        public Builder tls(TlsSettings tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            this.plain = false;
            return this;
        }

        /** Connects over plain TCP; the token travels in clear text. For local test brokers. */
        public Builder withoutTls() {
            this.tls = null;
            this.plain = true;
            return this;
        }

        /** Chooses whether each connection starts a fresh session (default true). */
        public Builder cleanSession(boolean cleanSession) {
            this.cleanSession = cleanSession;
            return this;
        }

        /** Sets the MQTT keep-alive (default 60 s). */
        public Builder keepAlive(Duration keepAlive) {
            this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
            return this;
        }

        /** Sets how long a kept session outlives a disconnect (default 3600 s when kept). */
        public Builder sessionExpiry(Duration sessionExpiry) {
            this.sessionExpiry = Objects.requireNonNull(sessionExpiry, "sessionExpiry");
            return this;
        }

        /** Sets the MQTT version (default 3.1.1). */
        public Builder mqttVersion(MqttVersion mqttVersion) {
            this.mqttVersion = Objects.requireNonNull(mqttVersion, "mqttVersion");
            return this;
        }

        /** Sets how long one connect attempt may take (default 30 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * Builds the options.
         *
         * @throws IllegalArgumentException naming the field that is missing or invalid
         */
        public DeviceOptions build() {
            if (token == null) {
                throw new IllegalArgumentException("token is required");
            }
            Identifiers.requireOrgId("org", org);
            Optional<TlsSettings> tlsChoice;
            int p;
            if (tls != null) {
                tlsChoice = Optional.of(tls);
                p = port != null ? port : TLS_PORT;
            } else if (plain) {
                tlsChoice = Optional.empty();
                p = port != null ? port : PLAIN_PORT;
            } else {
                p = port != null ? port : TLS_PORT;
                tlsChoice = (p == PLAIN_PORT || p == 80) ? Optional.empty() : Optional.of(TlsSettings.defaults());
            }
            String h = host != null ? host : org + ".messaging." + domain;
            Duration expiry = sessionExpiry != null ? sessionExpiry
                    : (cleanSession ? Duration.ZERO : MqttConnectOptions.DEFAULT_SESSION_EXPIRY);
            return new DeviceOptions(org, typeId, deviceId, token, domain, h, p, tlsChoice, cleanSession, keepAlive,
                    expiry, mqttVersion, connectTimeout);
        }
    }
}
