package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.session.Firmware.IMAGE;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThatThrownBy;

import dev.iotdm.protocol.firmware.FirmwarePhase;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The seed's firmware samples (its download handler with {@code verifiyImage}, its update
 * handler) as calls on the engine: {@code setState} and {@code setUpdateStatus} map onto the
 * firmware table here, not in the client, and the platform sees the matching notifies.
 */
class SeedFirmwareSampleTest {

    private static SessionHarness downloading() {
        SessionHarness h = Firmware.managedDevice();
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendObserve("mgmt.firmware");
        h.platform().sendFirmwareDownload();
        h.drainPublished();
        return h;
    }

    @Test
    void the_seed_download_sample_with_a_failed_verification_ends_idle_with_update_status_4() {
        SessionHarness h = downloading();

        h.run(s -> s.setFirmwareState(h.now(), FirmwareState.DOWNLOADING)); // the sample's first line
        h.assertNothingMorePublished();
        h.run(s -> s.setFirmwareState(h.now(), FirmwareState.DOWNLOADED));
        assertThat(h.takeNotify()).hasOnlyFirmware(Firmware.state(FirmwareState.DOWNLOADED));
        h.run(s -> s.setUpdateStatus(h.now(), UpdateStatus.VERIFICATION_FAILED)); // verifiyImage

        assertThat(h.takeNotify()).hasOnlyFirmware(
                Firmware.stateAndStatus(FirmwareState.IDLE, UpdateStatus.VERIFICATION_FAILED));
        h.assertNothingMorePublished();
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.IDLE);
        assertThat(h.session().firmware().updateStatus()).contains(UpdateStatus.VERIFICATION_FAILED);
        assertThat(UpdateStatus.VERIFICATION_FAILED.code()).isEqualTo(4);
    }

    @Test
    void the_seed_download_sample_reports_a_failed_download_with_its_status() {
        SessionHarness h = downloading();

        h.run(s -> s.setUpdateStatus(h.now(), UpdateStatus.INVALID_URI));

        assertThat(h.takeNotify()).hasOnlyFirmware(Firmware.stateAndStatus(FirmwareState.IDLE, UpdateStatus.INVALID_URI));
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.IDLE);
    }

    @Test
    void the_seed_update_sample_in_progress_then_success_installs_the_image() {
        SessionHarness h = downloading();
        h.run(s -> s.setFirmwareState(h.now(), FirmwareState.DOWNLOADED));
        h.platform().sendFirmwareUpdate();
        h.drainPublished();

        h.run(s -> s.setUpdateStatus(h.now(), UpdateStatus.IN_PROGRESS));
        h.assertNothingMorePublished();
        h.run(s -> s.setUpdateStatus(h.now(), UpdateStatus.SUCCESS));

        assertThat(h.takeNotify()).hasOnlyFirmware(Firmware.stateAndStatus(FirmwareState.IDLE, UpdateStatus.SUCCESS));
        assertThat(h.session().deviceInfo().fwVersion()).contains("2.0");
    }

    @Test
    void the_seed_update_sample_failure_keeps_the_image_downloaded() {
        SessionHarness h = downloading();
        h.run(s -> s.setFirmwareState(h.now(), FirmwareState.DOWNLOADED));
        h.platform().sendFirmwareUpdate();
        h.drainPublished();

        h.run(s -> s.setUpdateStatus(h.now(), UpdateStatus.OUT_OF_MEMORY));

        assertThat(h.takeNotify()).hasOnlyFirmware(Firmware.status(UpdateStatus.OUT_OF_MEMORY));
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.DOWNLOADED);
    }

    @Test
    void a_status_that_fits_no_phase_is_refused_naming_the_phase() {
        SessionHarness h = Firmware.managedDevice();

        assertThatThrownBy(() -> h.run(s -> s.setUpdateStatus(h.now(), UpdateStatus.IN_PROGRESS)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("IDLE");
        assertThatThrownBy(() -> h.run(s -> s.setFirmwareState(h.now(), FirmwareState.DOWNLOADED)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("IDLE");
    }

    @Test
    void a_handler_failure_without_a_status_takes_the_seed_defaults() {
        SessionHarness h = downloading();

        boolean failed = h.call(s -> s.firmwareHandlerFailed(h.now(), true, Optional.empty()));
        assertThat(failed).isTrue();

        assertThat(h.takeNotify()).hasOnlyFirmware(
                Firmware.stateAndStatus(FirmwareState.IDLE, DeviceSession.DEFAULT_DOWNLOAD_FAILURE));
        boolean again = h.call(s -> s.firmwareHandlerSucceeded(h.now(), true));
        assertThat(again).as("no download runs any more").isFalse();
        h.assertNothingMorePublished();
    }
}
