package dev.iotdm.testkit.platform;

import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LogEntry;
import dev.iotdm.protocol.message.Supports;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The platform's mutable record of one registered device; owned by the {@link PlatformEngine} and
 * touched only on its thread. {@link #view()} gives the immutable snapshot.
 */
final class DeviceRecord {

    final String clientId;
    /** Registration order: devices whose timers fall due together are handled in this order. */
    final long ordinal;
    final String orgId;
    final String typeId;
    final String deviceId;

    boolean connected;
    /** How many times the device connected: a request sent on an earlier connection may be lost. */
    int connections;
    boolean managed;
    boolean dormant;
    long lifetime;
    Instant dormantAt;
    Instant dormantDateTime;
    Supports supports;
    DeviceInfo deviceInfo;
    JsonObject metadata;
    Location location;
    final List<Integer> errorCodes = new ArrayList<>();
    final Deque<LogEntry> log = new ArrayDeque<>();
    FirmwareInfo firmware;
    final Set<String> observations = new LinkedHashSet<>();
    Instant lastActivity;
    int manageCount;

    /** Platform-initiated messages wait here until {@link #requestsAllowedAt} (protocol.md §14). */
    final Deque<Outgoing> outbox = new ArrayDeque<>();
    Instant requestsAllowedAt = Instant.MIN;

    DeviceRecord(String clientId, long ordinal, String orgId, String typeId, String deviceId) {
        this.clientId = clientId;
        this.ordinal = ordinal;
        this.orgId = orgId;
        this.typeId = typeId;
        this.deviceId = deviceId;
    }

    /** Becomes unmanaged: every {@code mgmt.*} attribute and observation is gone (§9.1). */
    void clearManagement() {
        managed = false;
        lifetime = 0;
        dormantAt = null;
        supports = null;
        firmware = null;
        observations.clear();
    }

    /**
     * The device's own timer: its lifetime expiry while managed, or the end of its request gap while
     * messages wait in its outbox, whichever is earlier. The engine's timer index holds this value;
     * the engine re-reads it after every change to the fields it depends on.
     *
     * @return the deadline, or {@code null} when the device waits for no time
     */
    Instant nextTimer() {
        Instant next = managed ? dormantAt : null;
        if (!outbox.isEmpty() && (next == null || requestsAllowedAt.isBefore(next))) {
            next = requestsAllowedAt;
        }
        return next;
    }

    DeviceView view() {
        return new DeviceView(clientId, orgId, typeId, deviceId, connected, managed, dormant,
                managed ? OptionalLong.of(lifetime) : OptionalLong.empty(), Optional.ofNullable(dormantAt),
                Optional.ofNullable(dormantDateTime), Optional.ofNullable(supports), Optional.ofNullable(deviceInfo),
                Optional.ofNullable(metadata), Optional.ofNullable(location), errorCodes, List.copyOf(log),
                Optional.ofNullable(firmware), observations, Optional.ofNullable(lastActivity), manageCount);
    }

    /**
     * A platform-initiated message waiting for the request gap.
     *
     * @param topic the topic
     * @param payload the payload
     * @param deadline the deadline of the operation it belongs to (for the delivery timeout)
     * @param onRelease what to do once it is handed on (e.g. complete a command), may be null
     */
    record Outgoing(String topic, byte[] payload, Instant deadline, Runnable onRelease) {
    }
}
