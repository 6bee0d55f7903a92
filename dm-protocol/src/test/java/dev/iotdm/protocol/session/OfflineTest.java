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
    void with_a_kept_session_that_the_broker_lost_the_responses_are_dropped_and_counted() {
        SessionHarness h = device(true);
        String reboot = h.platform().sendReboot();
        String custom = h.platform().sendCustomAction("acme-plugins-v1", "installPlugin");
        h.loseConnection();
        h.respondDeviceAction(reboot, Rc.ACCEPTED);
        h.respondCustomAction(custom, Rc.OK);

        h.connect(false);
        h.takePublished(Manage.class);
        h.assertNothingMorePublished();
        assertThat(h.takeEvent(SessionEvent.ResponsesDropped.class).count()).isEqualTo(2);
    }

    @Test
    void without_a_kept_session_a_response_made_offline_is_dropped_at_once_and_counted() {
        SessionHarness h = device(false);
        String reboot = h.platform().sendReboot();
        h.loseConnection();
        h.respondDeviceAction(reboot, Rc.ACCEPTED);
        assertThat(h.takeEvent(SessionEvent.ResponsesDropped.class).count()).isEqualTo(1);

        h.connect(false);
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
