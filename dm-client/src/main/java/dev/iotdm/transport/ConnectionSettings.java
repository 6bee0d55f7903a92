package dev.iotdm.transport;

import dev.iotdm.transport.tls.TlsSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The MQTT connection settings that a device's options ({@code DeviceOptions}) and a transport's
 * options ({@link MqttConnectOptions}) share: TLS, session, keep-alive, MQTT version and connect
 * timeout. One type, validated once, set through one builder base ({@link Setters}) that both
 * builders extend.
 *
 * <p>Session semantics are the same for both MQTT versions: {@code cleanSession = true} starts a
 * new session that ends with the connection ({@code sessionExpiry} must then be zero);
 * {@code cleanSession = false} resumes the broker's session if one exists and asks the broker to
 * keep it for {@code sessionExpiry} after the connection ends. MQTT 3.1.1 has no session expiry on
 * the wire, so there the broker's own policy applies. Durations are whole seconds.
 *
 * <p>Thread-safety: immutable.
 *
 * @param tls TLS settings, or empty for plain TCP
 * @param cleanSession whether to start a fresh session (MQTT 3.1.1 CleanSession, MQTT 5 Clean Start)
 * @param sessionExpiry how long the broker keeps the session after a disconnect; 0 when clean
 * @param keepAlive the keep-alive interval, 0 (off) to 65535 s
 * @param mqttVersion the MQTT version, or empty for the transport's preferred one
 *     ({@link MqttTransport#preferredVersion()})
 * @param connectTimeout how long to wait for the TCP, TLS and CONNACK exchange, positive
 */
public record ConnectionSettings(Optional<TlsSettings> tls, boolean cleanSession, Duration sessionExpiry,
        Duration keepAlive, Optional<MqttVersion> mqttVersion, Duration connectTimeout) {

    /** Session expiry used when a session is kept and none was given. */
    public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofSeconds(3600);
    /** Keep-alive used when none was given (protocol.md §1.7). */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(60);
    /** Connect timeout used when none was given. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** Largest session expiry MQTT 5 can express (0xFFFFFFFF s means "never expires"). */
    private static final long MAX_SESSION_EXPIRY_SECONDS = 0xFFFF_FFFFL;

    /**
     * Validates every component.
     *
     * @param tls TLS settings, or empty for plain TCP
     * @param cleanSession whether to start a fresh session
     * @param sessionExpiry whole seconds, 0 to 0xFFFFFFFF; must be 0 when {@code cleanSession}
     * @param keepAlive whole seconds, 0 (off) to 65535
     * @param mqttVersion the MQTT version, or empty for the transport's preferred one
     * @param connectTimeout how long one connect attempt may take, positive
     * @throws NullPointerException if any argument is null
     * @throws IllegalArgumentException naming the field that is out of bounds
     */
    public ConnectionSettings {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(sessionExpiry, "sessionExpiry");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(mqttVersion, "mqttVersion");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        wholeSeconds("keepAlive", keepAlive, 65535);
        wholeSeconds("sessionExpiry", sessionExpiry, MAX_SESSION_EXPIRY_SECONDS);
        if (cleanSession && !sessionExpiry.isZero()) {
            throw new IllegalArgumentException("sessionExpiry must be 0 when cleanSession is true (a clean session"
                    + " ends with the connection), was " + sessionExpiry.toSeconds() + " s");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
        }
    }

    private static void wholeSeconds(String field, Duration d, long maxSeconds) {
        if (d.isNegative() || d.getNano() != 0 || d.getSeconds() > maxSeconds) {
            throw new IllegalArgumentException(field + " must be whole seconds from 0 to " + maxSeconds + ", was " + d);
        }
    }

    /**
     * These settings with the MQTT version chosen, e.g. once a transport has picked its preferred
     * one.
     *
     * @param version the version to use
     * @return a copy with {@code mqttVersion} set; every other component unchanged
     * @throws NullPointerException if {@code version} is null
     */
    public ConnectionSettings withMqttVersion(MqttVersion version) {
        return new ConnectionSettings(tls, cleanSession, sessionExpiry, keepAlive,
                Optional.of(Objects.requireNonNull(version, "version")), connectTimeout);
    }

    /**
     * The setters both option builders share, and the defaults: plain TCP unless TLS is set,
     * clean session, session expiry 0 when clean and 3600 s otherwise, keep-alive 60 s, the
     * transport's preferred MQTT version, connect timeout 30 s.
     *
     * <p>Thread-safety: not thread-safe; use from one thread.
     *
     * @param <B> the concrete builder, returned by every setter
     */
    public abstract static class Setters<B extends Setters<B>> {
        private TlsSettings tls;
        private boolean tlsChosen;
        private boolean cleanSession = true;
        private Duration sessionExpiry;
        private Duration keepAlive = DEFAULT_KEEP_ALIVE;
        private MqttVersion mqttVersion;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

        /** For subclasses. */
        protected Setters() {
        }

        /**
         * This builder, typed as the subclass, so that the shared setters chain.
         *
         * @return {@code this}
         */
        protected abstract B self();

        /**
         * Connects with TLS using these settings.
         *
         * @param tls the TLS settings; {@code null} means plain TCP, as {@link #withoutTls()}
         * @return this builder
         */
        public B tls(TlsSettings tls) {
            this.tls = tls;
            this.tlsChosen = true;
            return self();
        }

        /**
         * Connects over plain TCP; credentials travel in clear text. For local test brokers.
         *
         * @return this builder
         */
        public B withoutTls() {
            return tls(null);
        }

        /**
         * Asks for a clean session (default true).
         *
         * @param cleanSession true to start a session that ends with the connection; false to
         *     resume the broker's session and keep it for {@link #sessionExpiry(Duration)}
         * @return this builder
         */
        public B cleanSession(boolean cleanSession) {
            this.cleanSession = cleanSession;
            return self();
        }

        /**
         * Sets how long a kept session survives a disconnect (default 3600 s when kept, 0 when
         * clean). Checked when the options are built.
         *
         * @param sessionExpiry whole seconds, 0 to 0xFFFFFFFF; must be 0 with a clean session
         * @return this builder
         * @throws NullPointerException if {@code sessionExpiry} is null
         */
        public B sessionExpiry(Duration sessionExpiry) {
            this.sessionExpiry = Objects.requireNonNull(sessionExpiry, "sessionExpiry");
            return self();
        }

        /**
         * Sets the keep-alive interval (default 60 s). Checked when the options are built.
         *
         * @param keepAlive whole seconds, 0 (off) to 65535
         * @return this builder
         * @throws NullPointerException if {@code keepAlive} is null
         */
        public B keepAlive(Duration keepAlive) {
            this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
            return self();
        }

        /**
         * Sets the MQTT version (default: the transport's preferred version).
         *
         * @param mqttVersion the version; a transport that does not support it fails the connect
         * @return this builder
         * @throws NullPointerException if {@code mqttVersion} is null
         */
        public B mqttVersion(MqttVersion mqttVersion) {
            this.mqttVersion = Objects.requireNonNull(mqttVersion, "mqttVersion");
            return self();
        }

        /**
         * Sets how long one connect attempt may take: the TCP connection, the TLS handshake and
         * the CONNACK (default 30 s). Not to be confused with {@code ManagedClient.Builder.connectTimeout},
         * which bounds a whole {@code connect()} including retries and the subscription.
         *
         * @param attemptTimeout positive; checked when the options are built
         * @return this builder
         * @throws NullPointerException if {@code attemptTimeout} is null
         */
        public B attemptTimeout(Duration attemptTimeout) {
            this.connectTimeout = Objects.requireNonNull(attemptTimeout, "attemptTimeout");
            return self();
        }

        /**
         * The transport SPI's name for {@link #attemptTimeout(Duration)}: how long one connect
         * attempt may take (a transport's connect is one attempt).
         *
         * @param connectTimeout positive; checked when the options are built
         * @return this builder
         * @throws NullPointerException if {@code connectTimeout} is null
         */
        public B connectTimeout(Duration connectTimeout) {
            return attemptTimeout(connectTimeout);
        }

        /**
         * Whether the caller chose between TLS and plain TCP, so a subclass can apply its default.
         *
         * @return true once {@link #tls} or {@link #withoutTls} was called
         */
        protected boolean tlsChosen() {
            return tlsChosen;
        }

        /**
         * The settings, with {@code defaultTls} when neither {@link #tls} nor
         * {@link #withoutTls} was called.
         *
         * @param defaultTls the TLS to use when the caller did not choose; empty for plain TCP
         * @return the validated settings
         * @throws IllegalArgumentException naming the invalid field
         */
        protected ConnectionSettings settings(Optional<TlsSettings> defaultTls) {
            Duration expiry = sessionExpiry != null ? sessionExpiry : (cleanSession ? Duration.ZERO : DEFAULT_SESSION_EXPIRY);
            return new ConnectionSettings(tlsChosen ? Optional.ofNullable(tls) : defaultTls, cleanSession, expiry,
                    keepAlive, Optional.ofNullable(mqttVersion), connectTimeout);
        }
    }
}
