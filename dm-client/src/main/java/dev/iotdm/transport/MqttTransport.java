package dev.iotdm.transport;

import dev.iotdm.protocol.codec.WireText;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One MQTT client connection, as the core needs it. A transport module (Paho, Netty, the
 * in-memory testkit) implements this by translating to its library and nothing more: no
 * protocol logic, no JSON, no reconnect.
 *
 * <p><b>Lifecycle.</b> A transport is created disconnected. {@link #connect} opens a connection;
 * after a loss ({@link TransportListener#connectionLost}) or a {@link #disconnect()}, the core's
 * connection supervisor may call {@code connect} again <em>on the same instance</em> (with the
 * same or other options) as often as it likes. Reconnecting is never the transport's job: it
 * must not reconnect by itself. {@link #close()} ends the instance for good.
 *
 * <p><b>Errors.</b> Invalid arguments (null, empty list, a topic with wildcards) throw at once
 * ({@link NullPointerException} / {@link IllegalArgumentException}); everything else completes
 * the returned future exceptionally:
 * <ul>
 *   <li>{@link ConnectFailureException} for a failed connect;</li>
 *   <li>{@link NotConnectedException} for a publish or subscribe while not connected, or one
 *       still pending when the connection ended;</li>
 *   <li>{@link WindowFullException} for a QoS 1 publish beyond the in-flight window
 *       ({@link #inFlightCapacity()}); nothing was written;</li>
 *   <li>{@link PublishRefusedException} for a QoS 1 publish the broker refused in its PUBACK;</li>
 *   <li>{@link IllegalStateException} for a call in the wrong state (connect while connected or
 *       connecting, anything but {@code close()} and {@code isConnected()} after close).</li>
 * </ul>
 *
 * <p><b>Delivery.</b> Futures complete on the transport's I/O thread; callers must not block
 * there (see {@link TransportListener}). A QoS 1 publish whose future failed may or may not have
 * reached the broker, and a transport that resumes a kept session may send it again after the
 * next connect: QoS 1 means at least once.
 *
 * <p>Thread-safety: implementations must be safe for concurrent use by multiple threads.
 */
public interface MqttTransport extends AutoCloseable {

    /**
     * Opens a connection: TCP, TLS when {@code options.tls()} is set (with host name
     * verification as configured there), then CONNECT/CONNACK, all within
     * {@code options.connectTimeout()}.
     *
     * @param options what to connect to and how
     * @param listener receives messages and the loss of this connection
     * @return completes with the CONNACK's session-present flag once the broker accepted the
     *         connection, or fails with {@link ConnectFailureException} (codes mapped with
     *         {@link ConnectFailure#fromConnack}); on failure nothing stays open
     */
    CompletableFuture<ConnectResult> connect(MqttConnectOptions options, TransportListener listener);

    /**
     * Sends one SUBSCRIBE with all the given filters.
     *
     * @param subscriptions the filters, at least one
     * @return completes on SUBACK with one result per filter, in the order given (a refused
     *         filter is a {@link SubscribeResult.Refused}, not a failed future); fails with
     *         {@link NotConnectedException} if not connected or the connection ends first
     */
    CompletableFuture<List<SubscribeResult>> subscribe(List<Subscription> subscriptions);

    /**
     * Publishes a message, never retained (protocol.md §1.9, §1.11).
     *
     * @param topic the topic name: non-empty, without {@code +} or {@code #}
     * @param payload the payload; the transport does not modify it, and the caller must not
     *        modify it until the future completes
     * @param qos the QoS to publish with
     * @return completes when the broker sent PUBACK (QoS 1) or when the message was written to
     *         the connection (QoS 0); fails with {@link NotConnectedException} if not connected or
     *         the connection ends first
     */
    CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos);

    /**
     * Sends DISCONNECT and closes the connection. No {@link TransportListener#connectionLost}
     * follows; pending publishes and subscribes fail with {@link NotConnectedException}.
     *
     * @return completes once the connection is closed; completes at once if not connected
     */
    CompletableFuture<Void> disconnect();

    /**
     * The MQTT versions this transport speaks. The default claims both, which suits transports
     * that do not look at the version (the in-memory test broker); a transport bound to one
     * version overrides it, and {@code ManagedClient.Builder.build()} refuses a version not in it.
     *
     * @return the supported versions, never empty
     */
    default Set<MqttVersion> supportedVersions() {
        return EnumSet.allOf(MqttVersion.class);
    }

    /**
     * The version a client uses when the application chose none: MQTT 3.1.1 (the platform's,
     * protocol.md §1.6) when supported, else the first supported one.
     *
     * @return one of {@link #supportedVersions()}
     */
    default MqttVersion preferredVersion() {
        return MqttVersion.preferredOf(supportedVersions());
    }

    /**
     * How many more QoS 1 publishes the in-flight window takes now (publishes written and not yet
     * acknowledged count against it); {@link Integer#MAX_VALUE} for a transport without a window.
     * A publish beyond it fails at once with {@link WindowFullException}; the transport calls
     * {@link TransportListener#onWritable()} when room returns. The default: no window.
     *
     * @return the free places in the window now, 0 or more; only a hint under concurrent publishes
     */
    default int inFlightCapacity() {
        return Integer.MAX_VALUE;
    }

    /**
     * Whether a connection is up now. Safe to call in any state, after {@link #close()} too.
     *
     * @return true between a successful connect and the loss, disconnect or close of that
     *     connection
     */
    boolean isConnected();

    /**
     * Disconnects if connected (without waiting longer than a short bound) and releases every
     * thread and resource of this transport. Idempotent; never throws.
     */
    @Override
    void close();

    /**
     * Checks a {@link #publish} call's arguments as every transport must, before anything is sent:
     * no null, and a topic that is non-empty without the wildcards {@code +} and {@code #} or NUL.
     *
     * @param topic the topic name to check
     * @param payload the payload, any bytes
     * @param qos the QoS
     * @throws NullPointerException naming the null argument
     * @throws IllegalArgumentException naming the topic (escaped) and what is wrong with it
     */
    static void checkPublish(String topic, byte[] payload, Qos qos) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        if (topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0 || topic.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a publish topic must be non-empty without the wildcards '+' or '#'"
                    + " or NUL: '" + WireText.escape(topic) + "'");
        }
    }
}
