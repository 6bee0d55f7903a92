package dev.iotdm.client.firmware;

import java.nio.file.Path;
import dev.iotdm.protocol.firmware.UpdateStatus;

/**
 * How a {@link FirmwareDownloader#download firmware download} ended. Every value is immutable.
 */
public sealed interface DownloadOutcome permits DownloadOutcome.Downloaded, DownloadOutcome.Failed {

    /**
     * The image is in {@code file}, complete and verified (protocol.md §6.2 step 5: state 2).
     *
     * @param file      the target path, now holding the image
     * @param size      the image size in bytes
     * @param hexDigest the image's digest as lowercase hex: in the verifier's algorithm, or SHA-256
     *                  when there was no verifier
     */
    record Downloaded(Path file, long size, String hexDigest) implements DownloadOutcome {
        /**
         * Validates the components.
         *
         * @param file      the target path, now holding the image
         * @param size      the image size in bytes, 0 or more
         * @param hexDigest the image's digest as lowercase hex, non-empty
         * @throws IllegalArgumentException naming the component that is null, negative or empty
         */
        public Downloaded {
            if (file == null) {
                throw new IllegalArgumentException("file must not be null");
            }
            if (size < 0) {
                throw new IllegalArgumentException("size must not be negative, was " + size);
            }
            if (hexDigest == null || hexDigest.isEmpty()) {
                throw new IllegalArgumentException("hexDigest must not be empty");
            }
        }
    }

    /**
     * The download failed; nothing was written to the target (protocol.md §6.2 step 5: state 0
     * with this update status).
     *
     * @param status the {@code mgmt.firmware.updateStatus} to report, never
     *               {@link UpdateStatus#SUCCESS} or {@link UpdateStatus#IN_PROGRESS}
     * @param reason what went wrong, for logs and the application; free of URI query strings
     */
    record Failed(UpdateStatus status, String reason) implements DownloadOutcome {
        /**
         * Validates the components.
         *
         * @param status the update status to report, a failure status
         * @param reason what went wrong
         * @throws IllegalArgumentException if {@code status} is null or not a failure status, or
         *     {@code reason} is null
         */
        public Failed {
            if (status == null || status == UpdateStatus.SUCCESS || status == UpdateStatus.IN_PROGRESS) {
                throw new IllegalArgumentException("status must be a failure status, was " + status);
            }
            if (reason == null) {
                throw new IllegalArgumentException("reason must not be null");
            }
        }
    }
}
