package dev.iotdm.protocol.firmware;

/** What can happen to the firmware state machine; see {@code FirmwareTable}. */
public enum FirmwareInput {
    /** The platform asks for a download and the image parameters are usable (§6.2 step 3). */
    DOWNLOAD_REQUESTED,
    /** The platform asks for a download but the uri or verifier is missing or invalid (§12.8). */
    DOWNLOAD_REQUESTED_UNUSABLE_IMAGE,
    /** The device's download and verification finished (§6.2 step 5). */
    DOWNLOAD_SUCCEEDED,
    /** The device's download failed; the failure status comes with it (§6.2 step 5). */
    DOWNLOAD_FAILED,
    /**
     * The device rejects the image it reported downloaded, e.g. its verification failed (the
     * seed's sample: {@code setState(DOWNLOADED)}, then {@code setUpdateStatus(VERIFICATION_FAILED)});
     * the failure status comes with it and the image is discarded.
     */
    IMAGE_REJECTED,
    /** The platform asks for an install (§6.3 step 3). */
    UPDATE_REQUESTED,
    /** The install finished (§6.3 step 5). */
    INSTALL_SUCCEEDED,
    /** The install failed; the failure status comes with it. */
    INSTALL_FAILED,
    /** A device/update brings image parameters that differ from the current ones (§4.2). */
    NEW_IMAGE
}
