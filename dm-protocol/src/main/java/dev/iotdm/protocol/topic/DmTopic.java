package dev.iotdm.protocol.topic;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fixed device-management topics of protocol.md §2.2, both directions.
 *
 * <p>Custom actions have variable levels and are {@link CustomActionTopic}s instead.
 */
public enum DmTopic implements Topic {
    /** Device asks to become or stay managed (§3.1). */
    MANAGE("iotdevice-1/mgmt/manage", Direction.DEVICE_TO_PLATFORM),
    /** Device stops being managed (§3.2). */
    UNMANAGE("iotdevice-1/mgmt/unmanage", Direction.DEVICE_TO_PLATFORM),
    /** Device reports its location (§3.3). */
    UPDATE_LOCATION("iotdevice-1/device/update/location", Direction.DEVICE_TO_PLATFORM),
    /** Device appends an error code (§3.4). */
    ADD_ERROR_CODE("iotdevice-1/add/diag/errorCodes", Direction.DEVICE_TO_PLATFORM),
    /** Device clears its error codes (§3.5). */
    CLEAR_ERROR_CODES("iotdevice-1/clear/diag/errorCodes", Direction.DEVICE_TO_PLATFORM),
    /** Device appends a diagnostic log entry (§3.6). */
    ADD_LOG("iotdevice-1/add/diag/log", Direction.DEVICE_TO_PLATFORM),
    /** Device clears its diagnostic log (§3.7). */
    CLEAR_LOG("iotdevice-1/clear/diag/log", Direction.DEVICE_TO_PLATFORM),
    /** Device reports a change of an observed attribute (§3.8). */
    NOTIFY("iotdevice-1/notify", Direction.DEVICE_TO_PLATFORM),
    /** Device answers a platform request (§3.9). */
    DEVICE_RESPONSE("iotdevice-1/response", Direction.DEVICE_TO_PLATFORM),

    /** Platform answers a device request (§4.1). */
    PLATFORM_RESPONSE("iotdm-1/response", Direction.PLATFORM_TO_DEVICE),
    /** Platform writes device attributes (§4.2). */
    DEVICE_UPDATE("iotdm-1/device/update", Direction.PLATFORM_TO_DEVICE),
    /** Platform starts observing attributes (§4.3). */
    OBSERVE("iotdm-1/observe", Direction.PLATFORM_TO_DEVICE),
    /** Platform stops observing attributes (§4.4). */
    CANCEL("iotdm-1/cancel", Direction.PLATFORM_TO_DEVICE),
    /** Platform asks for a reboot (§4.5, §7). */
    REBOOT("iotdm-1/mgmt/initiate/device/reboot", Direction.PLATFORM_TO_DEVICE),
    /** Platform asks for a factory reset (§4.6, §7). */
    FACTORY_RESET("iotdm-1/mgmt/initiate/device/factory_reset", Direction.PLATFORM_TO_DEVICE),
    /** Platform asks for a firmware download (§4.7, §6.2). */
    FIRMWARE_DOWNLOAD("iotdm-1/mgmt/initiate/firmware/download", Direction.PLATFORM_TO_DEVICE),
    /** Platform asks for a firmware install (§4.8, §6.3). */
    FIRMWARE_UPDATE("iotdm-1/mgmt/initiate/firmware/update", Direction.PLATFORM_TO_DEVICE);

    /** The filter a managed device subscribes to for every platform DM message (§1.10, §12.18). */
    public static final String DEVICE_SUBSCRIPTION = "iotdm-1/#";

    private static final Map<String, DmTopic> BY_NAME = new HashMap<>();

    static {
        for (DmTopic t : values()) {
            BY_NAME.put(t.topicName, t);
        }
    }

    private final String topicName;
    private final Direction direction;

    DmTopic(String topicName, Direction direction) {
        this.topicName = topicName;
        this.direction = direction;
    }

    /**
     * The fixed topic with this exact name, if any.
     *
     * @param name an MQTT topic name, case-sensitive
     * @return the DM topic, empty for any other name
     */
    public static Optional<DmTopic> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    @Override
    public Direction direction() {
        return direction;
    }

    @Override
    public String topicName() {
        return topicName;
    }

    @Override
    public String toString() {
        return topicName;
    }
}
