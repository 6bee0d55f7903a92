package dev.iotdm.transport;

/**
 * Receives what arrives on an MQTT connection. The core implements it; a transport calls it.
 *
 * <p>The successful connect itself (with its session-present flag) is not a listener call: it is
 * the result ({@link ConnectResult}) of the future returned by
 * {@link MqttTransport#connect(MqttConnectOptions, TransportListener)}.
 *
 * <p>Threading: transports call these methods from their I/O thread (or, for a library that
 * calls back from several threads, from the thread that saw the event), with no hand-off of their
 * own, one call at a time and in arrival order for one connection; a {@link SerialExecutor} over
 * a direct executor keeps that promise without a thread. Implementations must return quickly and
 * must never block: no waiting on a future, lock or queue with a bound. In particular they must
 * not wait for a transport call to complete (that would stall the very thread that completes it;
 * Paho's {@code messageArrived} deadlock). Hand the work to another executor instead: the client
 * hands each call to its session's serial executor, the one thread hand-off between the socket
 * and the session, which therefore never runs on a transport thread.
 */
public interface TransportListener {

    /**
     * A PUBLISH arrived on a subscribed topic. For QoS 1 the transport sends PUBACK after this
     * method returns, so a message handed over here is the listener's to keep.
     *
     * @param topic the topic name of the message
     * @param payload the payload; the listener owns this array
     * @param qos the QoS the message was delivered with
     * @param duplicate the DUP flag: the broker may have sent this message before
     */
    void messageArrived(String topic, byte[] payload, Qos qos, boolean duplicate);

    /**
     * An established connection ended without {@link MqttTransport#disconnect()} or
     * {@link MqttTransport#close()} being called: socket closed, keep-alive timeout, broker
     * DISCONNECT, session taken over by another client with the same id. Called at most once per
     * successful connect, after {@link MqttTransport#isConnected()} has become false and after
     * pending publish and subscribe futures have failed. Never called for a failed connect attempt
     * (its future fails instead).
     *
     * @param cause why the connection ended, as far as the transport knows
     */
    void connectionLost(Throwable cause);

    /**
     * Room returned to the in-flight window ({@link MqttTransport#inFlightCapacity()} grew, e.g. a
     * PUBACK arrived): publishes that waited for it may go now. Called on the I/O thread like the
     * other methods. The default does nothing, for listeners that never wait.
     */
    default void onWritable() {
    }
}
