package dev.iotdm.transport.paho.internal;

import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.NotConnectedException;
import dev.iotdm.transport.WindowFullException;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.SubscribeResult;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Owns the translation of Paho's results and errors into the transport SPI's values: connect
 * failures, SUBACK and PUBACK reason codes, failed operations and the cause of a lost
 * connection. Pure functions, so they are tested without a broker.
 *
 * <p>Thread-safety: stateless.
 */
public final class PahoTranslation {

    /** The first MQTT 5 reason code that means failure (MQTT 5 §2.4). */
    private static final int FAILURE = 0x80;

    /** Paho's codes for "the connection is gone or going": the SPI's NotConnectedException. */
    private static final Set<Integer> CONNECTION_GONE = Set.of(
            (int) MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED,
            (int) MqttClientException.REASON_CODE_CLIENT_DISCONNECTING,
            (int) MqttClientException.REASON_CODE_CLIENT_ALREADY_DISCONNECTED,
            (int) MqttClientException.REASON_CODE_CONNECTION_LOST,
            // 32000: no answer to a ping within the keep-alive; the connection is being dropped.
            (int) MqttClientException.REASON_CODE_CLIENT_TIMEOUT,
            (int) MqttClientException.REASON_CODE_CLIENT_CLOSED,
            (int) MqttClientException.REASON_CODE_SERVER_DISCONNECTED);

    private PahoTranslation() {
    }

    /**
     * Why a connect attempt failed: a refused CONNACK keeps its reason code (mapped with
     * {@link ConnectFailure#fromConnack}), network and TLS errors are worded by
     * {@link ConnectFailure#fromNetworkError} (the same text on every transport), a socket
     * timeout is {@link ConnectFailure.TimedOut} naming what was waited for, and a connection
     * closed before CONNACK is {@link ConnectFailure.Unreachable}.
     *
     * @param error what Paho reported
     * @param options the options of the attempt (for the address and the timeout)
     * @param waitingFor what the attempt was waiting for when it failed, e.g. "the CONNACK from
     *     127.0.0.1:1883" ({@link SocketModule#waitingFor()})
     * @return the classified failure; {@link ConnectFailure.Other} with code -1 when none fits
     */
    public static ConnectFailure connectFailure(Throwable error, MqttConnectOptions options, String waitingFor) {
        String address = options.host() + ":" + options.port();
        if (error instanceof MqttException m && m.getReasonCode() >= FAILURE && m.getReasonCode() <= 0xFF) {
            // Paho throws the CONNACK's reason code itself; the reason string is not kept.
            return ConnectFailure.fromConnack(MqttVersion.MQTT_5, m.getReasonCode(), Optional.empty());
        }
        Optional<ConnectFailure> network = ConnectFailure.fromNetworkError(error, options.host(), options.port(),
                options.tls().isPresent());
        if (network.isPresent()) {
            return network.get();
        }
        if (options.tls().isPresent()) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                String m = String.valueOf(t.getMessage());
                if (t instanceof SocketException && (m.contains("Broken pipe") || m.contains("Connection reset"))) {
                    // With TLS 1.3 a server judges the client certificate after the client's handshake
                    // ends; its alert races our CONNECT, and when the close wins Paho sees only a reset.
                    return new ConnectFailure.TlsFailure(address + ": the server closed the TLS connection right"
                            + " after the handshake (" + describe(t) + "); a TLS 1.3 server does this when it refuses"
                            + " the client certificate");
                }
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return new ConnectFailure.TimedOut(options.connectTimeout(), waitingFor);
            }
            if (t instanceof SocketException || t instanceof EOFException) {
                return new ConnectFailure.Unreachable(address + ": " + describe(t));
            }
        }
        if (error instanceof MqttException m && (CONNECTION_GONE.contains(m.getReasonCode())
                || m.getReasonCode() == MqttClientException.REASON_CODE_SERVER_CONNECT_ERROR)) {
            return new ConnectFailure.Unreachable(address + ": the connection closed before CONNACK ("
                    + describe(error) + ")");
        }
        return new ConnectFailure.Other(-1, address + ": " + describe(error));
    }

    /**
     * {@link #connectFailure(Throwable, MqttConnectOptions, String)} waiting for the CONNACK.
     *
     * @param error what Paho reported
     * @param options the options of the attempt (for the address and the timeout)
     * @return the classified failure
     */
    public static ConnectFailure connectFailure(Throwable error, MqttConnectOptions options) {
        return connectFailure(error, options, "the CONNACK from " + options.host() + ":" + options.port());
    }

    /**
     * The failure of a publish or subscribe: {@link NotConnectedException} when the connection is
     * gone or going, {@link IllegalArgumentException} for a message larger than the broker
     * accepts, otherwise an {@link IOException} naming Paho's reason code.
     *
     * @param what the operation, e.g. {@code publish to 'a/b'}
     * @param error what Paho reported
     * @return the exception to fail the operation's future with; its message starts with
     *     {@code what}
     */
    public static Exception operationFailure(String what, Throwable error) {
        if (error instanceof MqttException m) {
            int code = m.getReasonCode();
            if (CONNECTION_GONE.contains(code)) {
                return new NotConnectedException(what + " failed: not connected (" + describe(m) + ")", rootCause(m));
            }
            if (code == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                // 32202 "too many publishes in progress": nothing was written; never a silent drop.
                return new WindowFullException(what + " failed: the in-flight window is full (" + describe(m) + ")");
            }
            if (code == MqttClientException.REASON_CODE_OUTGOING_PACKET_TOO_LARGE) {
                return new IllegalArgumentException(what + " failed: the message is larger than the broker's"
                        + " maximum packet size");
            }
            return new IOException(what + " failed: Paho reason code " + code + ": " + describe(m), rootCause(m));
        }
        return new IOException(what + " failed: " + describe(error), error);
    }

    /**
     * The SUBACK reason codes as one result per filter: 0, 1 and 2 are granted QoS (2, which a
     * broker may not grant to a request for at most 1, counts as at least once), 0x80 and up are
     * refusals.
     *
     * @param codes the SUBACK reason codes, one per filter
     * @param filters how many filters the SUBSCRIBE had
     * @return one result per filter, in the SUBSCRIBE's order; unmodifiable
     * @throws IllegalStateException if the count differs or a code is not a SUBACK code
     */
    public static List<SubscribeResult> subscribeResults(int[] codes, int filters) {
        if (codes == null || codes.length != filters) {
            throw new IllegalStateException("the SUBACK has " + (codes == null ? 0 : codes.length)
                    + " reason codes for " + filters + " topic filters");
        }
        List<SubscribeResult> results = new ArrayList<>(codes.length);
        for (int code : codes) {
            if (code == 0) {
                results.add(new SubscribeResult.Granted(Qos.AT_MOST_ONCE));
            } else if (code == 1 || code == 2) {
                results.add(new SubscribeResult.Granted(Qos.AT_LEAST_ONCE));
            } else if (code >= FAILURE && code <= 0xFF) {
                results.add(new SubscribeResult.Refused(code));
            } else {
                throw new IllegalStateException("the SUBACK holds an invalid reason code 0x" + Integer.toHexString(code));
            }
        }
        return List.copyOf(results);
    }

    /**
     * The failure code of a PUBACK, or empty when the broker accepted the message (reason codes
     * below 0x80, e.g. 0x10 no matching subscribers, are successes).
     *
     * @param codes the PUBACK reason codes as Paho keeps them; null or empty means success
     * @return the first code of 0x80 or more, or empty
     */
    public static OptionalInt pubackRefusal(int[] codes) {
        if (codes == null) {
            return OptionalInt.empty();
        }
        for (int code : codes) {
            if (code >= FAILURE) {
                return OptionalInt.of(code);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * The QoS an inbound message arrived with.
     *
     * @param qos Paho's QoS number, 0 to 2
     * @return {@link Qos#AT_MOST_ONCE} for 0, else {@link Qos#AT_LEAST_ONCE} (QoS 2, never asked
     *     for, counts as at least once)
     */
    public static Qos inboundQos(int qos) {
        return qos == 0 ? Qos.AT_MOST_ONCE : Qos.AT_LEAST_ONCE;
    }

    /**
     * Why an established connection ended: the broker's DISCONNECT with its reason code and
     * string, or the network error behind Paho's exception.
     *
     * @param response what Paho's {@code disconnected} callback received, may be null
     * @return an {@link IOException} to pass to {@code connectionLost}, naming the reason code or
     *     the network error
     */
    public static Throwable lossCause(MqttDisconnectResponse response) {
        if (response == null) {
            return new IOException("the connection was lost");
        }
        MqttException e = response.getException();
        if (e != null) {
            Throwable root = rootCause(e);
            return new IOException("the connection was lost: " + describe(e), root == e ? null : root);
        }
        String reason = response.getReasonString();
        return new IOException("the broker sent DISCONNECT with reason code 0x"
                + Integer.toHexString(response.getReturnCode()) + (reason == null ? "" : ": " + reason));
    }

    /** The innermost non-Paho cause of {@code e}, or {@code e} itself. */
    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** A short text for an exception: its message, else its class, plus the innermost cause. */
    static String describe(Throwable t) {
        String own = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        Throwable root = rootCause(t);
        if (root == t) {
            return own;
        }
        String inner = root.getMessage() != null ? root.getClass().getSimpleName() + ": " + root.getMessage()
                : root.getClass().getSimpleName();
        return own.equals(root.getMessage()) ? inner : own + " (" + inner + ")";
    }
}
