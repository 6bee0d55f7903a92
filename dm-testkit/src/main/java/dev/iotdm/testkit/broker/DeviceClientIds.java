package dev.iotdm.testkit.broker;

import dev.iotdm.protocol.topic.Identifiers;

/**
 * Builds and recognises device client ids {@code d:<orgId>:<typeId>:<deviceId>} (protocol.md §1.4).
 * Stateless.
 */
final class DeviceClientIds {

    private DeviceClientIds() {
    }

    /** The client id of a device; throws {@link IllegalArgumentException} naming a bad part. */
    static String of(String orgId, String typeId, String deviceId) {
        Identifiers.requireOrgId("orgId", orgId);
        Identifiers.requireDeviceId("typeId", typeId);
        Identifiers.requireDeviceId("deviceId", deviceId);
        return "d:" + orgId + ":" + typeId + ":" + deviceId;
    }

    /** Whether {@code clientId} is a well-formed device client id. Never throws. */
    static boolean isDevice(String clientId) {
        if (clientId == null || !clientId.startsWith("d:")) {
            return false;
        }
        String[] parts = clientId.split(":", -1);
        return parts.length == 4
                && Identifiers.checkOrgId(parts[1]).isEmpty()
                && Identifiers.checkDeviceId(parts[2]).isEmpty()
                && Identifiers.checkDeviceId(parts[3]).isEmpty();
    }
}
