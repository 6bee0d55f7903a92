package dev.iotdm.transport;

import java.util.Objects;

/**
 * The broker's answer (SUBACK) for one topic filter of a SUBSCRIBE.
 *
 * <p>Thread-safety: immutable.
 */
public sealed interface SubscribeResult permits SubscribeResult.Granted, SubscribeResult.Refused {

    /**
     * The subscription is in place.
     *
     * @param qos the maximum QoS granted, which may be lower than asked for
     */
    record Granted(Qos qos) implements SubscribeResult {
        /**
         * Validates the component.
         *
         * @param qos the maximum QoS granted
         * @throws NullPointerException if {@code qos} is null
         */
        public Granted {
            Objects.requireNonNull(qos, "qos");
        }
    }

    /**
     * The broker refused the filter.
     *
     * @param reasonCode the SUBACK code: 0x80 in MQTT 3.1.1, an MQTT 5 reason code from 0x80 up
     *        (e.g. 0x87 not authorized, 0x8F topic filter invalid)
     */
    record Refused(int reasonCode) implements SubscribeResult {
        /**
         * Validates the code range.
         *
         * @param reasonCode the SUBACK failure code, 0x80..0xFF
         * @throws IllegalArgumentException if {@code reasonCode} is below 0x80 or above 0xFF
         */
        public Refused {
            if (reasonCode < 0x80 || reasonCode > 0xFF) {
                throw new IllegalArgumentException(
                        "reasonCode must be a failure code 0x80..0xFF, was 0x" + Integer.toHexString(reasonCode));
            }
        }
    }

    /**
     * Whether the subscription is in place.
     *
     * @return true for {@link Granted}, false for {@link Refused}
     */
    default boolean isGranted() {
        return this instanceof Granted;
    }
}
