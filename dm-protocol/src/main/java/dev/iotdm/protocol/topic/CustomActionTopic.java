package dev.iotdm.protocol.topic;

/**
 * {@code iotdm-1/mgmt/custom/<bundleId>/<actionId>}: a device-management extension action
 * (protocol.md §8.3).
 *
 * @param bundleId the extension bundle, as advertised in manage {@code d.supports}
 * @param actionId the action within the bundle
 */
public record CustomActionTopic(String bundleId, String actionId) implements Topic {

    static final String PREFIX = "iotdm-1/mgmt/custom/";

    /**
     * Validates both ids as topic levels (§8.1 allows only {@code [A-Za-z0-9._-]}).
     *
     * @param bundleId the extension bundle, as advertised in manage {@code d.supports}
     * @param actionId the action within the bundle
     * @throws IllegalArgumentException naming the id that is empty, too long or has a character outside
     *     {@code [A-Za-z0-9._-]}
     */
    public CustomActionTopic {
        Identifiers.requireBundleId("bundleId", bundleId);
        Identifiers.requireBundleId("actionId", actionId);
    }

    @Override
    public String topicName() {
        return PREFIX + bundleId + '/' + actionId;
    }

    @Override
    public Direction direction() {
        return Direction.PLATFORM_TO_DEVICE;
    }

    @Override
    public String toString() {
        return topicName();
    }
}
