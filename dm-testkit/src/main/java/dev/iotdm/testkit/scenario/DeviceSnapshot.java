package dev.iotdm.testkit.scenario;

import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.Supports;
import java.util.Objects;
import java.util.Optional;

/**
 * The device's own idea of the attributes the platform records (protocol.md §11), compared with the
 * platform's record after a final re-manage.
 *
 * @param deviceInfo the device's deviceInfo
 * @param metadata its metadata, when it has any
 * @param location its last location, when it reported one
 * @param firmware its {@code mgmt.firmware}
 * @param supports what it declared in its last manage
 */
public record DeviceSnapshot(DeviceInfo deviceInfo, Optional<JsonObject> metadata, Optional<Location> location,
        FirmwareInfo firmware, Supports supports) {

    /**
     * Requires every part.
     *
     * @param deviceInfo not {@code null}
     * @param metadata not {@code null}; may be empty
     * @param location not {@code null}; may be empty
     * @param firmware not {@code null}
     * @param supports not {@code null}
     * @throws NullPointerException naming the part that is {@code null}
     */
    public DeviceSnapshot {
        Objects.requireNonNull(deviceInfo, "deviceInfo");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(firmware, "firmware");
        Objects.requireNonNull(supports, "supports");
    }
}
