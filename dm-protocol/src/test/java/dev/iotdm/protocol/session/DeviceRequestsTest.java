package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;

import dev.iotdm.protocol.message.AddErrorCode;
import dev.iotdm.protocol.message.AddLog;
import dev.iotdm.protocol.message.ClearErrorCodes;
import dev.iotdm.protocol.message.ClearLog;
import dev.iotdm.protocol.message.DeviceRequest;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LogEntry;
import dev.iotdm.protocol.message.LogSeverity;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Timestamp;
import dev.iotdm.protocol.message.Unmanage;
import dev.iotdm.protocol.message.UpdateLocation;
import java.time.Duration;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeviceRequestsTest {

    private static final LogEntry LOG = LogEntry.of("disk nearly full",
            new Timestamp("2018-05-01T10:15:30.000Z"), "some data", LogSeverity.WARNING);

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("location", (ToLongFunction<SessionHarness>) h -> h.updateLocation(Location.of(30.2, -97.7)),
                        UpdateLocation.class, "iotdevice-1/device/update/location"),
                Arguments.of("add error code", (ToLongFunction<SessionHarness>) h -> h.addErrorCode(42),
                        AddErrorCode.class, "iotdevice-1/add/diag/errorCodes"),
                Arguments.of("clear error codes", (ToLongFunction<SessionHarness>) SessionHarness::clearErrorCodes,
                        ClearErrorCodes.class, "iotdevice-1/clear/diag/errorCodes"),
                Arguments.of("add log", (ToLongFunction<SessionHarness>) h -> h.addLog(LOG),
                        AddLog.class, "iotdevice-1/add/diag/log"),
                Arguments.of("clear log", (ToLongFunction<SessionHarness>) SessionHarness::clearLog,
                        ClearLog.class, "iotdevice-1/clear/diag/log"),
                Arguments.of("unmanage", (ToLongFunction<SessionHarness>) SessionHarness::unmanage,
                        Unmanage.class, "iotdevice-1/mgmt/unmanage"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void each_device_request_completes_with_the_platform_answer_to_its_req_id(String name,
            ToLongFunction<SessionHarness> call, Class<? extends DeviceRequest> type, String topic) {
        SessionHarness h = SessionHarness.create().connect();
        long token = call.applyAsLong(h);

        Sent sent = h.takeSent();
        assertThat(sent.topic()).isEqualTo(topic);
        assertThat(sent.qos()).isEqualTo(1);
        assertThat(sent.message()).isInstanceOf(type);
        assertThat(h.isCompleted(token)).isFalse();

        PlatformResponse answer = PlatformResponse.of(sent.message().requestId().orElseThrow(), Rc.OK, "fine");
        h.deliver(answer);
        assertThat(h.outcome(token)).isAnswered(answer);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void each_device_request_fails_fast_when_not_connected_and_the_offline_policy_is_to_fail(String name,
            ToLongFunction<SessionHarness> call, Class<? extends DeviceRequest> type, String topic) {
        SessionHarness h = SessionHarness.builder().configure(c -> c.offlineEventLimit(0)).build();
        long token = call.applyAsLong(h);
        assertThat(h.outcome(token)).isFailedWith(DeliveryFailedException.class);
        h.assertNothingMorePublished();
    }

    @Test
    void an_answer_arriving_before_the_publish_is_acknowledged_completes_the_request() {
        SessionHarness h = SessionHarness.builder().acks(SessionHarness.Acks.MANUAL).build().connect();
        long token = h.addErrorCode(7);
        assertThat(h.unacked()).hasSize(1);

        h.answerLastRequest(Rc.OK);
        assertThat(h.outcome(token)).isAnsweredWith(Rc.OK);
        h.ackAll();
        assertThat(h.outcome(token)).isAnsweredWith(Rc.OK);
    }

    @Test
    void the_timeout_is_configurable_and_a_late_answer_is_ignored() {
        SessionHarness h = SessionHarness.builder().configure(c -> c.requestTimeout(Duration.ofSeconds(5)))
                .build().connect();
        long token = h.addErrorCode(1);
        DeviceRequest request = h.takePublished(AddErrorCode.class);

        h.advance(Duration.ofMillis(4999));
        assertThat(h.isCompleted(token)).isFalse();
        h.advance(Duration.ofMillis(1));
        assertThat(h.outcome(token)).isTimedOut();
        assertThat(((RequestOutcome.TimedOut) h.outcome(token)).after()).isEqualTo(Duration.ofSeconds(5));

        h.platform().respond(request.requestId().orElseThrow(), Rc.OK); // would fail the harness if completed twice
        assertThat(h.outcome(token)).isTimedOut();
        assertThat(h.session().nextTimer()).isEmpty();
    }

    @Test
    void answers_with_unknown_req_ids_are_ignored_and_each_request_gets_its_own_answer() {
        SessionHarness h = SessionHarness.create().connect();
        long first = h.addErrorCode(1);
        String firstId = h.takePublished(AddErrorCode.class).reqId();
        long second = h.clearLog();
        String secondId = h.takePublished(ClearLog.class).reqId();

        h.platform().respond("unknown", Rc.OK);
        assertThat(h.isCompleted(first)).isFalse();
        assertThat(h.isCompleted(second)).isFalse();

        h.platform().respond(secondId, Rc.NOT_FOUND);
        h.platform().respond(firstId, Rc.CONFLICT);
        h.platform().respond(firstId, Rc.OK); // a duplicate: ignored
        assertThat(h.outcome(first)).isAnsweredWith(Rc.CONFLICT);
        assertThat(h.outcome(second)).isAnsweredWith(Rc.NOT_FOUND);
    }

    @Test
    void a_failed_publish_fails_the_request() {
        SessionHarness h = SessionHarness.builder().acks(SessionHarness.Acks.MANUAL).build().connect();
        long token = h.clearErrorCodes();
        h.failPublish(h.unacked().get(0), PublishFailure.REFUSED_BY_BROKER);
        assertThat(h.outcome(token)).isFailedWith(DeliveryFailedException.class);
        assertThat(h.session().nextTimer()).isEmpty();
    }

    @Test
    void a_request_waits_across_a_lost_connection_and_a_kept_session_may_still_answer_it() {
        SessionHarness h = SessionHarness.create().connect();
        long token = h.addErrorCode(3);
        String reqId = h.takePublished(AddErrorCode.class).reqId();
        h.reconnect(true);

        h.platform().respond(reqId, Rc.OK);
        assertThat(h.outcome(token)).isAnsweredWith(Rc.OK);
    }

    @Test
    void close_fails_every_waiting_request_and_leaves_no_timer() {
        SessionHarness h = SessionHarness.create().connect();
        long token = h.addErrorCode(3);
        h.close();
        assertThat(h.outcome(token)).isFailedWith(SessionClosedException.class);
        assertThat(h.session().nextTimer()).isEmpty();
    }

    @Test
    void the_request_carries_the_values_given() {
        SessionHarness h = SessionHarness.create().connect();
        h.addLog(LOG);
        assertThat(h.takePublished(AddLog.class).entry()).isEqualTo(LOG);
        h.addErrorCode(42);
        assertThat(h.takePublished(AddErrorCode.class).errorCode()).isEqualTo(42);
    }
}
