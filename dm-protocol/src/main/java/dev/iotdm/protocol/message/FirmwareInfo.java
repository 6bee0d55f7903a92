package dev.iotdm.protocol.message;

import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code mgmt.firmware} object (protocol.md §6.1), whole or in part: a notify carries only
 * the sub-fields that changed (§3.8), so every attribute is optional.
 *
 * @param version version of the firmware to install
 * @param name firmware name
 * @param uri where to download the image (the wire key is {@code uri}, §12.10)
 * @param verifier checksum to validate the image
 * @param state download state
 * @param updateStatus update result
 * @param updatedDateTime set by the platform; {@code ""} on the wire reads as absent
 */
public record FirmwareInfo(
        Optional<String> version,
        Optional<String> name,
        Optional<String> uri,
        Optional<String> verifier,
        Optional<FirmwareState> state,
        Optional<UpdateStatus> updateStatus,
        Optional<Timestamp> updatedDateTime) {

    /** No attribute set. */
    public static final FirmwareInfo EMPTY = new FirmwareInfo(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * Requires non-null optionals.
     *
     * @param version version of the firmware to install, not null
     * @param name firmware name, not null
     * @param uri where to download the image (the wire key is {@code uri}, §12.10); not null
     * @param verifier checksum to validate the image, not null
     * @param state download state, not null
     * @param updateStatus update result, not null
     * @param updatedDateTime set by the platform; {@code ""} on the wire reads as absent; not null
     */
    public FirmwareInfo {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updateStatus, "updateStatus");
        Objects.requireNonNull(updatedDateTime, "updatedDateTime");
    }

    /**
     * Only a state, as in a download-progress notify.
     *
     * @param state the download state, not null
     * @return the firmware object with only {@code state} set
     */
    public static FirmwareInfo ofState(FirmwareState state) {
        return EMPTY.withState(state);
    }

    /**
     * Only an update status.
     *
     * @param status the update status, not null
     * @return the firmware object with only {@code updateStatus} set
     */
    public static FirmwareInfo ofUpdateStatus(UpdateStatus status) {
        return EMPTY.withUpdateStatus(status);
    }

    /**
     * The image parameters a platform sends before a download (§6.2 step 1).
     *
     * @param version the image's version, or null when not sent
     * @param name the image's name, or null when not sent
     * @param uri where to download the image, or null when not sent
     * @param verifier the checksum text, or null when not sent
     * @return the firmware object with only the image parameters set
     */
    public static FirmwareInfo ofImage(String version, String name, String uri, String verifier) {
        return new FirmwareInfo(Optional.ofNullable(version), Optional.ofNullable(name), Optional.ofNullable(uri),
                Optional.ofNullable(verifier), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * This object with the state replaced.
     *
     * @param s the new download state, not null
     * @return a new object; this one is unchanged
     */
    public FirmwareInfo withState(FirmwareState s) {
        return new FirmwareInfo(version, name, uri, verifier, Optional.of(s), updateStatus, updatedDateTime);
    }

    /**
     * This object with the update status replaced.
     *
     * @param u the new update status, not null
     * @return a new object; this one is unchanged
     */
    public FirmwareInfo withUpdateStatus(UpdateStatus u) {
        return new FirmwareInfo(version, name, uri, verifier, state, Optional.of(u), updatedDateTime);
    }

    /**
     * This object with the image parameters (version, name, uri, verifier) of {@code other}.
     *
     * @param other the object to take the image parameters from, not null
     * @return a new object keeping this one's state, update status and date
     */
    public FirmwareInfo withImageOf(FirmwareInfo other) {
        return new FirmwareInfo(other.version, other.name, other.uri, other.verifier, state, updateStatus,
                updatedDateTime);
    }

    /**
     * Whether the image parameters (version, name, uri, verifier) equal those of {@code other}.
     *
     * @param other the object to compare with, not null
     * @return true when all four are equal, absent ones included
     */
    public boolean sameImageAs(FirmwareInfo other) {
        return version.equals(other.version) && name.equals(other.name) && uri.equals(other.uri)
                && verifier.equals(other.verifier);
    }

    /**
     * Whether no attribute is set.
     *
     * @return true for the empty object {@code {}}
     */
    public boolean isEmpty() {
        return equals(EMPTY);
    }
}
