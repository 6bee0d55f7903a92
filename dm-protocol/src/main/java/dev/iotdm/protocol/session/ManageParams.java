package dev.iotdm.protocol.session;

import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Supports;
import java.util.Objects;

/**
 * What the application asked for when it called manage: the lifetime and the supported
 * operations. The device's current deviceInfo and metadata are added by the session each time a
 * manage is sent (protocol.md §12.24), and the same parameters are re-sent after every reconnect
 * and before lifetime expiry (§12.14).
 *
 * @param lifetimeSeconds 0 (never dormant) or at least 3600 (§12.13)
 * @param supports the operations the device handles
 */
public record ManageParams(long lifetimeSeconds, Supports supports) {

    /**
     * Validates the lifetime locally (§12.13).
     *
     * @param lifetimeSeconds 0 (never dormant) or at least 3600 (§12.13)
     * @param supports the operations the device handles, not null
     * @throws IllegalArgumentException if the lifetime is neither 0 nor at least 3600 seconds
     */
    public ManageParams {
        Manage.checkLifetime(lifetimeSeconds);
        Objects.requireNonNull(supports, "supports");
    }

    /**
     * Parameters in the seed's terms:
     * {@code manage(lifetime, supportDeviceActions, supportFirmwareActions, bundleIds)}.
     *
     * @param lifetimeSeconds 0 (never dormant) or at least 3600 (§12.13)
     * @param deviceActions whether the device handles reboot and factory reset (§7)
     * @param firmwareActions whether the device handles firmware download and update (§6)
     * @param bundleIds the extension bundles whose custom actions it handles (§8)
     * @return the parameters
     * @throws IllegalArgumentException if the lifetime or a bundle id is invalid
     */
    public static ManageParams of(long lifetimeSeconds, boolean deviceActions, boolean firmwareActions,
            String... bundleIds) {
        return new ManageParams(lifetimeSeconds, Supports.of(deviceActions, firmwareActions, bundleIds));
    }
}
