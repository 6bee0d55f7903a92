package dev.iotdm.protocol.firmware;

/**
 * Where the device's firmware work stands: the wire {@link FirmwareState} plus "installing",
 * which the wire shows as {@code DOWNLOADED} with {@code updateStatus} IN_PROGRESS (§6.3 step 4).
 *
 * <pre>{@code
 *             download (usable image) / 202
 *   +------+ ----------------------------> +-------------+
 *   | IDLE |                               | DOWNLOADING |
 *   +------+ <---------------------------- +-------------+
 *     ^ ^ ^     download failed (status)          |
 *     | | |  image rejected (status)              v download succeeded
 *     | | +-------------------------------- +------------+
 *     | +---------------------------------- | DOWNLOADED | <--+
 *     |      new image / discard            +------------+    |
 *     |                                           |           |
 *     | install succeeded            update / 202 |           | install failed (status)
 *     | (fwVersion := version)                    |           |
 *     |                                           v           |
 *     |                                     +------------+    |
 *     +------------------------------------ | INSTALLING | ---+
 *                                           +------------+
 * }</pre>
 *
 * <p>Requests in any other state are refused with 400 and change nothing (protocol.md §12.7,
 * §12.8); {@code FirmwareTable} holds every transition, and a test checks this diagram
 * against it. To keep it checkable: every edge ends in an arrowhead ({@code > < ^ v}) next to
 * its target box, and each label is written nearer to its own edge than to any other.
 */
public enum FirmwarePhase {
    /** Nothing downloaded or being downloaded; the only phase that accepts a download. */
    IDLE(FirmwareState.IDLE),
    /** A download is running. */
    DOWNLOADING(FirmwareState.DOWNLOADING),
    /** A verified image waits to be installed; the only phase that accepts an update. */
    DOWNLOADED(FirmwareState.DOWNLOADED),
    /** The image is being installed. */
    INSTALLING(FirmwareState.DOWNLOADED);

    private final FirmwareState wireState;

    FirmwarePhase(FirmwareState wireState) {
        this.wireState = wireState;
    }

    /**
     * The {@code mgmt.firmware.state} reported for this phase.
     *
     * @return the wire state a platform sees while the engine is in this phase
     */
    public FirmwareState wireState() {
        return wireState;
    }
}
