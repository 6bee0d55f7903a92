package dev.iotdm.testkit.platform;

import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LogEntry;
import dev.iotdm.protocol.message.Supports;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A snapshot of the platform's record of one device (protocol.md §11): identity, connection,
 * management state and the {@code mgmt.*}, {@code diag.*}, {@code deviceInfo}, {@code metadata} and
 * {@code location} attributes as the platform knows them. The token is a secret and not included.
 *
 * <p>Thread-safety: immutable.
 *
 * @param clientId {@code d:<org>:<type>:<id>}
 * @param orgId the organisation
 * @param typeId the device type
 * @param deviceId the device id
 * @param connected whether an MQTT connection is open
 * @param managed whether the device is managed (manage accepted, not unmanaged, not dormant)
 * @param dormant whether its lifetime expired ({@code mgmt.dormant}, §9.1)
 * @param lifetime the lifetime of its last manage, in seconds (0 = never dormant); empty when unmanaged
 * @param dormantAt when it will become dormant unless it manages again; empty when never
 * @param dormantDateTime when it became dormant, if it is
 * @param supports {@code mgmt.supports} of its last manage; empty when unmanaged
 * @param deviceInfo the stored {@code deviceInfo}
 * @param metadata the stored {@code metadata}
 * @param location the stored {@code location}
 * @param errorCodes {@code diag.errorCodes}, oldest first
 * @param log {@code diag.log}, oldest first, bounded
 * @param firmware {@code mgmt.firmware} as the platform knows it; empty when unmanaged or never set
 * @param observations the attributes the platform observes on the device (§4.3)
 * @param lastActivity when the device last connected or published ({@code mgmt.lastActivityDateTime})
 * @param manageCount how many manage requests the platform accepted from it
 */
public record DeviceView(String clientId, String orgId, String typeId, String deviceId, boolean connected,
        boolean managed, boolean dormant, OptionalLong lifetime, Optional<Instant> dormantAt,
        Optional<Instant> dormantDateTime, Optional<Supports> supports, Optional<DeviceInfo> deviceInfo,
        Optional<JsonObject> metadata, Optional<Location> location, List<Integer> errorCodes, List<LogEntry> log,
        Optional<FirmwareInfo> firmware, Set<String> observations, Optional<Instant> lastActivity,
        int manageCount) {

    /**
     * Requires every part and copies the collections.
     *
     * @param clientId {@code d:<org>:<type>:<id>}; not {@code null}
     * @param orgId the organisation; not {@code null}
     * @param typeId the device type; not {@code null}
     * @param deviceId the device id; not {@code null}
     * @param connected whether an MQTT connection is open
     * @param managed whether the device is managed
     * @param dormant whether its lifetime expired
     * @param lifetime seconds, or empty; not {@code null}
     * @param dormantAt when it will become dormant, or empty; not {@code null}
     * @param dormantDateTime when it became dormant, or empty; not {@code null}
     * @param supports {@code mgmt.supports}, or empty; not {@code null}
     * @param deviceInfo {@code deviceInfo}, or empty; not {@code null}
     * @param metadata {@code metadata}, or empty; not {@code null}
     * @param location {@code location}, or empty; not {@code null}
     * @param errorCodes {@code diag.errorCodes}; copied
     * @param log {@code diag.log}; copied
     * @param firmware {@code mgmt.firmware}, or empty; not {@code null}
     * @param observations the observed attributes; copied
     * @param lastActivity the last connect or publish, or empty; not {@code null}
     * @param manageCount accepted manage requests, 0 or more
     * @throws NullPointerException naming the part that is {@code null}
     */
    public DeviceView {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(typeId, "typeId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(dormantAt, "dormantAt");
        Objects.requireNonNull(dormantDateTime, "dormantDateTime");
        Objects.requireNonNull(supports, "supports");
        Objects.requireNonNull(deviceInfo, "deviceInfo");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(location, "location");
        errorCodes = List.copyOf(errorCodes);
        log = List.copyOf(log);
        Objects.requireNonNull(firmware, "firmware");
        observations = Set.copyOf(observations);
        Objects.requireNonNull(lastActivity, "lastActivity");
    }

    /**
     * {@code mgmt.firmware.state} as the platform knows it.
     *
     * @return the state, or empty when the platform has no firmware record or no state in it
     */
    public Optional<FirmwareState> firmwareState() {
        return firmware.flatMap(FirmwareInfo::state);
    }

    /**
     * {@code mgmt.firmware.updateStatus} as the platform knows it.
     *
     * @return the status, or empty when the platform has no firmware record or no status in it
     */
    public Optional<UpdateStatus> firmwareUpdateStatus() {
        return firmware.flatMap(FirmwareInfo::updateStatus);
    }
}
