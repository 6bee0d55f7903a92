package dev.iotdm.transport.netty;

/**
 * The broker answered a QoS 1 publish with an MQTT 5 PUBACK reason code of 0x80 or more (e.g.
 * 0x87 not authorized, 0x97 quota exceeded): the message was not accepted and is not re-sent.
 *
 * <p>Thread-safety: immutable.
 */
public final class PublishRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int reasonCode;

    /**
     * Creates the exception.
     *
     * @param escapedTopic the topic of the refused publish, already escaped for logs
     * @param reasonCode the PUBACK reason code
     */
    public PublishRefusedException(String escapedTopic, int reasonCode) {
        super("the broker refused the publish to '" + escapedTopic + "' with PUBACK reason code 0x"
                + Integer.toHexString(reasonCode));
        this.reasonCode = reasonCode;
    }

    /** The PUBACK reason code (MQTT 5 §3.4.2.1). */
    public int reasonCode() {
        return reasonCode;
    }
}
