package dev.iotdm.testkit.platform;

import dev.iotdm.protocol.codec.Normalisation;
import dev.iotdm.protocol.codec.Problem;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.LogSeverity;
import dev.iotdm.protocol.message.Supports;
import dev.iotdm.protocol.topic.Direction;
import dev.iotdm.testkit.broker.PublishRefusal;
import dev.iotdm.testkit.platform.PlatformEvent.DecodeProblem;
import dev.iotdm.testkit.platform.PlatformEvent.DeviceEvent;
import dev.iotdm.testkit.platform.PlatformEvent.MessageSeen;
import dev.iotdm.testkit.platform.PlatformFault.Target;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static dev.iotdm.testkit.platform.EngineHarness.MANAGE;
import static dev.iotdm.testkit.platform.EngineHarness.NOTIFY;
import static dev.iotdm.testkit.platform.EngineHarness.RESPONSE;
import static dev.iotdm.testkit.platform.EngineHarness.T0;
import static dev.iotdm.testkit.platform.EngineHarness.rc;
import static dev.iotdm.testkit.platform.EngineHarness.reqId;
import static dev.iotdm.testkit.platform.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

/** The platform's answers to device requests (protocol.md §3, §5.2, §9, §14), on a virtual clock. */
class PlatformEngineTest {

    private final EngineHarness h = new EngineHarness();

    @Test
    void manage_is_answered_200_and_records_lifetime_supports_device_info_and_metadata() {
        String device = h.register("dev1");
        h.publish(device, MANAGE, """
                {"reqId":"m1","d":{"lifetime":7200,
                 "supports":{"deviceActions":true,"firmwareActions":false,"acme-v1":true},
                 "deviceInfo":{"serialNumber":"SN-1","fwVersion":"1.0"},
                 "metadata":{"owner":"ops"}}}""");

        JsonObject answer = h.takeResponse(device);
        assertThat(rc(answer)).isEqualTo(200);
        assertThat(reqId(answer)).isEqualTo("m1");
        DeviceView view = h.engine.device(device).orElseThrow();
        assertThat(view.managed()).isTrue();
        assertThat(view.lifetime()).hasValue(7200);
        assertThat(view.dormantAt()).contains(T0.plusSeconds(7200));
        assertThat(view.supports()).contains(Supports.of(true, false, "acme-v1"));
        assertThat(view.deviceInfo().orElseThrow().serialNumber()).contains("SN-1");
        assertThat(view.metadata().orElseThrow().get("owner")).isPresent();
        assertThat(view.manageCount()).isEqualTo(1);
    }

    @Test
    void manage_with_a_lifetime_below_3600_is_answered_400_and_not_applied() {
        String device = h.register("dev1");
        h.publish(device, MANAGE, "{\"reqId\":\"m1\",\"d\":{\"lifetime\":60}}");

        JsonObject answer = h.takeResponse(device);
        assertThat(rc(answer)).isEqualTo(400);
        assertThat(text(answer, "message")).contains("lifetime");
        assertThat(h.engine.device(device).orElseThrow().managed()).isFalse();
        assertThat(h.events(DecodeProblem.class)).singleElement()
                .satisfies(p -> assertThat(p.error().orElseThrow().problem()).isEqualTo(Problem.OUT_OF_RANGE));
    }

    @Test
    void malformed_json_with_a_readable_reqId_is_answered_400() {
        String device = h.managed("dev1");
        h.publish(device, "iotdevice-1/add/diag/errorCodes", "{\"reqId\":\"e1\",\"d\":{\"errorCode\":\"x\"}}");

        JsonObject answer = h.takeResponse(device);
        assertThat(rc(answer)).isEqualTo(400);
        assertThat(reqId(answer)).isEqualTo("e1");
        assertThat(h.engine.device(device).orElseThrow().errorCodes()).isEmpty();
    }

    @Test
    void a_request_on_an_unknown_device_topic_is_answered_404() {
        String device = h.managed("dev1");
        h.publish(device, "iotdevice-1/mgmt/reticulate", "{\"reqId\":\"u1\"}");

        JsonObject answer = h.takeResponse(device);
        assertThat(rc(answer)).isEqualTo(404);
        assertThat(reqId(answer)).isEqualTo("u1");
    }

    @Test
    void a_device_not_in_the_registry_is_answered_404() {
        h.publish("d:org1:sensor:ghost", MANAGE, "{\"reqId\":\"m1\"}");

        assertThat(rc(h.takeResponse("d:org1:sensor:ghost"))).isEqualTo(404);
    }

    @Test
    void an_unmanaged_device_gets_400_for_every_dm_request_but_manage() {
        String device = h.register("dev1");
        List<String> requests = List.of(
                "iotdevice-1/device/update/location|{\"reqId\":\"r1\",\"d\":{\"latitude\":1,\"longitude\":2}}",
                "iotdevice-1/add/diag/errorCodes|{\"reqId\":\"r2\",\"d\":{\"errorCode\":7}}",
                "iotdevice-1/clear/diag/errorCodes|{\"reqId\":\"r3\"}",
                "iotdevice-1/add/diag/log|{\"reqId\":\"r4\",\"d\":{\"message\":\"m\",\"timestamp\":"
                        + "\"2026-11-25T12:00:00Z\",\"severity\":0}}",
                "iotdevice-1/clear/diag/log|{\"reqId\":\"r5\"}",
                "iotdevice-1/mgmt/unmanage|{\"reqId\":\"r6\"}",
                "iotdevice-1/notify|{\"reqId\":\"r7\",\"d\":{\"fields\":[{\"field\":\"location\","
                        + "\"value\":{\"latitude\":1,\"longitude\":2}}]}}");
        for (String request : requests) {
            String[] parts = request.split("\\|", 2);
            h.publish(device, parts[0], parts[1]);
            JsonObject answer = h.takeResponse(device);
            assertThat(rc(answer)).as(parts[0]).isEqualTo(400);
            assertThat(text(answer, "message")).contains("not managed");
        }
        DeviceView view = h.engine.device(device).orElseThrow();
        assertThat(view.errorCodes()).isEmpty();
        assertThat(view.location()).isEmpty();
    }

    @Test
    void with_reject_unmanaged_off_an_unmanaged_device_may_send_diagnostics() {
        EngineHarness lenient = new EngineHarness(PlatformConfig.defaults().withRejectUnmanaged(false));
        String device = lenient.register("dev1");
        lenient.publish(device, "iotdevice-1/add/diag/errorCodes", "{\"reqId\":\"r1\",\"d\":{\"errorCode\":7}}");

        assertThat(rc(lenient.takeResponse(device))).isEqualTo(200);
        assertThat(lenient.engine.device(device).orElseThrow().errorCodes()).containsExactly(7);
    }

    @Test
    void unmanage_is_answered_200_and_clears_the_mgmt_attributes_and_observations() {
        String device = h.managed("dev1");
        OperationToken observe = h.started(h.engine.observe(h.now, device, List.of("location"), EngineHarness.TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/observe")), 200, "");
        assertThat(h.outcome(observe)).isInstanceOf(OperationOutcome.Succeeded.class);

        h.publish(device, "iotdevice-1/mgmt/unmanage", "{\"reqId\":\"u1\"}");

        assertThat(rc(h.takeResponse(device))).isEqualTo(200);
        DeviceView view = h.engine.device(device).orElseThrow();
        assertThat(view.managed()).isFalse();
        assertThat(view.dormant()).isFalse();
        assertThat(view.supports()).isEmpty();
        assertThat(view.observations()).isEmpty();
    }

    @Test
    void location_is_stored_with_the_platforms_updated_time_and_the_receipt_time_when_unmeasured() {
        String device = h.managed("dev1");
        h.publish(device, "iotdevice-1/device/update/location", """
                {"reqId":"l1","d":{"latitude":30.28565,"longitude":-97.73921,"elevation":10}}""");

        assertThat(rc(h.takeResponse(device))).isEqualTo(200);
        var location = h.engine.device(device).orElseThrow().location().orElseThrow();
        assertThat(location.latitude()).isEqualTo(30.28565);
        assertThat(location.elevation()).hasValue(10);
        assertThat(location.accuracy()).isEmpty();
        assertThat(location.measuredDateTime().orElseThrow().toInstant(java.time.ZoneOffset.UTC)).isEqualTo(h.now);
        assertThat(location.updatedDateTime().orElseThrow().toInstant(java.time.ZoneOffset.UTC)).isEqualTo(h.now);
    }

    @Test
    void error_codes_are_appended_in_order_and_cleared() {
        String device = h.managed("dev1");
        h.publish(device, "iotdevice-1/add/diag/errorCodes", "{\"reqId\":\"e1\",\"d\":{\"errorCode\":42}}");
        h.publish(device, "iotdevice-1/add/diag/errorCodes", "{\"reqId\":\"e2\",\"d\":{\"errorCode\":-1}}");
        assertThat(h.engine.device(device).orElseThrow().errorCodes()).containsExactly(42, -1);

        h.publish(device, "iotdevice-1/clear/diag/errorCodes", "{\"reqId\":\"e3\"}");

        assertThat(List.of(rc(h.takeResponse(device)), rc(h.takeResponse(device)), rc(h.takeResponse(device))))
                .containsExactly(200, 200, 200);
        assertThat(h.engine.device(device).orElseThrow().errorCodes()).isEmpty();
    }

    @Test
    void the_log_keeps_only_the_newest_entries_up_to_its_capacity_and_is_cleared() {
        EngineHarness small = new EngineHarness(PlatformConfig.defaults().withLogCapacity(2));
        String device = small.managed("dev1");
        for (int i = 1; i <= 3; i++) {
            small.publish(device, "iotdevice-1/add/diag/log", """
                    {"reqId":"g%d","d":{"message":"entry %d","timestamp":"2026-11-25T12:00:0%dZ","severity":1}}"""
                    .formatted(i, i, i));
            assertThat(rc(small.takeResponse(device))).isEqualTo(200);
        }
        DeviceView view = small.engine.device(device).orElseThrow();
        assertThat(view.log()).extracting(e -> e.message()).containsExactly("entry 2", "entry 3");
        assertThat(view.log().get(0).severity()).isEqualTo(LogSeverity.WARNING);

        small.publish(device, "iotdevice-1/clear/diag/log", "{\"reqId\":\"c1\"}");

        assertThat(rc(small.takeResponse(device))).isEqualTo(200);
        assertThat(small.engine.device(device).orElseThrow().log()).isEmpty();
    }

    @Test
    void notify_of_a_field_the_platform_does_not_observe_is_answered_404() {
        String device = h.managed("dev1");
        h.publish(device, NOTIFY, """
                {"reqId":"n1","d":{"fields":[{"field":"mgmt.firmware","value":{"state":1}}]}}""");

        JsonObject answer = h.takeResponse(device);
        assertThat(rc(answer)).isEqualTo(404);
        assertThat(text(answer, "message")).contains("mgmt.firmware");
        assertThat(h.engine.device(device).orElseThrow().firmware()).isEmpty();
    }

    @Test
    void notify_of_an_observed_field_is_stored_and_answered_200_and_without_reqId_not_answered() {
        String device = h.managed("dev1");
        OperationToken observe = h.started(h.engine.observe(h.now, device, List.of("mgmt.firmware"),
                EngineHarness.TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/observe")), 200,
                ",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"state\":0,\"updateStatus\":0}}]}");
        assertThat(h.outcome(observe)).isInstanceOf(OperationOutcome.Succeeded.class);
        assertThat(h.engine.device(device).orElseThrow().firmwareState()).contains(FirmwareState.IDLE);

        h.publish(device, NOTIFY, """
                {"reqId":"n1","d":{"fields":[{"field":"mgmt.firmware","value":{"state":1}}]}}""");
        assertThat(rc(h.takeResponse(device))).isEqualTo(200);
        assertThat(h.engine.device(device).orElseThrow().firmwareState()).contains(FirmwareState.DOWNLOADING);

        // §14: no old client sends a reqId on notify; the sub-field form is covered by the observation (§12.28).
        h.publish(device, NOTIFY, "{\"d\":{\"field\":\"mgmt.firmware.state\",\"value\":2}}");
        assertThat(h.nothingSentTo(device)).isTrue();
        assertThat(h.engine.device(device).orElseThrow().firmwareState()).contains(FirmwareState.DOWNLOADED);
        assertThat(h.events(DecodeProblem.class)).anySatisfy(p ->
                assertThat(p.normalisations()).contains(Normalisation.NOTIFY_SINGLE_FIELD));
    }

    @Test
    void lifetime_expiry_makes_the_device_dormant_and_deletes_its_mgmt_attributes() {
        String device = h.register("dev1");
        h.publish(device, MANAGE, "{\"reqId\":\"m1\",\"d\":{\"lifetime\":3600,\"supports\":{\"firmwareActions\":true}}}");
        assertThat(rc(h.takeResponse(device))).isEqualTo(200);
        h.advance(Duration.ofSeconds(1));
        OperationToken observe = h.started(h.engine.observe(h.now, device, List.of("mgmt.firmware"),
                Duration.ofHours(2)));
        h.answer(device, reqId(h.take(device, "iotdm-1/observe")), 200,
                ",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"state\":0}}]}");
        assertThat(h.outcome(observe)).isInstanceOf(OperationOutcome.Succeeded.class);
        OperationToken reboot = h.started(h.engine.reboot(h.now, device, Duration.ofHours(2)));
        assertThat(h.engine.nextTimer()).contains(T0.plusSeconds(3600));

        h.advance(Duration.ofSeconds(3599));

        DeviceView view = h.engine.device(device).orElseThrow();
        assertThat(view.managed()).isFalse();
        assertThat(view.dormant()).isTrue();
        assertThat(view.dormantDateTime()).contains(T0.plusSeconds(3600));
        assertThat(view.supports()).isEmpty();
        assertThat(view.firmware()).isEmpty();
        assertThat(view.observations()).isEmpty();
        assertThat(h.outcome(reboot)).isInstanceOf(OperationOutcome.DeviceGone.class);

        h.publish(device, "iotdevice-1/add/diag/errorCodes", "{\"reqId\":\"e1\",\"d\":{\"errorCode\":1}}");
        h.take(device); // the reboot request sent before expiry
        assertThat(rc(h.takeResponse(device))).isEqualTo(400);
    }

    @Test
    void re_managing_before_expiry_moves_the_deadline() {
        String device = h.register("dev1");
        h.publish(device, MANAGE, "{\"reqId\":\"m1\",\"d\":{\"lifetime\":3600}}");
        h.advance(Duration.ofSeconds(3000));
        h.publish(device, MANAGE, "{\"reqId\":\"m2\",\"d\":{\"lifetime\":3600}}");
        h.advance(Duration.ofSeconds(3000));

        DeviceView view = h.engine.device(device).orElseThrow();
        assertThat(view.managed()).isTrue();
        assertThat(view.dormantAt()).contains(T0.plusSeconds(6600));
    }

    @Test
    void an_oversized_payload_disconnects_the_device() {
        String device = h.managed("dev1");
        byte[] huge = new byte[131073];
        Arrays.fill(huge, (byte) ' ');
        h.publish(device, "iotdevice-1/add/diag/log", huge, 1);

        assertThat(h.disconnects).singleElement().satisfies(d -> {
            assertThat(d.clientId()).isEqualTo(device);
            assertThat(d.reason()).contains("too large");
        });
        assertThat(h.nothingSentTo(device)).isTrue();

        h.engine.payloadRefused(h.now, device, "iotdevice-1/add/diag/log", PublishRefusal.PAYLOAD_TOO_LARGE);
        h.collect();
        assertThat(h.disconnects).hasSize(2);
    }

    @Test
    void the_conflict_fault_answers_409_without_applying_and_only_as_often_as_asked() {
        String device = h.managed("dev1");
        h.engine.addFault(new PlatformFault.AnswerConflict(
                Target.device(device).onTopic("iotdevice-1/add/diag/errorCodes"), 1));

        h.publish(device, "iotdevice-1/add/diag/errorCodes", "{\"reqId\":\"e1\",\"d\":{\"errorCode\":5}}");
        h.publish(device, "iotdevice-1/add/diag/errorCodes", "{\"reqId\":\"e2\",\"d\":{\"errorCode\":6}}");

        JsonObject first = h.takeResponse(device);
        assertThat(rc(first)).isEqualTo(409);
        assertThat(reqId(first)).isEqualTo("e1");
        assertThat(rc(h.takeResponse(device))).isEqualTo(200);
        assertThat(h.engine.device(device).orElseThrow().errorCodes()).containsExactly(6);
    }

    @Test
    void the_never_answer_fault_applies_the_request_but_sends_no_response() {
        String device = h.register("dev1");
        h.engine.addFault(new PlatformFault.NeverAnswer(Target.anyDevice().onTopic(MANAGE), 1));

        h.publish(device, MANAGE, "{\"reqId\":\"m1\"}");

        assertThat(h.nothingSentTo(device)).isTrue();
        assertThat(h.engine.device(device).orElseThrow().managed()).isTrue();
        h.publish(device, MANAGE, "{\"reqId\":\"m2\"}");
        assertThat(reqId(h.takeResponse(device))).isEqualTo("m2");
    }

    @Test
    void outgoing_faults_drop_duplicate_and_delay_messages_to_one_device() {
        String device = h.register("dev1");
        String other = h.register("dev2");
        h.engine.addFault(new PlatformFault.Drop(Target.device(device), 1));
        h.publish(device, MANAGE, "{\"reqId\":\"m1\"}");
        assertThat(h.nothingSentTo(device)).as("dropped").isTrue();

        h.engine.addFault(new PlatformFault.Duplicate(Target.device(device), 1));
        h.publish(device, MANAGE, "{\"reqId\":\"m2\"}");
        assertThat(reqId(h.takeResponse(device))).isEqualTo("m2");
        assertThat(reqId(h.takeResponse(device))).as("duplicated").isEqualTo("m2");

        h.engine.addFault(new PlatformFault.Delay(Target.device(device), Duration.ofSeconds(5), 1));
        h.publish(device, MANAGE, "{\"reqId\":\"m3\"}");
        h.publish(other, MANAGE, "{\"reqId\":\"o1\"}");
        assertThat(h.nothingSentTo(device)).as("delayed").isTrue();
        assertThat(reqId(h.takeResponse(other))).as("other devices unaffected").isEqualTo("o1");
        assertThat(h.engine.nextTimer()).contains(h.now.plusSeconds(5));

        h.advance(Duration.ofSeconds(5));
        assertThat(reqId(h.takeResponse(device))).isEqualTo("m3");
        assertThat(h.nothingSentTo(device)).isTrue();
        h.publish(device, MANAGE, "{\"reqId\":\"m4\"}");
        assertThat(reqId(h.takeResponse(device))).as("faults used up").isEqualTo("m4");
    }

    @Test
    void old_clients_are_served_qos0_repeated_manages_null_device_info_and_zoneless_log_timestamps() {
        String device = h.register("dev1");
        for (int i = 0; i < 10; i++) {
            // wiotp-sdk: one manage per SUBACK; node: QoS 0; ibmiotf: deviceInfo keys sent as null (§14).
            h.publish(device, MANAGE, ("{\"reqId\": \"m" + i + "\", \"d\": {\"lifetime\": 3600, \"supports\":"
                    + " {\"deviceActions\": true}, \"deviceInfo\": {\"serialNumber\": null, \"model\": \"T1\"},"
                    + " \"metadata\": {}}}").getBytes(StandardCharsets.UTF_8), 0);
            assertThat(rc(h.takeResponse(device))).isEqualTo(200);
        }
        h.publish(device, "iotdevice-1/add/diag/log", """
                {"reqId": "g1", "d": {"message": "m", "timestamp": "2026-11-25T13:08:16.748536", "data": "",
                 "severity": 0}}""");
        assertThat(rc(h.takeResponse(device))).isEqualTo(200);

        DeviceView view = h.engine.device(device).orElseThrow();
        assertThat(view.manageCount()).isEqualTo(10);
        assertThat(view.deviceInfo().orElseThrow().model()).contains("T1");
        assertThat(view.deviceInfo().orElseThrow().serialNumber()).isEmpty();
        assertThat(view.log()).singleElement().satisfies(e -> assertThat(e.message()).isEqualTo("m"));
        assertThat(h.events(DecodeProblem.class)).flatExtracting(DecodeProblem::normalisations)
                .contains(Normalisation.DEVICE_INFO_NULLS, Normalisation.ZONELESS_TIMESTAMP);
    }

    @Test
    void stale_and_reqId_less_responses_are_noted_and_ignored() {
        String device = h.managed("dev1");
        h.publish(device, RESPONSE, "{\"rc\":501,\"message\":\"x\",\"reqId\":\"req-reboot-1\"}");
        h.publish(device, RESPONSE, "{\"rc\":204,\"reqId\":null}");

        assertThat(h.nothingSentTo(device)).isTrue();
        assertThat(h.notes()).anySatisfy(n -> assertThat(n).contains("req-reboot-1"))
                .anySatisfy(n -> assertThat(n).contains("without reqId"));
        assertThat(h.events(DecodeProblem.class)).anySatisfy(p ->
                assertThat(p.normalisations()).contains(Normalisation.NULL_REQ_ID));
    }

    @Test
    void device_events_are_reported_and_not_answered() {
        String device = h.managed("dev1");
        h.publish(device, "iot-2/evt/status/fmt/json", "{\"temp\":21}");

        assertThat(h.nothingSentTo(device)).isTrue();
        assertThat(h.events(DeviceEvent.class)).singleElement().satisfies(e -> {
            assertThat(e.clientId()).isEqualTo(device);
            assertThat(e.event().eventId()).isEqualTo("status");
            assertThat(e.event().payload().asUtf8()).isEqualTo("{\"temp\":21}");
        });
    }

    @Test
    void every_message_in_and_out_is_seen_by_the_observers_in_order() {
        String device = h.register("dev1");
        h.engine.deviceConnected(h.now, device);
        h.publish(device, MANAGE, "{\"reqId\":\"m1\"}");
        h.engine.deviceDisconnected(h.now, device);
        h.collect();

        assertThat(h.events).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("DeviceConnected", "MessageSeen", "MessageSeen", "DeviceDisconnected");
        List<MessageSeen> messages = h.events(MessageSeen.class);
        assertThat(messages.get(0).entry().direction()).isEqualTo(Direction.DEVICE_TO_PLATFORM);
        assertThat(messages.get(0).entry().topic()).isEqualTo(MANAGE);
        assertThat(messages.get(1).entry().direction()).isEqualTo(Direction.PLATFORM_TO_DEVICE);
        assertThat(messages.get(1).entry().payloadText()).isEqualTo("{\"rc\":200,\"reqId\":\"m1\"}");
        assertThat(h.engine.device(device).orElseThrow().connected()).isFalse();
        assertThat(h.engine.device(device).orElseThrow().lastActivity()).contains(T0);
    }

    @Test
    void the_registry_checks_tokens_and_rejects_malformed_ids() {
        String device = h.register("dev1");

        assertThat(device).isEqualTo("d:org1:sensor:dev1");
        assertThat(h.engine.hasToken(device, "token-dev1")).isTrue();
        assertThat(h.engine.hasToken(device, "token-dev2")).isFalse();
        assertThat(h.engine.hasToken("d:org1:sensor:nobody", "token-dev1")).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.engine.register("org1", "sen/sor", "x", "t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("typeId");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.engine.register("org1", "sensor", "x", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");
        assertThat(h.engine.device(device).orElseThrow().toString()).doesNotContain("token-dev1");
        assertThat(Optional.of(h.engine.devices())).get().asList().hasSize(1);
    }
}
