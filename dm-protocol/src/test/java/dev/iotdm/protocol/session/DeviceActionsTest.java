package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThatThrownBy;

import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.Rc;
import org.junit.jupiter.api.Test;

class DeviceActionsTest {

    @Test
    void reboot_goes_to_the_handler_and_its_202_is_sent_once() {
        SessionHarness h = Firmware.managedDevice();
        String reqId = h.platform().sendReboot();
        h.assertNothingMorePublished();
        SessionEvent.DeviceActionRequested asked = h.takeEvent(SessionEvent.DeviceActionRequested.class);
        assertThat(asked.reqId()).isEqualTo(reqId);
        assertThat(asked.kind()).isEqualTo(DeviceActionKind.REBOOT);

        h.respondDeviceAction(reqId, Rc.ACCEPTED);
        assertThat(h.takeResponse()).hasRc(202).hasReqId(reqId);
        h.assertNothingMorePublished();
    }

    @Test
    void factory_reset_can_be_answered_500_with_a_message() {
        SessionHarness h = Firmware.managedDevice();
        String reqId = h.platform().sendFactoryReset();
        assertThat(h.takeEvent(SessionEvent.DeviceActionRequested.class).kind())
                .isEqualTo(DeviceActionKind.FACTORY_RESET);
        h.run(s -> s.respondDeviceAction(h.now(), reqId, Rc.INTERNAL_ERROR, "flash is read-only"));
        assertThat(h.takeResponse()).hasRc(500).hasReqId(reqId).hasMessageContaining("read-only");
    }

    @Test
    void the_handler_may_answer_501() {
        SessionHarness h = Firmware.managedDevice();
        String reqId = h.platform().sendFactoryReset();
        h.respondDeviceAction(reqId, Rc.NOT_IMPLEMENTED);
        assertThat(h.takeResponse()).hasRc(501);
    }

    @Test
    void without_a_handler_device_actions_are_answered_501_and_nothing_is_emitted() {
        SessionHarness h = SessionHarness.create().connectAndManage(ManageParams.of(0, true, false));
        String reqId = h.platform().sendReboot();
        assertThat(h.takeResponse()).hasRc(501).hasReqId(reqId).hasMessageContaining("handler");
        h.assertNoEvent(SessionEvent.DeviceActionRequested.class);
    }

    @Test
    void without_supports_device_actions_they_are_answered_501_and_nothing_is_emitted() {
        SessionHarness h = SessionHarness.builder().allHandlers().build()
                .connectAndManage(ManageParams.of(0, false, true));
        h.platform().sendFactoryReset();
        assertThat(h.takeResponse()).hasRc(501).hasMessageContaining("declared");
        h.assertNoEvent(SessionEvent.DeviceActionRequested.class);
    }

    @Test
    void answers_other_than_202_500_501_are_refused() {
        SessionHarness h = Firmware.managedDevice();
        String reqId = h.platform().sendReboot();
        assertThatThrownBy(() -> h.respondDeviceAction(reqId, Rc.OK)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("202, 500 or 501");
    }

    @Test
    void answering_an_unknown_or_answered_request_is_refused() {
        SessionHarness h = Firmware.managedDevice();
        assertThatThrownBy(() -> h.respondDeviceAction("nope", Rc.ACCEPTED))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nope");
        String reqId = h.platform().sendReboot();
        h.respondDeviceAction(reqId, Rc.ACCEPTED);
        assertThatThrownBy(() -> h.respondDeviceAction(reqId, Rc.ACCEPTED))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("answered already");
        h.takeResponse();
        h.assertNothingMorePublished();
    }

    @Test
    void a_custom_action_cannot_be_answered_as_a_device_action() {
        SessionHarness h = Firmware.managedDevice();
        String reqId = h.platform().sendCustomAction("acme-plugins-v1", "installPlugin");
        assertThatThrownBy(() -> h.respondDeviceAction(reqId, Rc.ACCEPTED))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("custom action");
        h.assertNothingMorePublished();
        h.respondCustomAction(reqId, Rc.OK);
        assertThat(h.takeResponse()).hasRc(200);
    }

    @Test
    void a_redelivery_before_the_answer_is_held_and_never_reaches_the_handler_twice() {
        SessionHarness h = Firmware.managedDevice();
        String reqId = h.platform().sendReboot();
        h.platform().redeliver(reqId);
        h.assertNothingMorePublished();
        assertThat(h.events(SessionEvent.DeviceActionRequested.class)).hasSize(1);

        h.respondDeviceAction(reqId, Rc.ACCEPTED);
        assertThat(h.takeResponse()).hasRc(202);
        h.assertNothingMorePublished();
    }

    @Test
    void a_redelivery_of_an_answered_request_gets_the_same_response_again() {
        SessionHarness h = Firmware.managedDevice();
        String reqId = h.platform().sendReboot();
        h.run(s -> s.respondDeviceAction(h.now(), reqId, Rc.ACCEPTED, "rebooting"));
        Sent first = h.takeSent();

        h.platform().redeliver(reqId);
        h.platform().redeliver(reqId);
        assertThat(h.takeSent().text()).isEqualTo(first.text());
        assertThat(h.takeSent().text()).isEqualTo(first.text());
        assertThat(h.events(SessionEvent.DeviceActionRequested.class)).hasSize(1);
    }

    @Test
    void answered_requests_are_remembered_up_to_the_configured_bound() {
        SessionHarness h = SessionHarness.builder().allHandlers().configure(c -> c.reqIdMemory(2)).build()
                .connectAndManage(ManageParams.of(0, true, false));
        String first = h.platform().sendReboot();
        h.respondDeviceAction(first, Rc.ACCEPTED);
        h.respondDeviceAction(h.platform().sendReboot(), Rc.ACCEPTED);
        h.platform().redeliver(first);
        assertThat(h.events(SessionEvent.DeviceActionRequested.class)).hasSize(2);
        h.respondDeviceAction(h.platform().sendReboot(), Rc.ACCEPTED); // pushes the first out

        h.platform().redeliver(first);
        assertThat(h.events(SessionEvent.DeviceActionRequested.class)).hasSize(4);
        assertThat(h.session().state().answered()).hasSize(2);
    }

    @Test
    void a_request_on_an_unknown_dm_topic_with_a_req_id_is_answered_404() {
        SessionHarness h = Firmware.managedDevice();
        h.platform().sendRaw("iotdm-1/mgmt/initiate/device/teleport", "{\"reqId\":\"t1\"}");
        assertThat(h.takeResponse()).hasRc(404).hasReqId("t1");
        h.takeEvent(SessionEvent.ProtocolProblem.class);

        h.platform().sendRaw("iotdm-1/whatever", "{}");
        h.assertNothingMorePublished();
    }

    @Test
    void a_malformed_request_with_a_req_id_is_answered_400_once_and_its_redelivery_gets_the_same_answer() {
        SessionHarness h = Firmware.managedDevice();
        h.platform().sendRaw("iotdm-1/observe", "{\"reqId\":\"m1\",\"d\":{\"fields\":42}}", "m1");
        DeviceResponse first = h.takeResponse();
        assertThat(first).hasRc(400).hasReqId("m1");

        h.platform().redeliver("m1");
        assertThat(h.takeResponse()).isEqualTo(first);
        h.assertNothingMorePublished();
    }

    @Test
    void a_request_without_a_readable_req_id_is_not_answered() {
        SessionHarness h = Firmware.managedDevice();
        h.platform().sendRaw("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":");
        h.assertNothingMorePublished();
        h.takeEvent(SessionEvent.ProtocolProblem.class);
        h.assertNoEvent(SessionEvent.DeviceActionRequested.class);
    }
}
