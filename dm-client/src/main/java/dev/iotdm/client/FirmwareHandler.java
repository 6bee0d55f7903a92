package dev.iotdm.client;

import dev.iotdm.protocol.message.FirmwareInfo;
import java.util.concurrent.CompletionStage;

/**
 * Downloads and installs firmware (protocol.md §6). Called only for accepted requests, after the
 * 202 was sent, on the client's callback executor.
 *
 * <p>Complete the returned stage normally when the step succeeded, or exceptionally with a
 * {@link FirmwareFailureException} carrying the update status to report; any other exception
 * reports CONNECTION_LOST for a download and UNSUPPORTED_IMAGE for an install. Return
 * {@code null} to report yourself later, seed style, with {@link ManagedClient#setState} and
 * {@link ManagedClient#setUpdateStatus}.
 */
public interface FirmwareHandler {

    /**
     * Downloads and verifies the image.
     *
     * @param image the image parameters (uri, verifier, version, name)
     * @return completes when the image is downloaded and verified, or fails with why; {@code null}
     *     to report later with {@link ManagedClient#setState} / {@link ManagedClient#setUpdateStatus}
     * @throws Exception why the download failed: reported as the class comment says
     */
    CompletionStage<Void> download(FirmwareInfo image) throws Exception;

    /**
     * Installs the downloaded image. On success the client reports IDLE with SUCCESS and sets
     * {@code deviceInfo.fwVersion} to the image version.
     *
     * @param image the downloaded image parameters
     * @return completes when the image is installed, or fails with why; {@code null} to report
     *     later with {@link ManagedClient#setUpdateStatus}
     * @throws Exception why the install failed: reported as the class comment says
     */
    CompletionStage<Void> install(FirmwareInfo image) throws Exception;
}
