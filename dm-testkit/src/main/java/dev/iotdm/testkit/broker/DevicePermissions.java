package dev.iotdm.testkit.broker;

/**
 * What a device may publish and subscribe to on the platform (protocol.md §1.9, §1.10, §2.2).
 * Stateless; pure functions of the topic or filter.
 *
 * <ul>
 *   <li>Publish: DM requests and responses under {@code iotdevice-1/}, and its own events
 *       {@code iot-2/evt/<eventId>/fmt/<format>}. There are no per-device topics for devices: the
 *       client id says who is talking.</li>
 *   <li>Subscribe: any filter whose every match lies within {@code iotdm-1/#} or within
 *       {@code iot-2/cmd/+/fmt/+} (so {@code iot-2/cmd/reboot/fmt/json} is fine, {@code #},
 *       {@code iotdevice-1/#} and {@code iot-2/cmd/#} are not).</li>
 * </ul>
 */
final class DevicePermissions {

    static final String DM_DEVICE_PREFIX = "iotdevice-1/";
    static final String DM_PLATFORM_PREFIX = "iotdm-1/";

    private DevicePermissions() {
    }

    /** Whether a device may publish on {@code topic} (a topic name, never a filter). */
    static boolean mayPublish(String topic) {
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            return false;
        }
        if (topic.startsWith(DM_DEVICE_PREFIX)) {
            return topic.length() > DM_DEVICE_PREFIX.length();
        }
        String[] levels = topic.split("/", -1);
        return levels.length == 5 && levels[0].equals("iot-2") && levels[1].equals("evt")
                && !levels[2].isEmpty() && levels[3].equals("fmt") && !levels[4].isEmpty();
    }

    /** Whether a device may subscribe to {@code filter}. */
    static boolean maySubscribe(String filter) {
        if (filter.startsWith(DM_PLATFORM_PREFIX)) {
            return filter.length() > DM_PLATFORM_PREFIX.length();
        }
        String[] levels = filter.split("/", -1);
        return levels.length == 5 && levels[0].equals("iot-2") && levels[1].equals("cmd")
                && isSingleLevel(levels[2]) && levels[3].equals("fmt") && isSingleLevel(levels[4]);
    }

    /** A level that matches exactly one topic level: {@code +} or a non-empty literal. */
    private static boolean isSingleLevel(String level) {
        return !level.isEmpty() && !level.contains("#") && (level.equals("+") || !level.contains("+"));
    }
}
