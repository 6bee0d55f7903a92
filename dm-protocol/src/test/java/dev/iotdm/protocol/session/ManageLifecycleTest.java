package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThatThrownBy;

import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Supports;
import dev.iotdm.protocol.message.Unmanage;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ManageLifecycleTest {

    private static final ManageParams PARAMS = ManageParams.of(0, true, true, "acme-plugins-v1");

    @Test
    void connect_subscribes_both_filters_and_is_ready_only_when_the_suback_is_in() {
        SessionHarness h = SessionHarness.create();
        h.manage(PARAMS);
        h.beginConnect(false);

        assertThat(h.subscribes()).extracting(SessionAction.Subscribe::filters)
                .containsExactly(List.of("iotdm-1/#", "iot-2/cmd/+/fmt/+"));
        assertThat(h.session().isReady()).isFalse();
        h.assertNothingMorePublished().assertNoEvent(SessionEvent.Ready.class);

        h.answerSubscription(true, true);
        assertThat(h.session().isReady()).isTrue();
        assertThat(h.takeEvent(SessionEvent.Ready.class).sessionPresent()).isFalse();
        h.takePublished(Manage.class);
    }

    @Test
    void a_refused_dm_subscription_fails_the_connect_with_a_disconnect() {
        SessionHarness h = SessionHarness.create();
        h.manage(PARAMS);
        h.beginConnect(false).answerSubscription(false, true);

        assertThat(h.takeEvent(SessionEvent.SubscriptionRefused.class).filter()).isEqualTo("iotdm-1/#");
        assertThat(h.disconnects()).hasSize(1);
        assertThat(h.session().isReady()).isFalse();
        h.assertNothingMorePublished().assertNoEvent(SessionEvent.Ready.class);
    }

    @Test
    void a_refused_command_subscription_is_reported_but_dm_works() {
        SessionHarness h = SessionHarness.create();
        h.manage(PARAMS);
        h.beginConnect(false).answerSubscription(true, false);

        assertThat(h.takeEvent(SessionEvent.ProtocolProblem.class).description()).contains("iot-2/cmd/+/fmt/+");
        assertThat(h.disconnects()).isEmpty();
        h.takeEvent(SessionEvent.Ready.class);
        h.takePublished(Manage.class);
    }

    @Test
    void manage_sends_one_manage_with_the_parameters_and_the_device_model_and_completes_with_the_answer() {
        DeviceInfo info = DeviceInfo.builder().serialNumber("SN-1").fwVersion("1.0").build();
        SessionHarness h = SessionHarness.builder().configure(c -> c.deviceInfo(info)).build().connect();

        long token = h.manage(ManageParams.of(7200, true, false, "acme-plugins-v1"));
        Manage m = h.takePublished(Manage.class);
        h.assertNothingMorePublished();

        assertThat(m.lifetime()).isEqualTo(OptionalLong.of(7200));
        assertThat(m.supports()).contains(new Supports(true, false, List.of("acme-plugins-v1")));
        assertThat(m.deviceInfo()).contains(info);
        assertThat(h.isCompleted(token)).isFalse();

        h.answerLastRequest(Rc.OK);
        assertThat(h.outcome(token)).isAnsweredWith(Rc.OK);
        h.assertNoEvent(SessionEvent.AutoManageSucceeded.class);
    }

    @Test
    void manage_called_offline_goes_out_after_the_subscription_and_completes_its_token() {
        SessionHarness h = SessionHarness.create();
        long token = h.manage(PARAMS);
        h.assertNothingMorePublished();

        h.connect();
        h.takePublished(Manage.class);
        h.answerLastRequest(Rc.OK);
        assertThat(h.outcome(token)).isAnsweredWith(Rc.OK);
    }

    @Test
    void every_reconnect_resubscribes_and_sends_exactly_one_manage_with_the_same_parameters() {
        SessionHarness h = SessionHarness.create().connectAndManage(PARAMS);
        Manage first = (Manage) h.published().get(0).message();

        for (int i = 1; i <= 3; i++) {
            h.reconnect(false);
            assertThat(h.subscribes()).hasSize(i + 1);
            Manage again = h.takePublished(Manage.class);
            h.assertNothingMorePublished();
            assertThat(again.reqId()).isNotEqualTo(first.reqId());
            assertThat(again.lifetime()).isEqualTo(first.lifetime());
            assertThat(again.supports()).isEqualTo(first.supports());
            h.answerLastRequest(Rc.OK);
            assertThat(h.takeEvent(SessionEvent.AutoManageSucceeded.class).reason()).isEqualTo("connected");
        }
    }

    @Test
    void unmanage_sends_unmanage_and_stops_the_manage_after_reconnect() {
        SessionHarness h = SessionHarness.create().connectAndManage(PARAMS);

        long token = h.unmanage();
        h.takePublished(Unmanage.class);
        h.answerLastRequest(Rc.OK);
        assertThat(h.outcome(token)).isAnsweredWith(Rc.OK);
        assertThat(h.session().wantsManaged()).isFalse();

        h.reconnect(false);
        h.assertNothingMorePublished();
    }

    @Test
    void close_does_not_unmanage() {
        SessionHarness h = SessionHarness.create().connectAndManage(PARAMS);
        h.close();
        h.assertNothingMorePublished();
        assertThat(h.session().wantsManaged()).isTrue();
    }

    @Test
    void lifetime_is_checked_locally_zero_or_at_least_3600() {
        assertThatThrownBy(() -> ManageParams.of(3599, false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lifetime");
        assertThatThrownBy(() -> ManageParams.of(-1, false, false)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ManageParams.of(0, false, false).lifetimeSeconds()).isZero();
        assertThat(ManageParams.of(3600, false, false).lifetimeSeconds()).isEqualTo(3600);
    }

    @Test
    void one_timer_re_manages_before_the_lifetime_expires_and_again_after_each_success() {
        SessionHarness h = SessionHarness.create().connectAndManage(ManageParams.of(3600, false, false));
        // A tenth of the lifetime early, at least two minutes: 3600 - 360 = 3240 s.
        h.advanceSeconds(3239);
        h.assertNothingMorePublished();
        h.advanceSeconds(1);
        assertThat(h.takePublished(Manage.class).lifetime()).isEqualTo(OptionalLong.of(3600));
        h.assertNothingMorePublished();
        h.answerLastRequest(Rc.OK);
        assertThat(h.takeEvent(SessionEvent.AutoManageSucceeded.class).reason()).isEqualTo("lifetime");

        h.advanceSeconds(3240);
        h.takePublished(Manage.class);
        h.assertNothingMorePublished();
    }

    @Test
    void lifetime_zero_sets_no_re_manage_timer() {
        SessionHarness h = SessionHarness.create().connectAndManage(PARAMS);
        assertThat(h.session().nextTimer()).isEmpty();
    }

    @Test
    void a_re_manage_timer_that_falls_due_offline_does_not_spin_and_the_reconnect_sends_one_manage() {
        SessionHarness h = SessionHarness.create().connectAndManage(ManageParams.of(3600, false, false));
        h.loseConnection();
        h.advance(Duration.ofHours(5)); // fails the test if nextTimer() stays due after tick
        h.assertNothingMorePublished();

        h.connect();
        h.takePublished(Manage.class);
        h.assertNothingMorePublished();
    }

    @Test
    void a_non_200_answer_fails_the_manage_token_without_automatic_events() {
        SessionHarness h = SessionHarness.create().connect();
        long token = h.manage(PARAMS);
        h.takePublished(Manage.class);
        h.answerLastRequest(Rc.BAD_REQUEST);

        assertThat(h.outcome(token)).isAnsweredWith(Rc.BAD_REQUEST);
        h.assertNoEvent(SessionEvent.AutoManageFailed.class).assertNoEvent(SessionEvent.AutoManageSucceeded.class);
    }

    @Test
    void a_manage_whose_publish_is_refused_fails_its_token_at_once_not_at_the_request_timeout() {
        SessionHarness h = SessionHarness.builder().acks(SessionHarness.Acks.MANUAL).build().connect();
        long token = h.manage(PARAMS);

        h.failPublish(h.unacked().get(0), PublishFailure.REFUSED_BY_BROKER);

        assertThat(h.outcome(token)).isFailedWith(DeliveryFailedException.class);
        assertThat(h.session().nextTimer()).isEmpty();
    }

    @Test
    void an_automatic_manage_whose_publish_is_refused_is_reported_and_retried() {
        SessionHarness h = SessionHarness.builder().acks(SessionHarness.Acks.MANUAL).build();
        h.manage(PARAMS);
        h.connect();
        h.ackAll();
        h.answerLastRequest(Rc.OK);
        h.reconnect(false);

        h.failPublish(h.unacked().get(h.unacked().size() - 1), PublishFailure.REFUSED_BY_BROKER);

        assertThat(h.takeEvent(SessionEvent.AutoManageFailed.class).detail()).contains("REFUSED_BY_BROKER");
        assertThat(h.session().nextTimer()).isPresent();
    }

    @Test
    void an_unanswered_manage_times_out_its_token_without_automatic_events() {
        SessionHarness h = SessionHarness.builder().configure(c -> c.requestTimeout(Duration.ofSeconds(10)))
                .build().connect();
        long token = h.manage(PARAMS);
        h.takePublished(Manage.class);

        h.advanceSeconds(9);
        assertThat(h.isCompleted(token)).isFalse();
        h.advanceSeconds(1);
        assertThat(h.outcome(token)).isTimedOut();
        h.assertNoEvent(SessionEvent.AutoManageFailed.class);
    }

    @Test
    void a_manage_answered_200_after_its_timeout_still_re_manages_before_the_lifetime_ends() {
        // The platform counts the lifetime from its late 200: without a timer the device would
        // never re-manage and go dormant after an hour (C13.6).
        SessionHarness h = SessionHarness.builder().configure(c -> c.requestTimeout(Duration.ofSeconds(10)))
                .build().connect();
        long token = h.manage(ManageParams.of(3600, false, false));
        h.takePublished(Manage.class);
        h.advanceSeconds(10);
        assertThat(h.outcome(token)).isTimedOut();
        h.advanceSeconds(5);
        h.answerLastRequest(Rc.OK);

        h.advanceSeconds(3239);
        h.assertNothingMorePublished();
        h.advanceSeconds(1);
        assertThat(h.takePublished(Manage.class).lifetime()).isEqualTo(OptionalLong.of(3600));
    }

    @Test
    void an_automatic_manage_answered_200_after_its_timeout_is_not_sent_again() {
        SessionHarness h = SessionHarness.builder().configure(c -> c.requestTimeout(Duration.ofSeconds(10))
                .manageRetry(Duration.ofSeconds(5), Duration.ofSeconds(60))).build()
                .connectAndManage(ManageParams.of(3600, false, false));
        h.reconnect(false);
        h.takePublished(Manage.class);
        h.advanceSeconds(10);
        h.takeEvent(SessionEvent.AutoManageFailed.class);
        h.advanceSeconds(2);
        h.answerLastRequest(Rc.OK);

        // No retry at 15 s: an identical manage the platform already accepted (R12.15).
        h.advanceSeconds(3239);
        h.assertNothingMorePublished();
    }

    @Test
    void the_automatic_manage_after_reconnect_retries_with_capped_backoff() {
        SessionHarness h = SessionHarness.builder()
                .configure(c -> c.manageRetry(Duration.ofSeconds(5), Duration.ofSeconds(20))).build()
                .connectAndManage(PARAMS);
        h.reconnect(false);
        h.takePublished(Manage.class);

        List<Duration> delays = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            h.answerLastRequest(Rc.INTERNAL_ERROR);
            SessionEvent.AutoManageFailed failed = h.takeEvent(SessionEvent.AutoManageFailed.class);
            assertThat(failed.detail()).contains("500");
            delays.add(failed.retryIn());
            h.advance(failed.retryIn().minusMillis(1));
            h.assertNothingMorePublished();
            h.advance(Duration.ofMillis(1));
            h.takePublished(Manage.class);
        }
        assertThat(delays).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(20));

        h.answerLastRequest(Rc.OK);
        assertThat(h.takeEvent(SessionEvent.AutoManageSucceeded.class).reason()).isEqualTo("retry");
        h.advance(Duration.ofHours(1));
        h.assertNothingMorePublished();
    }

    @Test
    void an_unanswered_automatic_manage_is_reported_and_retried() {
        SessionHarness h = SessionHarness.builder().configure(c -> c.requestTimeout(Duration.ofSeconds(10))
                .manageRetry(Duration.ofSeconds(5), Duration.ofSeconds(60))).build().connectAndManage(PARAMS);
        h.reconnect(false);
        h.takePublished(Manage.class);

        h.advanceSeconds(10);
        SessionEvent.AutoManageFailed failed = h.takeEvent(SessionEvent.AutoManageFailed.class);
        assertThat(failed.detail()).contains("no response");
        h.advanceSeconds(5);
        h.takePublished(Manage.class);
    }

    @Test
    void never_two_manages_in_flight_and_each_token_gets_the_answer_to_its_own_manage() {
        SessionHarness h = SessionHarness.create().connect();
        long first = h.manage(ManageParams.of(0, false, false));
        Manage m1 = h.takePublished(Manage.class);
        long second = h.manage(ManageParams.of(0, true, true));
        h.assertNothingMorePublished();

        h.platform().respond(m1.reqId(), Rc.OK);
        assertThat(h.outcome(first)).isAnsweredWith(Rc.OK);
        assertThat(h.isCompleted(second)).as("the second token waits for the manage with its parameters").isFalse();

        Manage m2 = h.takePublished(Manage.class);
        assertThat(m2.supports()).contains(Supports.of(true, true));
        h.platform().respond(m2.reqId(), Rc.CONFLICT);
        assertThat(h.outcome(second)).isAnsweredWith(Rc.CONFLICT);
    }

    @Test
    void a_manage_requested_while_the_automatic_one_is_in_flight_goes_out_after_it() {
        SessionHarness h = SessionHarness.create().connectAndManage(ManageParams.of(0, false, false));
        h.reconnect(false);
        Manage auto = h.takePublished(Manage.class);
        long token = h.manage(ManageParams.of(0, true, false));
        h.assertNothingMorePublished();

        h.platform().respond(auto.reqId(), Rc.OK);
        assertThat(h.takeEvent(SessionEvent.AutoManageSucceeded.class).reason()).isEqualTo("connected");
        assertThat(h.isCompleted(token)).isFalse();
        Manage requested = h.takePublished(Manage.class);
        assertThat(requested.supports()).contains(Supports.of(true, false));
        h.platform().respond(requested.reqId(), Rc.OK);
        assertThat(h.outcome(token)).isAnsweredWith(Rc.OK);
    }

    @Test
    void a_manage_token_waits_across_a_lost_connection_for_the_manage_after_reconnect() {
        SessionHarness h = SessionHarness.create().connect();
        long token = h.manage(PARAMS);
        h.takePublished(Manage.class);
        h.reconnect(false);
        h.takePublished(Manage.class);
        h.answerLastRequest(Rc.OK);
        assertThat(h.outcome(token)).isAnsweredWith(Rc.OK);
    }

    @Test
    void unmanage_fails_a_manage_token_still_waiting() {
        SessionHarness h = SessionHarness.create();
        long token = h.manage(PARAMS);
        h.unmanage();
        assertThat(h.outcome(token)).isFailedWith(IllegalStateException.class);
    }

    @Test
    void calls_after_close_fail_fast() {
        SessionHarness h = SessionHarness.create().close();
        assertThatThrownBy(() -> h.manage(PARAMS)).isInstanceOf(SessionClosedException.class);
        assertThat(h.session().nextTimer()).isEmpty();
    }

    @Test
    void close_leaves_no_timer_even_when_managed_with_a_lifetime() {
        SessionHarness h = SessionHarness.create().connectAndManage(ManageParams.of(3600, false, false));
        assertThat(h.session().nextTimer()).isPresent();
        h.close();
        assertThat(h.session().nextTimer()).isEmpty();
    }
}
