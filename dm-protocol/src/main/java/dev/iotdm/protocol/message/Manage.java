package dev.iotdm.protocol.message;

import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Manage: the device becomes or stays managed (protocol.md §3.1, §9).
 *
 * @param reqId the request id
 * @param lifetime seconds within which the device must manage again; absent or 0 = never
 *     dormant, otherwise at least 3600 (§9.1, §12.13)
 * @param supports the operations the device handles; absent = none
 * @param deviceInfo replaces the stored deviceInfo when present
 * @param metadata replaces the stored metadata when present
 */
public record Manage(String reqId, OptionalLong lifetime, Optional<Supports> supports,
        Optional<DeviceInfo> deviceInfo, Optional<JsonObject> metadata) implements DeviceRequest {

    /** The smallest non-zero lifetime the platform accepts (§9.1). */
    public static final long MIN_LIFETIME_SECONDS = 3600;

    /**
     * Validates the lifetime.
     *
     * @param reqId the request id, not null
     * @param lifetime seconds within which the device must manage again; absent or 0 = never dormant,
     *     otherwise at least 3600 (§9.1, §12.13); not null
     * @param supports the operations the device handles; absent = none; not null
     * @param deviceInfo replaces the stored deviceInfo when present, not null
     * @param metadata replaces the stored metadata when present, not null
     */
    public Manage {
        Objects.requireNonNull(reqId, "reqId");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(supports, "supports");
        Objects.requireNonNull(deviceInfo, "deviceInfo");
        Objects.requireNonNull(metadata, "metadata");
        if (lifetime.isPresent()) {
            checkLifetime(lifetime.getAsLong());
        }
    }

    /**
     * Checks a lifetime: 0 or at least {@value #MIN_LIFETIME_SECONDS} seconds (§12.13).
     *
     * @param seconds the lifetime in seconds
     * @return {@code seconds}, unchanged, when valid
     * @throws IllegalArgumentException naming the rule
     */
    public static long checkLifetime(long seconds) {
        if (seconds != 0 && (seconds < MIN_LIFETIME_SECONDS || seconds > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("lifetime must be 0 (never dormant) or between " + MIN_LIFETIME_SECONDS
                    + " and " + Integer.MAX_VALUE + " seconds, got " + seconds);
        }
        return seconds;
    }

    @Override
    public Topic topic() {
        return DmTopic.MANAGE;
    }

    @Override
    public Optional<String> requestId() {
        return Optional.of(reqId);
    }
}
