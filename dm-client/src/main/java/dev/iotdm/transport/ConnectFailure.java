package dev.iotdm.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a connect attempt failed. Transports deliver it inside a {@link ConnectFailureException}.
 *
 * <p>Refusals by the broker keep the broker's {@code returnCode}: the MQTT 3.1.1 CONNACK return
 * code (1..5) or the MQTT 5 CONNACK reason code (0x80 and up). Every transport maps codes with
 * {@link #fromConnack(MqttVersion, int, Optional)}, so the same refusal reads the same whatever
 * the transport.
 *
 * <p>Thread-safety: all implementations are immutable records.
 */
public sealed interface ConnectFailure permits ConnectFailure.BadCredentials, ConnectFailure.NotAuthorized,
        ConnectFailure.UnsupportedProtocolVersion, ConnectFailure.ClientIdRejected,
        ConnectFailure.ServerUnavailable, ConnectFailure.Unreachable, ConnectFailure.TlsFailure,
        ConnectFailure.TimedOut, ConnectFailure.Other {

    /**
     * Says what failed, for people: logs, events and the exception message.
     *
     * @return a one-line description naming the code or cause; never contains a password or token
     */
    String describe();

    /**
     * The broker rejected the user name or password (3.1.1 code 4; MQTT 5 0x86, or 0x8C bad
     * authentication method). For the platform: wrong token or wrong device identity.
     *
     * @param returnCode the broker's code
     * @param reason the MQTT 5 reason string, if the broker sent one
     */
    record BadCredentials(int returnCode, Optional<String> reason) implements ConnectFailure {
        /**
         * Validates the components.
         *
         * @param returnCode the broker's code
         * @param reason the MQTT 5 reason string, or empty
         * @throws NullPointerException if {@code reason} is null
         */
        public BadCredentials {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String describe() {
            return text("bad user name or password", returnCode, reason);
        }
    }

    /**
     * The broker does not let this client connect (3.1.1 code 5; MQTT 5 0x87, or 0x8A banned).
     *
     * @param returnCode the broker's code
     * @param reason the MQTT 5 reason string, if the broker sent one
     */
    record NotAuthorized(int returnCode, Optional<String> reason) implements ConnectFailure {
        /**
         * Validates the components.
         *
         * @param returnCode the broker's code
         * @param reason the MQTT 5 reason string, or empty
         * @throws NullPointerException if {@code reason} is null
         */
        public NotAuthorized {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String describe() {
            return text("not authorized", returnCode, reason);
        }
    }

    /**
     * The broker does not speak the requested MQTT version (3.1.1 code 1; MQTT 5 0x84).
     *
     * @param returnCode the broker's code
     * @param reason the MQTT 5 reason string, if the broker sent one
     */
    record UnsupportedProtocolVersion(int returnCode, Optional<String> reason) implements ConnectFailure {
        /**
         * Validates the components.
         *
         * @param returnCode the broker's code
         * @param reason the MQTT 5 reason string, or empty
         * @throws NullPointerException if {@code reason} is null
         */
        public UnsupportedProtocolVersion {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String describe() {
            return text("unsupported MQTT protocol version", returnCode, reason);
        }
    }

    /**
     * The broker rejected the client id (3.1.1 code 2; MQTT 5 0x85).
     *
     * @param returnCode the broker's code
     * @param reason the MQTT 5 reason string, if the broker sent one
     */
    record ClientIdRejected(int returnCode, Optional<String> reason) implements ConnectFailure {
        /**
         * Validates the components.
         *
         * @param returnCode the broker's code
         * @param reason the MQTT 5 reason string, or empty
         * @throws NullPointerException if {@code reason} is null
         */
        public ClientIdRejected {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String describe() {
            return text("client id rejected", returnCode, reason);
        }
    }

    /**
     * The broker is up but cannot serve now (3.1.1 code 3; MQTT 5 0x88 server unavailable,
     * 0x89 busy, 0x97 quota exceeded, 0x9C use another server, 0x9D server moved, 0x9F
     * connection rate exceeded): worth retrying later.
     *
     * @param returnCode the broker's code
     * @param reason the MQTT 5 reason string, if the broker sent one
     */
    record ServerUnavailable(int returnCode, Optional<String> reason) implements ConnectFailure {
        /**
         * Validates the components.
         *
         * @param returnCode the broker's code
         * @param reason the MQTT 5 reason string, or empty
         * @throws NullPointerException if {@code reason} is null
         */
        public ServerUnavailable {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String describe() {
            return text("server unavailable", returnCode, reason);
        }
    }

    /**
     * No MQTT connection could be opened: unknown host, connection refused, network down, or the
     * peer closed the socket before CONNACK.
     *
     * @param detail what the network layer reported
     */
    record Unreachable(String detail) implements ConnectFailure {
        /**
         * Validates the components.
         *
         * @param detail what the network layer reported
         * @throws NullPointerException if {@code detail} is null
         */
        public Unreachable {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String describe() {
            return "broker unreachable: " + detail;
        }
    }

    /**
     * The TLS handshake failed: untrusted or expired server certificate, host name mismatch,
     * client certificate refused, no common protocol or cipher suite.
     *
     * @param detail what the TLS layer reported
     */
    record TlsFailure(String detail) implements ConnectFailure {
        /**
         * Validates the components.
         *
         * @param detail what the TLS layer reported
         * @throws NullPointerException if {@code detail} is null
         */
        public TlsFailure {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String describe() {
            return "TLS handshake failed: " + detail;
        }

        /**
         * The server closed the connection during the TLS handshake or answered something that is
         * not TLS: most likely a plain MQTT port.
         *
         * @param host the host connected to
         * @param port the port connected to
         * @return a failure whose detail says to use {@code withoutTls()} for a plain MQTT port
         */
        public static TlsFailure serverDidNotAnswerTls(String host, int port) {
            return new TlsFailure("the server did not answer TLS on " + host + ":" + port
                    + "; use withoutTls() for a plain MQTT port");
        }
    }

    /**
     * The attempt timed out: the connect timeout of one attempt ({@code attemptTimeout} in
     * {@code DeviceOptions}) elapsed while waiting for {@code waitedFor}.
     *
     * @param after the timeout that elapsed
     * @param waitedFor what was waited for, e.g. {@code "the CONNACK from 127.0.0.1:1883"} or
     *     {@code "the TLS handshake with 127.0.0.1:8883"}
     */
    record TimedOut(Duration after, String waitedFor) implements ConnectFailure {
        /**
         * Validates the components.
         *
         * @param after the timeout that elapsed
         * @param waitedFor what was waited for
         * @throws NullPointerException if either is null
         */
        public TimedOut {
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(waitedFor, "waitedFor");
        }

        /**
         * Waited for the CONNACK, address unknown.
         *
         * @param after the timeout that elapsed
         * @throws NullPointerException if {@code after} is null
         */
        public TimedOut(Duration after) {
            this(after, "the CONNACK");
        }

        @Override
        public String describe() {
            return "timed out after " + after.toMillis() + " ms (the attempt timeout) waiting for " + waitedFor;
        }
    }

    /**
     * Any other refusal or failure, e.g. MQTT 5 0x80 unspecified error, 0x81 malformed packet,
     * 0x82 protocol error, 0x95 packet too large.
     *
     * @param code the broker's code, or -1 when the failure did not come from the broker
     * @param detail a description
     */
    record Other(int code, String detail) implements ConnectFailure {
        /**
         * Validates the components.
         *
         * @param code the broker's code, or -1 when the failure did not come from the broker
         * @param detail a description
         * @throws NullPointerException if {@code detail} is null
         */
        public Other {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String describe() {
            return code < 0 ? "connect failed: " + detail
                    : "connect refused: " + detail + " (code " + code + " = 0x" + Integer.toHexString(code) + ")";
        }
    }

    /**
     * Classifies a network or TLS error of a connect attempt, so that every transport words the
     * same cause the same way: the TLS layer's exception anywhere in the chain is a
     * {@link TlsFailure} (an untrusted certificate, a host name the certificate does not name, or a
     * server that does not speak TLS at all, which says to use {@code withoutTls()}); an unknown
     * host, a refused connection or a connection closed before CONNACK is {@link Unreachable}.
     *
     * @param error what the network layer reported
     * @param host the host connected to
     * @param port the port connected to
     * @param tls whether the attempt used TLS (a TLS exception counts as TLS either way)
     * @return the failure, or empty when {@code error} is none of these
     */
    static Optional<ConnectFailure> fromNetworkError(Throwable error, String host, int port, boolean tls) {
        String address = host + ":" + port;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException) {
                return Optional.of(new Unreachable("unknown host " + host + " (the name does not resolve: check"
                        + " host(), or org() and domain() from which the host is made)"));
            }
        }
        // A TLS exception means TLS was in use, whatever the caller's flag says.
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
                return Optional.of(new TlsFailure(tlsProblem(t, error, host, port, address)));
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return Optional.of(new Unreachable("connection refused by " + address + ": nothing listens on that"
                        + " port (is the broker running, and is this its port?)"));
            }
            if (t instanceof java.net.NoRouteToHostException) {
                return Optional.of(new Unreachable("no route to " + address + " (" + text(t) + ")"));
            }
        }
        return Optional.empty();
    }

    /** The TLS problem in words: which check failed, and what to do. */
    private static String tlsProblem(Throwable tlsError, Throwable whole, String host, int port, String address) {
        String all = chainText(whole);
        if (all.contains("Unsupported or unrecognized SSL message") || all.contains("Remote host terminated the handshake")
                || hasCause(tlsError, java.io.EOFException.class)) {
            return TlsFailure.serverDidNotAnswerTls(host, port).detail();
        }
        if (all.contains("No subject alternative") || all.contains("No name matching")) {
            return "the server certificate of " + address + " does not name the host " + host + " ("
                    + text(deepest(tlsError)) + "); connect with a host name the certificate names";
        }
        if (all.contains("PKIX path") || all.contains("unable to find valid certification path")) {
            return "the server certificate of " + address + " is not trusted (" + text(deepest(tlsError))
                    + "); trust the CA that signed it with TlsSettings.builder().trustCaFile(...)";
        }
        if (all.contains("certificate") && (all.contains("expired") || all.contains("NotAfter"))) {
            return "the server certificate of " + address + " has expired (" + text(deepest(tlsError)) + ")";
        }
        return address + ": " + text(tlsError) + (deepest(tlsError) == tlsError ? "" : " (" + text(deepest(tlsError)) + ")");
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable deepest(Throwable t) {
        Throwable d = t;
        while (d.getCause() != null && d.getCause() != d) {
            d = d.getCause();
        }
        return d;
    }

    private static String chainText(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getMessage()).append(' ');
        }
        return b.toString();
    }

    private static String text(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /**
     * Maps a refused CONNACK to a failure, for either MQTT version.
     *
     * @param version the version of the CONNACK
     * @param code the 3.1.1 return code or the MQTT 5 reason code
     * @param reasonString the MQTT 5 reason string (always empty for 3.1.1)
     * @return the failure; a code this library does not know becomes {@link Other}
     * @throws IllegalArgumentException if {@code code} is 0 (success) or outside 0..255
     */
    static ConnectFailure fromConnack(MqttVersion version, int code, Optional<String> reasonString) {
        Objects.requireNonNull(version, "version");
        return switch (version) {
            case MQTT_3_1_1 -> fromMqtt3ReturnCode(code);
            case MQTT_5 -> fromMqtt5ReasonCode(code, reasonString);
        };
    }

    /**
     * Maps an MQTT 3.1.1 CONNACK return code: 1 unacceptable protocol version, 2 identifier
     * rejected, 3 server unavailable, 4 bad user name or password, 5 not authorized; any other
     * non-zero code becomes {@link Other}.
     *
     * @param returnCode the CONNACK return code
     * @return the failure, with an empty reason (MQTT 3.1.1 has no reason string)
     * @throws IllegalArgumentException if {@code returnCode} is 0 (accepted) or outside 0..255
     */
    static ConnectFailure fromMqtt3ReturnCode(int returnCode) {
        checkCode(returnCode);
        Optional<String> none = Optional.empty();
        return switch (returnCode) {
            case 1 -> new UnsupportedProtocolVersion(returnCode, none);
            case 2 -> new ClientIdRejected(returnCode, none);
            case 3 -> new ServerUnavailable(returnCode, none);
            case 4 -> new BadCredentials(returnCode, none);
            case 5 -> new NotAuthorized(returnCode, none);
            default -> new Other(returnCode, "unknown MQTT 3.1.1 CONNACK return code");
        };
    }

    /**
     * Maps an MQTT 5 CONNACK reason code (see the records for which code goes where); codes
     * below 0x80 other than 0 are not failures in MQTT 5 and also become {@link Other}.
     *
     * @param reasonCode the CONNACK reason code
     * @param reasonString the broker's reason string, if any
     * @return the failure, carrying {@code reasonString}
     * @throws IllegalArgumentException if {@code reasonCode} is 0 (success) or outside 0..255
     */
    static ConnectFailure fromMqtt5ReasonCode(int reasonCode, Optional<String> reasonString) {
        checkCode(reasonCode);
        Objects.requireNonNull(reasonString, "reasonString");
        Optional<String> r = reasonString;
        return switch (reasonCode) {
            case 0x84 -> new UnsupportedProtocolVersion(reasonCode, r);
            case 0x85 -> new ClientIdRejected(reasonCode, r);
            case 0x86, 0x8C -> new BadCredentials(reasonCode, r);
            case 0x87, 0x8A -> new NotAuthorized(reasonCode, r);
            case 0x88, 0x89, 0x97, 0x9C, 0x9D, 0x9F -> new ServerUnavailable(reasonCode, r);
            default -> new Other(reasonCode, r.orElse(mqtt5Name(reasonCode)));
        };
    }

    private static void checkCode(int code) {
        if (code == 0) {
            throw new IllegalArgumentException("CONNACK code 0 means the connection was accepted, not a failure");
        }
        if (code < 0 || code > 0xFF) {
            throw new IllegalArgumentException("CONNACK code must be 1..255, was " + code);
        }
    }

    private static String mqtt5Name(int code) {
        return switch (code) {
            case 0x80 -> "unspecified error";
            case 0x81 -> "malformed packet";
            case 0x82 -> "protocol error";
            case 0x83 -> "implementation specific error";
            case 0x8B -> "server shutting down";
            case 0x95 -> "packet too large";
            case 0x99 -> "payload format invalid";
            case 0x9A -> "retain not supported";
            case 0x9B -> "QoS not supported";
            default -> "unknown MQTT 5 CONNACK reason code";
        };
    }

    private static String text(String what, int code, Optional<String> reason) {
        return "connect refused: " + what + " (code " + code + " = 0x" + Integer.toHexString(code) + ")"
                + reason.map(s -> ": " + s).orElse("");
    }
}
