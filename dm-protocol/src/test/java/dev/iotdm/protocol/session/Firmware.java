package dev.iotdm.protocol.session;

import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.message.FirmwareInfo;

/**
 * Firmware fixtures for session tests: usable images, and the partial {@code mgmt.firmware}
 * values notifies carry.
 *
 * <p>Thread-safety: immutable constants and pure functions.
 */
public final class Firmware {

    /** A valid MD5 verifier (32 hex digits). */
    public static final String MD5 = "9e107d9d372bb6826bd81d3542a419d6";

    /** A valid SHA-256 verifier (64 hex digits). */
    public static final String SHA256 = "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592";

    /** A usable image, version 2.0. */
    public static final FirmwareInfo IMAGE = FirmwareInfo.ofImage("2.0", "fw", "https://h/fw.bin", MD5);

    /** Another usable image, version 3.0. */
    public static final FirmwareInfo OTHER_IMAGE = FirmwareInfo.ofImage("3.0", "fw", "https://h/fw3.bin", SHA256);

    private Firmware() {
    }

    /** A partial value with only {@code state}. */
    public static FirmwareInfo state(FirmwareState s) {
        return FirmwareInfo.ofState(s);
    }

    /** A partial value with only {@code updateStatus}. */
    public static FirmwareInfo status(UpdateStatus u) {
        return FirmwareInfo.ofUpdateStatus(u);
    }

    /** A partial value with {@code state} and {@code updateStatus}. */
    public static FirmwareInfo stateAndStatus(FirmwareState s, UpdateStatus u) {
        return FirmwareInfo.ofState(s).withUpdateStatus(u);
    }

    /** The whole object the device holds for an image in a state. */
    public static FirmwareInfo whole(FirmwareInfo image, FirmwareState s, UpdateStatus u) {
        return FirmwareInfo.EMPTY.withImageOf(image).withState(s).withUpdateStatus(u);
    }

    /**
     * A harness whose application handles everything, connected and managed with device,
     * firmware and {@code acme-plugins-v1} support.
     */
    public static SessionHarness managedDevice() {
        return SessionHarness.builder().allHandlers().build()
                .connectAndManage(dev.iotdm.protocol.session.ManageParams.of(0, true, true, "acme-plugins-v1"));
    }
}
