package dev.iotdm.protocol.session;

/**
 * Why a publish the session asked for did not reach the broker, as the driver reports it to
 * {@link DeviceSession#publishFailed}. Pure values: the engine never sees a transport's exception.
 */
public enum PublishFailure {
    /** There was no connection, or it was lost before the broker acknowledged the publish. */
    NOT_CONNECTED,
    /** The broker refused the publish (an MQTT 5 PUBACK reason code of 0x80 or above). */
    REFUSED_BY_BROKER,
    /** The encoded publish exceeds a size limit of the broker or of the protocol. */
    TOO_LARGE,
    /** The transport's in-flight window was full, so the publish was not written. */
    WINDOW_FULL
}
