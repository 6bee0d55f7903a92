package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.session.Firmware.IMAGE;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;

import dev.iotdm.protocol.firmware.FirmwarePhase;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.message.AddErrorCode;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Rc;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue #10 in the engine: the state the platform can trust (observed fields and acknowledged
 * values survive a restart and converge after the manage), durability before side-effect
 * answers, the answer memory's byte bound, and device requests that wait offline.
 */
class NothingLostTest {

    private static final ManageParams PARAMS = ManageParams.of(0, true, true, "acme-plugins-v1");


    private static SessionHarness device(SessionHarness.Acks acks) {
        return SessionHarness.builder().allHandlers().store(new BytesStore()).acks(acks).build()
                .connectAndManage(PARAMS);
    }

    private static void reconnectAndManage(SessionHarness h) {
        h.connect();
        h.takePublished(Manage.class);
        h.answerLastRequest(Rc.OK);
    }

    @Test
    void a_device_restarted_mid_download_tells_the_platform_idle_and_connection_lost_after_the_manage() {
        SessionHarness h = device(SessionHarness.Acks.AUTO);
        h.platform().sendObserve("mgmt.firmware");
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendFirmwareDownload();
        h.drainPublished();

        h.restart();
        assertThat(h.session().observed()).containsExactly("mgmt.firmware");
        reconnectAndManage(h);

        assertThat(h.takeNotify()).hasFields(new FirmwareField(
                Firmware.whole(IMAGE, FirmwareState.IDLE, UpdateStatus.CONNECTION_LOST)));
        h.assertNothingMorePublished();
    }

    @Test
    void a_notify_never_acknowledged_before_a_restart_is_sent_after_the_manage() {
        SessionHarness h = device(SessionHarness.Acks.MANUAL);
        h.platform().sendObserve("mgmt.firmware");
        h.platform().sendFirmwareImage(IMAGE);
        h.ackAll();
        h.platform().sendFirmwareDownload();
        h.ackAll(); // the 202 and the notify of DOWNLOADING reach the platform
        h.downloadSucceeded(); // its notify of DOWNLOADED never does
        h.drainPublished();

        h.restart();
        h.acks(SessionHarness.Acks.AUTO);
        reconnectAndManage(h);

        assertThat(h.takeNotify()).hasFields(new FirmwareField(
                Firmware.whole(IMAGE, FirmwareState.DOWNLOADED, UpdateStatus.SUCCESS)));
        h.assertNothingMorePublished();
    }

    @Test
    void after_a_reconnect_nothing_is_notified_when_the_platform_knows_every_value() {
        SessionHarness h = device(SessionHarness.Acks.AUTO);
        h.platform().sendObserve("mgmt.firmware", "deviceInfo");
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendFirmwareDownload();
        h.downloadSucceeded();
        h.drainPublished();

        h.loseConnection();
        reconnectAndManage(h);

        h.assertNothingMorePublished();
    }

    @Test
    void a_cancelled_observation_is_forgotten_across_a_restart() {
        SessionHarness h = device(SessionHarness.Acks.AUTO);
        h.platform().sendObserve("mgmt.firmware");
        h.platform().sendCancel("mgmt.firmware");
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendFirmwareDownload();
        h.drainPublished();

        h.restart();
        reconnectAndManage(h);

        assertThat(h.session().observed()).isEmpty();
        h.assertNothingMorePublished();
    }

    @Test
    void an_accepted_download_is_stored_durably_before_its_202_is_published() {
        SessionHarness h = device(SessionHarness.Acks.AUTO);
        h.platform().sendFirmwareImage(IMAGE);
        h.drainPublished();
        String reqId = "p-download";

        h.session().messageArrived(h.now(), "iotdm-1/mgmt/initiate/firmware/download",
                ("{\"reqId\":\"" + reqId + "\"}").getBytes(StandardCharsets.UTF_8));
        List<SessionAction> actions = h.session().pollActions();

        int answer = indexOf(actions, a -> a instanceof SessionAction.Publish p && p.topic().equals("iotdevice-1/response"));
        int stored = indexOf(actions, a -> a instanceof SessionAction.Persist p && p.durable()
                && p.state().phase() == FirmwarePhase.DOWNLOADING
                && p.state().answered().stream().anyMatch(x -> x.reqId().equals(reqId)));
        assertThat(stored).isNotNegative().isLessThan(answer);
    }

    @Test
    void an_observe_answer_is_stored_without_forcing_it_to_disk_before_it_is_published() {
        SessionHarness h = device(SessionHarness.Acks.AUTO);
        h.platform().sendObserve("mgmt.firmware");
        // The harness performed the actions already: ask the session for a second request's.
        h.session().messageArrived(h.now(), "iotdm-1/observe",
                "{\"reqId\":\"p-2\",\"d\":{\"fields\":[{\"field\":\"deviceInfo\"}]}}".getBytes(StandardCharsets.UTF_8));
        List<SessionAction> actions = h.session().pollActions();

        int answer = indexOf(actions, a -> a instanceof SessionAction.Publish);
        int stored = indexOf(actions, a -> a instanceof SessionAction.Persist p && !p.durable()
                && p.state().observed().contains("deviceInfo"));
        assertThat(stored).isNotNegative().isLessThan(answer);
    }

    private interface Match {
        boolean test(SessionAction a);
    }

    private static int indexOf(List<SessionAction> actions, Match m) {
        for (int i = 0; i < actions.size(); i++) {
            if (m.test(actions.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void the_answer_memory_forgets_the_oldest_beyond_its_byte_bound() {
        SessionHarness h = SessionHarness.builder().allHandlers().configure(c -> c.answerMemoryBytes(200)).build()
                .connectAndManage(PARAMS);
        String last = null;
        for (int i = 0; i < 20; i++) {
            last = h.platform().sendCancel("location");
        }
        h.drainPublished();

        List<DeviceState.Answer> kept = h.session().state().answered();
        long bytes = kept.stream().mapToLong(a -> a.reqId().length() + a.response().length()).sum();
        assertThat(bytes).isLessThanOrEqualTo(200);
        assertThat(kept).hasSizeBetween(2, 19);
        assertThat(kept.get(kept.size() - 1).reqId()).isEqualTo(last);
    }

    @Test
    void the_answer_memory_bound_defaults_to_256_kib() {
        assertThat(SessionConfig.builder().reqIds(() -> "x").build().answerMemoryBytes()).isEqualTo(256 * 1024);
    }

    @Test
    void a_request_made_offline_goes_out_after_the_manage_of_the_next_connection_and_completes_once() {
        SessionHarness h = device(SessionHarness.Acks.AUTO);
        h.loseConnection();
        long token = h.addErrorCode(7);
        h.assertNothingMorePublished();

        h.connect();
        h.takePublished(Manage.class);
        AddErrorCode sent = h.takePublished(AddErrorCode.class);
        h.platform().respond(sent.reqId(), Rc.OK);

        assertThat(h.outcome(token)).isAnsweredWith(Rc.OK);
    }

    @Test
    void a_request_lost_unanswered_with_a_clean_session_is_published_again_with_identical_bytes() {
        SessionHarness h = device(SessionHarness.Acks.AUTO);
        long token = h.addErrorCode(7);
        Sent first = h.takeSent();

        h.loseConnection();
        h.advanceSeconds(600); // no timeout runs while the request waits for a connection
        h.connect(false);
        h.takePublished(Manage.class);
        Sent again = h.takeSent();

        assertThat(again.payload()).isEqualTo(first.payload());
        h.platform().respond(((AddErrorCode) again.message()).reqId(), Rc.OK);
        assertThat(h.outcome(token)).isAnsweredWith(Rc.OK);
    }

    @Test
    void a_request_in_flight_on_a_kept_session_is_left_to_the_transport() {
        SessionHarness h = SessionHarness.builder().configure(c -> c.keepsSession(true)).build()
                .connectAndManage(ManageParams.of(0, false, false));
        long token = h.addErrorCode(7);
        AddErrorCode first = h.takePublished(AddErrorCode.class);

        h.loseConnection();
        h.connect(true);
        h.takePublished(Manage.class);
        h.assertNothingMorePublished();
        h.platform().respond(first.reqId(), Rc.OK);

        assertThat(h.outcome(token)).isAnsweredWith(Rc.OK);
    }

    @Test
    void an_answer_the_transport_gave_up_on_is_re_sent_by_the_session_even_when_the_broker_kept_the_session() {
        SessionHarness h = SessionHarness.builder().allHandlers().acks(SessionHarness.Acks.MANUAL)
                .configure(c -> c.keepsSession(true)).build().connectAndManage(PARAMS);
        h.ackAll();
        h.platform().sendObserve("mgmt.firmware");
        Sent answer = h.takeSent();

        // The transport failed the publish (it was never written, e.g. still in the outbound
        // queue), then the connection was lost: no layer below holds a copy.
        h.failPublish(answer, PublishFailure.NOT_CONNECTED);
        h.loseConnection();
        h.connect(true);
        h.takePublished(Manage.class);

        Sent again = h.takeSent();
        assertThat(again.topic()).isEqualTo(answer.topic());
        assertThat(again.payload()).isEqualTo(answer.payload());
    }

    @Test
    void answers_the_transport_gave_up_on_in_any_order_go_out_again_in_the_order_first_published() {
        SessionHarness h = SessionHarness.builder().allHandlers().acks(SessionHarness.Acks.MANUAL)
                .configure(c -> c.keepsSession(true)).build().connectAndManage(PARAMS);
        h.ackAll();
        h.platform().sendObserve("mgmt.firmware");
        Sent first = h.takeSent();
        h.platform().sendCancel("mgmt.firmware");
        Sent second = h.takeSent();

        // A transport may fail the publishes of a dead connection in any order.
        h.failPublish(second, PublishFailure.NOT_CONNECTED);
        h.failPublish(first, PublishFailure.NOT_CONNECTED);
        h.loseConnection();
        h.connect(true);
        h.takePublished(Manage.class);

        assertThat(h.takeSent().payload()).isEqualTo(first.payload());
        assertThat(h.takeSent().payload()).isEqualTo(second.payload());
    }

    @Test
    void an_answer_the_transport_still_holds_on_a_kept_session_is_left_to_it_and_re_sent_on_a_new_session() {
        SessionHarness h = SessionHarness.builder().allHandlers().acks(SessionHarness.Acks.MANUAL)
                .configure(c -> c.keepsSession(true)).build().connectAndManage(PARAMS);
        h.ackAll();
        h.platform().sendObserve("mgmt.firmware");
        Sent answer = h.takeSent();

        h.loseConnection(); // its future stays pending: the transport re-sends it with DUP
        h.connect(true);
        h.takePublished(Manage.class);
        h.ackAll();
        h.assertNothingMorePublished();

        h.loseConnection();
        h.connect(false); // the broker lost the session: the transport cannot re-send it
        h.takePublished(Manage.class);
        Sent again = h.takeSent();
        assertThat(again.payload()).isEqualTo(answer.payload());
    }

    @Test
    void a_request_beyond_the_offline_limit_fails_with_an_event() {
        SessionHarness h = SessionHarness.builder().configure(c -> c.offlineEventLimit(1)).build();
        h.addErrorCode(1);
        long refused = h.addErrorCode(2);

        assertThat(h.outcome(refused)).isFailedWith(OfflineQueueFullException.class);
        assertThat(h.takeEvent(SessionEvent.OfflineQueueFull.class).limit()).isEqualTo(1);
    }

    @Test
    void a_request_with_the_fail_fast_policy_fails_at_once_with_an_event() {
        SessionHarness h = SessionHarness.builder().configure(c -> c.offlineEventLimit(0)).build();
        long token = h.addErrorCode(1);

        assertThat(h.outcome(token)).isFailedWith(DeliveryFailedException.class);
        assertThat(h.takeEvent(SessionEvent.OfflineQueueFull.class).limit()).isZero();
    }
}
