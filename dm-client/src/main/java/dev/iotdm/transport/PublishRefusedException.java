package dev.iotdm.transport;

/**
 * The broker answered a QoS 1 publish with a PUBACK whose MQTT 5 reason code is a failure
 * (0x80 and up, e.g. 0x87 not authorized, 0x97 quota exceeded): the message was not accepted.
 * The future of {@link MqttTransport#publish} fails with it, whichever the transport.
 *
 * <p>Thread-safety: immutable.
 */
public final class PublishRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The topic of the refused publish. */
    private final String topic;
    /** The PUBACK reason code, 0x80..0xFF. */
    private final int reasonCode;

    /**
     * Creates the exception.
     *
     * @param topic the topic of the refused publish
     * @param reasonCode the PUBACK reason code, 0x80..0xFF
     * @throws IllegalArgumentException if the code is not a failure code
     */
    public PublishRefusedException(String topic, int reasonCode) {
        super("the broker refused the publish to '" + topic + "' with PUBACK reason code 0x"
                + Integer.toHexString(reasonCode) + " (" + name(reasonCode) + ")");
        if (reasonCode < 0x80 || reasonCode > 0xFF) {
            throw new IllegalArgumentException("reasonCode must be a failure code 0x80..0xFF, was 0x"
                    + Integer.toHexString(reasonCode));
        }
        this.topic = topic;
        this.reasonCode = reasonCode;
    }

    /**
     * The topic of the refused publish.
     *
     * @return the topic name as published
     */
    public String topic() {
        return topic;
    }

    /**
     * Why the broker refused it.
     *
     * @return the PUBACK reason code (MQTT 5 §3.4.2.1), 0x80..0xFF
     */
    public int reasonCode() {
        return reasonCode;
    }

    private static String name(int code) {
        return switch (code) {
            case 0x80 -> "unspecified error";
            case 0x83 -> "implementation specific error";
            case 0x87 -> "not authorized";
            case 0x90 -> "topic name invalid";
            case 0x91 -> "packet identifier in use";
            case 0x97 -> "quota exceeded";
            case 0x99 -> "payload format invalid";
            default -> "unknown reason code";
        };
    }
}
