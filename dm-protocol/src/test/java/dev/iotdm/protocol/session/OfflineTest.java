package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;

import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Rc;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineTest {

    private static SessionHarness device(boolean keepsSession) {
        return SessionHarness.builder().allHandlers().configure(c -> c.keepsSession(keepsSession)).build()
                .connectAndManage(ManageParams.of(0, true, false, "acme-plugins-v1"));
    }

    @Test
    void with_a_kept_session_responses_made_offline_are_sent_after_a_reconnect_that_has_the_session() {
        SessionHarness h = device(true);
        String reboot = h.platform().sendReboot();
        String custom = h.platform().sendCustomAction("acme-plugins-v1", "installPlugin");
        h.loseConnection();
        h.respondDeviceAction(reboot, Rc.ACCEPTED);
        h.respondCustomAction(custom, Rc.OK);
        h.assertNothingMorePublished();

        h.connect(true);
        h.takePublished(Manage.class);
        assertThat(h.takeResponse()).hasRc(202).hasReqId(reboot);
        assertThat(h.takeResponse()).hasRc(200).hasReqId(custom);
        h.assertNoEvent(SessionEvent.ResponsesDropped.class);
    }

    @Test
    void with_a_kept_session_that_the_broker_lost_the_responses_made_offline_are_still_sent() {
        SessionHarness h = device(true);
        String reboot = h.platform().sendReboot();
        String custom = h.platform().sendCustomAction("acme-plugins-v1", "installPlugin");
        h.loseConnection();
        h.respondDeviceAction(reboot, Rc.ACCEPTED);
        h.respondCustomAction(custom, Rc.OK);

        h.connect(false);
        h.takePublished(Manage.class);
        assertThat(h.takeResponse()).hasRc(202).hasReqId(reboot);
        assertThat(h.takeResponse()).hasRc(200).hasReqId(custom);
        h.assertNoEvent(SessionEvent.ResponsesDropped.class);
    }

    @Test
    void without_a_kept_session_a_response_made_offline_is_sent_after_the_reconnect() {
        SessionHarness h = device(false);
        String reboot = h.platform().sendReboot();
        h.loseConnection();
        h.respondDeviceAction(reboot, Rc.ACCEPTED);
        h.assertNothingMorePublished();

        h.connect(false);
        h.takePublished(Manage.class);
        assertThat(h.takeResponse()).hasRc(202).hasReqId(reboot);
        h.assertNoEvent(SessionEvent.ResponsesDropped.class);
    }

    @Test
    void a_response_lost_with_a_clean_connection_is_published_again_with_identical_bytes() {
        SessionHarness h = device(false).acks(SessionHarness.Acks.MANUAL);
        String reboot = h.platform().sendReboot();
        h.respondDeviceAction(reboot, Rc.ACCEPTED);
        Sent first = h.takeSent();

        h.loseConnection(); // the response's PUBACK never came
        h.connect(false);
        h.takePublished(Manage.class);

        Sent again = h.takeSent();
        assertThat(again.topic()).isEqualTo(first.topic());
        assertThat(again.payload()).isEqualTo(first.payload());
        h.assertNothingMorePublished();
    }

    @Test
    void a_notify_lost_with_a_clean_connection_is_published_again_with_identical_bytes() {
        SessionHarness h = Firmware.managedDevice(); // a clean session
        h.platform().sendObserve("mgmt.firmware");
        h.platform().sendFirmwareImage(Firmware.IMAGE);
        h.drainPublished();
        h.acks(SessionHarness.Acks.MANUAL);
        h.platform().sendFirmwareDownload();
        h.takeResponse();
        Sent notify = h.takeSent();
        assertThat(notify.topic()).isEqualTo("iotdevice-1/notify");

        h.loseConnection();
        h.connect(false);
        h.takePublished(Manage.class);

        List<Sent> after = h.drainPublished();
        assertThat(after).anySatisfy(s -> assertThat(s.payload()).isEqualTo(notify.payload()));
    }

    @Test
    void with_a_kept_session_that_the_broker_kept_in_flight_replies_are_left_to_the_transport() {
        SessionHarness h = device(true).acks(SessionHarness.Acks.MANUAL);
        String reboot = h.platform().sendReboot();
        h.respondDeviceAction(reboot, Rc.ACCEPTED);
        h.takeSent();

        h.loseConnection();
        h.connect(true);
        h.takePublished(Manage.class);

        h.assertNothingMorePublished();
    }

    @Test
    void a_dropped_response_is_still_remembered_for_a_redelivery() {
        SessionHarness h = device(true);
        String reboot = h.platform().sendReboot();
        h.loseConnection();
        h.respondDeviceAction(reboot, Rc.ACCEPTED);
        h.connect(false);
        h.drainPublished();

        h.platform().redeliver(reboot);
        assertThat(h.takeResponse()).hasRc(202).hasReqId(reboot);
        assertThat(h.events(SessionEvent.DeviceActionRequested.class)).hasSize(1);
    }

    @Test
    void nothing_is_published_while_offline() {
        SessionHarness h = device(true);
        String reboot = h.platform().sendReboot();
        h.loseConnection();
        h.respondDeviceAction(reboot, Rc.ACCEPTED);
        h.addErrorCode(1);
        h.updateLocation(dev.iotdm.protocol.message.Location.of(1, 1));
        assertThat(h.failedWhileDisconnected()).isEqualTo(List.of());
        h.assertNothingMorePublished();
    }
}
