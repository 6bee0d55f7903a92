package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.Identifiers;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The {@code d.supports} of a manage request (protocol.md §3.1, §8.2): which platform-initiated
 * operations the device handles. An absent flag means {@code false}.
 *
 * @param deviceActions reboot and factory reset (§7)
 * @param firmwareActions firmware download and update (§6)
 * @param bundleIds the device-management extension bundles whose custom actions it handles (§8)
 */
public record Supports(boolean deviceActions, boolean firmwareActions, List<String> bundleIds) {

    /** Supports nothing. */
    public static final Supports NONE = new Supports(false, false, List.of());

    /**
     * Validates the bundle ids and removes duplicates, keeping their order.
     *
     * @param deviceActions reboot and factory reset (§7)
     * @param firmwareActions firmware download and update (§6)
     * @param bundleIds the device-management extension bundles whose custom actions it handles (§8);
     *     not null
     * @throws IllegalArgumentException if a bundle id is not a valid id or is named like a flag
     */
    public Supports {
        Objects.requireNonNull(bundleIds, "bundleIds");
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String id : bundleIds) {
            Identifiers.requireBundleId("bundleId", id);
            if (id.equals("deviceActions") || id.equals("firmwareActions")) {
                throw new IllegalArgumentException("bundleId '" + id + "' clashes with the supports flag of that name");
            }
            unique.add(id);
        }
        bundleIds = List.copyOf(unique);
    }

    /**
     * Supports of the two standard flags and the given bundles.
     *
     * @param deviceActions whether the device handles reboot and factory reset (§7)
     * @param firmwareActions whether the device handles firmware download and update (§6)
     * @param bundleIds the extension bundles whose custom actions it handles (§8)
     * @return the supports; duplicate bundle ids are dropped
     * @throws IllegalArgumentException if a bundle id is not a valid id or is named like a flag
     */
    public static Supports of(boolean deviceActions, boolean firmwareActions, String... bundleIds) {
        return new Supports(deviceActions, firmwareActions, List.of(bundleIds));
    }
}
