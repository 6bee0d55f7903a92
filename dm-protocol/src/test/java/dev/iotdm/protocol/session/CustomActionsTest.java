package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThatThrownBy;

import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.message.CustomAction;
import dev.iotdm.protocol.message.Parameter;
import dev.iotdm.protocol.message.Rc;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CustomActionsTest {

    private static final Parameter PLUGIN = new Parameter("pluginId", new JsonString("pA"));
    private static final Parameter URI = new Parameter("pluginURI", new JsonString("http://example.com/pA.zip"));

    @Test
    void a_declared_bundle_with_a_handler_reaches_the_handler_with_its_parameters_and_success_is_200() {
        SessionHarness h = Firmware.managedDevice();
        String reqId = h.platform().sendCustomAction("acme-plugins-v1", "installPlugin", PLUGIN, URI);
        h.assertNothingMorePublished();

        CustomAction action = h.takeEvent(SessionEvent.CustomActionRequested.class).action();
        assertThat(action.reqId()).isEqualTo(reqId);
        assertThat(action.actionId()).isEqualTo("installPlugin");
        assertThat(action.parameters()).containsExactly(PLUGIN, URI);

        h.respondCustomAction(reqId, Rc.OK);
        assertThat(h.takeResponse()).hasRc(200).hasReqId(reqId);
    }

    @Test
    void a_handler_failure_is_answered_500() {
        SessionHarness h = Firmware.managedDevice();
        String reqId = h.platform().sendCustomAction("acme-plugins-v1", "installPlugin", PLUGIN);
        h.run(s -> s.respondCustomAction(h.now(), reqId, Rc.INTERNAL_ERROR, "disk full"));
        assertThat(h.takeResponse()).hasRc(500).hasMessageContaining("disk full");
    }

    @Test
    void a_bundle_not_declared_in_manage_is_answered_501_without_reaching_the_handler() {
        SessionHarness h = Firmware.managedDevice();
        String reqId = h.platform().sendCustomAction("other-bundle", "doIt");
        assertThat(h.takeResponse()).hasRc(501).hasReqId(reqId).hasMessageContaining("other-bundle");
        h.assertNoEvent(SessionEvent.CustomActionRequested.class);
    }

    @Test
    void a_declared_bundle_without_a_handler_is_answered_501() {
        SessionHarness h = SessionHarness.builder().configure(c -> c.customActionBundles(Set.of("handled")))
                .build().connectAndManage(ManageParams.of(0, false, false, "handled", "unhandled"));
        h.platform().sendCustomAction("unhandled", "doIt");
        assertThat(h.takeResponse()).hasRc(501).hasMessageContaining("no handler");
        h.assertNoEvent(SessionEvent.CustomActionRequested.class);

        String reqId = h.platform().sendCustomAction("handled", "doIt");
        h.takeEvent(SessionEvent.CustomActionRequested.class);
        h.respondCustomAction(reqId, Rc.OK);
        assertThat(h.takeResponse()).hasRc(200);
    }

    @Test
    void answers_other_than_200_500_501_are_refused() {
        SessionHarness h = Firmware.managedDevice();
        String reqId = h.platform().sendCustomAction("acme-plugins-v1", "installPlugin");
        assertThatThrownBy(() -> h.respondCustomAction(reqId, Rc.ACCEPTED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.respondCustomAction(h.platform().sendReboot(), Rc.OK))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("device action");
    }

    @Test
    void a_redelivered_custom_action_gets_the_same_response_and_the_handler_runs_once() {
        SessionHarness h = Firmware.managedDevice();
        String reqId = h.platform().sendCustomAction("acme-plugins-v1", "installPlugin", PLUGIN);
        h.platform().redeliver(reqId);
        h.respondCustomAction(reqId, Rc.OK);
        Sent first = h.takeSent();
        h.platform().redeliver(reqId);
        assertThat(h.takeSent().text()).isEqualTo(first.text());
        assertThat(h.events(SessionEvent.CustomActionRequested.class)).hasSize(1);
    }
}
