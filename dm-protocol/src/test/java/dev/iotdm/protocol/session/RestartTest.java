package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.session.Firmware.IMAGE;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;

import dev.iotdm.protocol.firmware.FirmwarePhase;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Supports;
import dev.iotdm.protocol.message.Timestamp;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartTest {

    private static final DeviceInfo RUNNING_1_0 = DeviceInfo.builder().serialNumber("SN-1").fwVersion("1.0").build();
    private static final DeviceInfo RUNNING_2_0 = RUNNING_1_0.withFwVersion("2.0");

    private SessionHarness device() {
        return SessionHarness.builder().allHandlers().store(new BytesStore())
                .configure(c -> c.deviceInfo(RUNNING_1_0)).build()
                .connectAndManage(ManageParams.of(0, true, true, "acme-plugins-v1"));
    }

    private static void installing(SessionHarness h) {
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendFirmwareDownload();
        h.downloadSucceeded();
        h.platform().sendFirmwareUpdate();
        h.drainPublished();
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.INSTALLING);
    }

    /** Connects the restarted device, which manages at once with the saved parameters (§12.29). */
    private static void reconnectAfterRestart(SessionHarness h) {
        h.connect();
        assertThat(h.takePublished(Manage.class).supports())
                .contains(Supports.of(true, true, "acme-plugins-v1"));
        h.answerLastRequest(Rc.OK);
    }

    @Test
    void an_install_that_restarted_into_the_target_version_succeeded_and_is_reported_on_observe() {
        SessionHarness h = device();
        installing(h);

        h.restart(c -> c.deviceInfo(RUNNING_2_0));
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.IDLE);
        reconnectAfterRestart(h);
        h.platform().sendObserve("mgmt.firmware");
        assertThat(h.takeResponse()).hasRc(200).hasObservedValues(new FirmwareField(
                Firmware.whole(IMAGE, FirmwareState.IDLE, UpdateStatus.SUCCESS)));
        assertThat(h.session().deviceInfo().fwVersion()).contains("2.0");
    }

    @Test
    void an_install_that_restarted_into_the_old_version_failed_and_keeps_the_image() {
        SessionHarness h = device();
        installing(h);

        h.restart();
        reconnectAfterRestart(h);
        h.platform().sendObserve("mgmt.firmware");
        assertThat(h.takeResponse()).hasObservedValues(new FirmwareField(
                Firmware.whole(IMAGE, FirmwareState.DOWNLOADED, UpdateStatus.UNSUPPORTED_IMAGE)));
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.DOWNLOADED);
    }

    @Test
    void a_download_that_was_running_is_idle_with_connection_lost_after_restart() {
        SessionHarness h = device();
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendFirmwareDownload();
        h.drainPublished();

        h.restart();
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.IDLE);
        assertThat(h.session().firmware()).isEqualTo(
                Firmware.whole(IMAGE, FirmwareState.IDLE, UpdateStatus.CONNECTION_LOST));
        reconnectAfterRestart(h);
        h.platform().sendFirmwareDownload(); // the platform may try again
        assertThat(h.takeResponse()).hasRc(202);
    }

    @Test
    void a_reboot_redelivered_after_the_restart_is_answered_again_without_asking_the_application() {
        SessionHarness h = device();
        String reboot = h.platform().sendReboot();
        h.respondDeviceAction(reboot, Rc.ACCEPTED);
        Sent answer = h.takeSent();
        int asked = h.events(SessionEvent.DeviceActionRequested.class).size();

        h.restart();
        reconnectAfterRestart(h);
        h.platform().redeliver(reboot);
        assertThat(h.takeSent().text()).isEqualTo(answer.text());
        assertThat(h.events(SessionEvent.DeviceActionRequested.class)).hasSize(asked);
    }

    @Test
    void an_unmanaged_device_stays_unmanaged_after_restart() {
        SessionHarness h = device();
        h.unmanage();
        h.answerLastRequest(Rc.OK);
        h.drainPublished();
        h.restart();
        h.connect();
        h.assertNothingMorePublished();
        assertThat(h.session().wantsManaged()).isFalse();
    }
}
