package dev.iotdm.testkit.platform;

import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LocationField;
import dev.iotdm.protocol.message.MetadataField;
import dev.iotdm.protocol.message.Parameter;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.testkit.platform.OperationOutcome.DeviceGone;
import dev.iotdm.testkit.platform.OperationOutcome.Failed;
import dev.iotdm.testkit.platform.OperationOutcome.Refused;
import dev.iotdm.testkit.platform.OperationOutcome.Succeeded;
import dev.iotdm.testkit.platform.OperationOutcome.TimedOut;
import dev.iotdm.testkit.platform.PlatformEvent.MessageSeen;
import dev.iotdm.testkit.platform.PlatformAction.SendToDevice;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.iotdm.testkit.platform.EngineHarness.MANAGE;
import static dev.iotdm.testkit.platform.EngineHarness.NOTIFY;
import static dev.iotdm.testkit.platform.EngineHarness.TIMEOUT;
import static dev.iotdm.testkit.platform.EngineHarness.rc;
import static dev.iotdm.testkit.platform.EngineHarness.reqId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Platform-initiated operations (protocol.md §4, §6, §7, §8), driven by scripted device answers. */
class PlatformOperationsTest {

    private final EngineHarness h = new EngineHarness();
    private final String device = h.managed("dev1");

    private void notifyFirmware(String valueJson) {
        h.publish(device, NOTIFY, "{\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":" + valueJson + "}]}}");
    }

    @Test
    void requests_wait_for_the_gap_after_a_manage_answer() {
        h.publish(device, MANAGE, "{\"reqId\":\"m2\"}");
        h.takeResponse(device);
        OperationToken token = h.started(h.engine.customAction(h.now, device, "acme-v1", "ping", List.of(), TIMEOUT));

        assertThat(h.nothingSentTo(device)).isTrue();
        assertThat(h.engine.nextTimer()).contains(h.now.plus(h.engine.config().requestGap()));
        h.advance(h.engine.config().requestGap().minusMillis(1));
        assertThat(h.nothingSentTo(device)).isTrue();
        h.advance(Duration.ofMillis(1));
        h.take(device, "iotdm-1/mgmt/custom/acme-v1/ping");
        assertThat(h.outcomes).doesNotContainKey(token);
    }

    @Test
    void device_update_succeeds_on_204_and_the_platform_stores_the_values() {
        Location where = Location.of(1.5, 2.5);
        JsonObject metadata = JsonObject.builder().put("owner", "ops").build();
        OperationToken token = h.started(h.engine.deviceUpdate(h.now, device,
                List.of(new LocationField(where), new MetadataField(metadata)), TIMEOUT));

        JsonObject request = h.take(device, "iotdm-1/device/update");
        assertThat(request.toJson()).contains("\"field\":\"location\"").contains("\"field\":\"metadata\"");
        h.answer(device, reqId(request), 204, "");

        assertThat(h.outcome(token)).isEqualTo(Succeeded.empty());
        DeviceView view = h.engine.device(device).orElseThrow();
        assertThat(view.location()).contains(where);
        assertThat(view.metadata()).contains(metadata);
    }

    @Test
    void device_update_fails_with_the_devices_rc_and_message() {
        OperationToken token = h.started(h.engine.deviceUpdate(h.now, device,
                List.of(FieldValue.other("custom.thing", new JsonString("x"))), TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/device/update")), 404,
                ",\"message\":\"unknown\",\"d\":{\"fields\":[\"custom.thing\"]}");

        assertThat(h.outcome(token)).isEqualTo(Failed.withRc(Rc.NOT_FOUND, Optional.of("unknown")));
    }

    @Test
    void observe_then_cancel_maintain_the_platforms_observation_set() {
        OperationToken observe = h.started(h.engine.observe(h.now, device, List.of("location", "mgmt.firmware"),
                TIMEOUT));
        JsonObject request = h.take(device, "iotdm-1/observe");
        assertThat(request.get("d").orElseThrow().toJson())
                .isEqualTo("{\"fields\":[{\"field\":\"location\"},{\"field\":\"mgmt.firmware\"}]}");
        h.answer(device, reqId(request), 200, "");
        assertThat(h.outcome(observe)).isInstanceOf(Succeeded.class);
        assertThat(h.engine.device(device).orElseThrow().observations())
                .containsExactlyInAnyOrder("location", "mgmt.firmware");

        OperationToken cancel = h.started(h.engine.cancel(h.now, device, List.of("location"), TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/cancel")), 200, "");

        assertThat(h.outcome(cancel)).isInstanceOf(Succeeded.class);
        assertThat(h.engine.device(device).orElseThrow().observations()).containsExactly("mgmt.firmware");
    }

    @Test
    void observe_fails_on_500_and_observes_nothing() {
        OperationToken observe = h.started(h.engine.observe(h.now, device, List.of("location"), TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/observe")), 500, ",\"message\":\"boom\"");

        assertThat(h.outcome(observe)).isEqualTo(Failed.withRc(Rc.INTERNAL_ERROR, Optional.of("boom")));
        assertThat(h.engine.device(device).orElseThrow().observations()).isEmpty();
    }

    @Test
    void a_request_unanswered_when_the_device_reconnects_is_sent_again_with_the_same_bytes_after_its_manage() {
        OperationToken token = h.started(h.engine.reboot(h.now, device, TIMEOUT));
        SendToDevice first = h.take(device);

        // The broker dropped it with the old connection (a clean session): the device never saw it.
        h.engine.deviceDisconnected(h.now, device);
        h.engine.deviceConnected(h.now, device);
        assertThat(h.nothingSentTo(device)).isTrue();
        h.publish(device, MANAGE, "{\"reqId\":\"m2\",\"d\":{\"supports\":{\"deviceActions\":true}}}");
        assertThat(rc(h.takeResponse(device))).isEqualTo(200);
        h.advance(h.engine.config().requestGap());

        SendToDevice again = h.take(device);
        assertThat(again.topic()).isEqualTo(first.topic());
        assertThat(again.payload()).isEqualTo(first.payload());
        assertThat(h.outcomes).doesNotContainKey(token);
    }

    @Test
    void a_request_sent_on_the_current_connection_is_not_sent_again_at_a_repeated_manage() {
        h.started(h.engine.reboot(h.now, device, TIMEOUT));
        h.take(device);

        h.publish(device, MANAGE, "{\"reqId\":\"m2\",\"d\":{\"supports\":{\"deviceActions\":true}}}");
        assertThat(rc(h.takeResponse(device))).isEqualTo(200);
        h.advance(h.engine.config().requestGap());

        assertThat(h.nothingSentTo(device)).isTrue();
    }

    @Test
    void reboot_succeeds_only_after_202_and_a_new_manage_even_across_an_unmanage() {
        OperationToken token = h.started(h.engine.reboot(h.now, device, TIMEOUT));
        JsonObject request = h.take(device, "iotdm-1/mgmt/initiate/device/reboot");
        assertThat(request.get("d")).isEmpty();
        h.answer(device, reqId(request), 202, "");
        assertThat(h.outcomes).doesNotContainKey(token);

        // iot-java unmanages on its way down (§3.2); the reboot is still waiting for the manage.
        h.publish(device, "iotdevice-1/mgmt/unmanage", "{\"reqId\":\"u1\"}");
        h.engine.deviceDisconnected(h.now, device);
        h.advance(Duration.ofSeconds(20));
        h.engine.deviceConnected(h.now, device);
        assertThat(h.outcomes).doesNotContainKey(token);
        h.publish(device, MANAGE, "{\"reqId\":\"m2\",\"d\":{\"supports\":{\"deviceActions\":true}}}");

        assertThat(h.outcome(token)).isEqualTo(Succeeded.empty());
    }

    @Test
    void a_manage_before_the_202_does_not_complete_a_reboot() {
        OperationToken token = h.started(h.engine.reboot(h.now, device, TIMEOUT));
        String rebootReqId = reqId(h.take(device, "iotdm-1/mgmt/initiate/device/reboot"));
        h.publish(device, MANAGE, "{\"reqId\":\"m2\"}");
        assertThat(h.outcomes).doesNotContainKey(token);

        h.answer(device, rebootReqId, 202, "");
        h.publish(device, MANAGE, "{\"reqId\":\"m3\"}");
        assertThat(h.outcome(token)).isEqualTo(Succeeded.empty());
    }

    @Test
    void reboot_fails_on_501_and_factory_reset_fails_on_500() {
        OperationToken reboot = h.started(h.engine.reboot(h.now, device, TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/mgmt/initiate/device/reboot")), 501, "");
        OperationToken reset = h.started(h.engine.factoryReset(h.now, device, TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/mgmt/initiate/device/factory_reset")), 500,
                ",\"message\":\"flash locked\"");

        assertThat(h.outcome(reboot)).isEqualTo(Failed.withRc(Rc.NOT_IMPLEMENTED, Optional.empty()));
        assertThat(h.outcome(reset)).isEqualTo(Failed.withRc(Rc.INTERNAL_ERROR, Optional.of("flash locked")));
    }

    @Test
    void operations_on_an_unmanaged_device_are_refused_without_sending() {
        String unmanaged = h.register("dev2");
        OperationToken token = h.started(h.engine.reboot(h.now, unmanaged, TIMEOUT));

        assertThat(h.outcome(token)).isInstanceOf(Refused.class);
        assertThat(h.nothingSentTo(unmanaged)).isTrue();
        assertThatThrownBy(() -> h.engine.reboot(h.now, "d:org1:sensor:nobody", TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nobody");
        assertThatThrownBy(() -> h.engine.reboot(h.now, device, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void an_unanswered_operation_times_out_naming_what_it_waited_for_and_a_late_answer_is_ignored() {
        OperationToken token = h.started(h.engine.reboot(h.now, device, Duration.ofSeconds(30)));
        String rebootReqId = reqId(h.take(device, "iotdm-1/mgmt/initiate/device/reboot"));
        assertThat(h.engine.nextTimer()).contains(h.now.plusSeconds(30));

        h.advance(Duration.ofSeconds(30));

        assertThat(h.outcome(token)).isInstanceOfSatisfying(TimedOut.class, t ->
                assertThat(t.waitingFor()).contains("iotdm-1/mgmt/initiate/device/reboot").contains(rebootReqId));
        h.answer(device, rebootReqId, 202, "");
        assertThat(h.notes()).anySatisfy(n -> assertThat(n).contains(rebootReqId));
    }

    @Test
    void unmanage_fails_running_operations_with_device_gone() {
        OperationToken token = h.started(h.engine.observe(h.now, device, List.of("location"), TIMEOUT));
        h.take(device, "iotdm-1/observe");
        h.publish(device, "iotdevice-1/mgmt/unmanage", "{\"reqId\":\"u1\"}");

        assertThat(h.outcome(token)).isInstanceOf(DeviceGone.class);
    }

    @Test
    void custom_action_carries_its_parameters_and_succeeds_on_200_and_fails_on_501() {
        OperationToken ok = h.started(h.engine.customAction(h.now, device, "acme-v1", "installPlugin",
                List.of(new Parameter("pluginId", new JsonString("pA"))), TIMEOUT));
        JsonObject request = h.take(device, "iotdm-1/mgmt/custom/acme-v1/installPlugin");
        assertThat(request.get("d").orElseThrow().toJson())
                .isEqualTo("{\"fields\":[{\"field\":\"pluginId\",\"value\":\"pA\"}]}");
        h.answer(device, reqId(request), 200, ",\"d\":{\"installed\":true}");

        OperationToken unsupported = h.started(h.engine.customAction(h.now, device, "acme-v1", "fly", List.of(),
                TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/mgmt/custom/acme-v1/fly")), 501, "");

        assertThat(h.outcome(ok)).isInstanceOfSatisfying(Succeeded.class, s ->
                assertThat(s.data().orElseThrow().toJson()).isEqualTo("{\"installed\":true}"));
        assertThat(h.outcome(unsupported)).isEqualTo(Failed.withRc(Rc.NOT_IMPLEMENTED, Optional.empty()));
    }

    @Test
    void a_command_is_sent_verbatim_and_succeeds_once_handed_on() {
        OperationToken token = h.started(h.engine.command(h.now, device, "blink", "txt",
                "3 times".getBytes(StandardCharsets.UTF_8), TIMEOUT));

        var sent = h.take(device);
        assertThat(sent.topic()).isEqualTo("iot-2/cmd/blink/fmt/txt");
        assertThat(sent.payloadText()).isEqualTo("3 times");
        assertThat(h.outcome(token)).isEqualTo(Succeeded.empty());
    }

    @Test
    void firmware_download_runs_the_full_flow_of_section_6_2_and_succeeds_on_state_2() {
        OperationToken token = h.started(h.engine.firmwareDownload(h.now, device,
                Optional.of(FirmwareImage.of("2.0", "fw", "https://h/fw.bin", "abc")), TIMEOUT));

        JsonObject update = h.take(device, "iotdm-1/device/update");
        assertThat(update.toJson()).contains("\"field\":\"mgmt.firmware\"").contains("\"version\":\"2.0\"")
                .contains("\"uri\":\"https://h/fw.bin\"").contains("\"state\":0").contains("\"updateStatus\":0")
                .contains("\"updatedDateTime\"");
        h.answer(device, reqId(update), 204, "");
        JsonObject observe = h.take(device, "iotdm-1/observe");
        h.answer(device, reqId(observe), 200,
                ",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"state\":0,\"updateStatus\":0}}]}");
        JsonObject download = h.take(device, "iotdm-1/mgmt/initiate/firmware/download");
        h.answer(device, reqId(download), 202, "");
        notifyFirmware("{\"state\":1}");
        assertThat(h.engine.device(device).orElseThrow().firmwareState()).contains(FirmwareState.DOWNLOADING);
        assertThat(h.outcomes).doesNotContainKey(token);
        notifyFirmware("{\"state\":2}");
        JsonObject cancel = h.take(device, "iotdm-1/cancel");
        assertThat(cancel.get("d").orElseThrow().toJson()).isEqualTo("{\"fields\":[{\"field\":\"mgmt.firmware\"}]}");
        assertThat(h.outcomes).doesNotContainKey(token);
        h.answer(device, reqId(cancel), 200, "");

        assertThat(h.outcome(token)).isEqualTo(Succeeded.empty());
        DeviceView view = h.engine.device(device).orElseThrow();
        assertThat(view.firmwareState()).contains(FirmwareState.DOWNLOADED);
        assertThat(view.firmware().orElseThrow().version()).contains("2.0");
        assertThat(view.observations()).isEmpty();
        assertThat(h.nothingSentTo(device)).isTrue();
    }

    @Test
    void firmware_download_without_an_image_skips_the_device_update() {
        OperationToken token = h.started(h.engine.firmwareDownload(h.now, device, Optional.empty(), TIMEOUT));

        h.answer(device, reqId(h.take(device, "iotdm-1/observe")), 200, "");
        h.answer(device, reqId(h.take(device, "iotdm-1/mgmt/initiate/firmware/download")), 202, "");
        notifyFirmware("{\"state\":2}");
        h.answer(device, reqId(h.take(device, "iotdm-1/cancel")), 200, "");

        assertThat(h.outcome(token)).isEqualTo(Succeeded.empty());
    }

    @Test
    void firmware_download_fails_with_the_reported_update_status_after_cancelling() {
        OperationToken token = h.started(h.engine.firmwareDownload(h.now, device, Optional.empty(), TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/observe")), 200, "");
        h.answer(device, reqId(h.take(device, "iotdm-1/mgmt/initiate/firmware/download")), 202, "");
        notifyFirmware("{\"state\":1}");
        // ibmiotf's setUpdateStatus reports state and status together (§6.5).
        notifyFirmware("{\"state\":0,\"updateStatus\":6}");
        h.answer(device, reqId(h.take(device, "iotdm-1/cancel")), 200, "");

        assertThat(h.outcome(token)).isEqualTo(Failed.withUpdateStatus(UpdateStatus.INVALID_URI));
    }

    @Test
    void firmware_download_refused_with_400_fails_with_that_rc_and_cancels_the_observation() {
        OperationToken token = h.started(h.engine.firmwareDownload(h.now, device, Optional.empty(), TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/observe")), 200, "");
        h.answer(device, reqId(h.take(device, "iotdm-1/mgmt/initiate/firmware/download")), 400,
                ",\"message\":\"Cannot download as the device is not in idle state\"");

        assertThat(h.outcome(token)).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.rc()).contains(Rc.BAD_REQUEST);
            assertThat(f.message().orElseThrow()).contains("idle");
        });
        JsonObject cancel = h.take(device, "iotdm-1/cancel");
        assertThat(h.engine.device(device).orElseThrow().observations()).containsExactly("mgmt.firmware");
        h.answer(device, reqId(cancel), 200, "");
        assertThat(h.engine.device(device).orElseThrow().observations()).isEmpty();
    }

    @Test
    void firmware_download_fails_on_a_refused_device_update() {
        OperationToken token = h.started(h.engine.firmwareDownload(h.now, device,
                Optional.of(FirmwareImage.of(null, null, "https://h/fw.bin", null)), TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/device/update")), 500, "");

        assertThat(h.outcome(token)).isEqualTo(Failed.withRc(Rc.INTERNAL_ERROR, Optional.empty()));
        assertThat(h.nothingSentTo(device)).isTrue();
    }

    @Test
    void firmware_update_succeeds_when_idle_and_success_are_reported_together_as_in_section_6_4() {
        OperationToken token = h.started(h.engine.firmwareUpdate(h.now, device, Optional.empty(), TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/observe")), 200,
                ",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"state\":2,\"updateStatus\":0}}]}");
        h.answer(device, reqId(h.take(device, "iotdm-1/mgmt/initiate/firmware/update")), 202, "");
        notifyFirmware("{\"updateStatus\":1}");
        assertThat(h.nothingSentTo(device)).isTrue();
        notifyFirmware("{\"state\":0,\"updateStatus\":0}");
        h.answer(device, reqId(h.take(device, "iotdm-1/cancel")), 200, "");

        assertThat(h.outcome(token)).isEqualTo(Succeeded.empty());
        assertThat(h.engine.device(device).orElseThrow().firmwareUpdateStatus()).contains(UpdateStatus.SUCCESS);
    }

    @Test
    void firmware_update_waits_for_both_halves_when_a_client_reports_them_separately() {
        OperationToken token = h.started(h.engine.firmwareUpdate(h.now, device, Optional.empty(), TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/observe")), 200,
                ",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"state\":2,\"updateStatus\":0}}]}");
        h.answer(device, reqId(h.take(device, "iotdm-1/mgmt/initiate/firmware/update")), 202, "");

        // iot-java sends state and updateStatus as separate notifies (§14).
        notifyFirmware("{\"state\":0}");
        assertThat(h.nothingSentTo(device)).as("state alone does not finish the update").isTrue();
        notifyFirmware("{\"updateStatus\":0}");
        h.answer(device, reqId(h.take(device, "iotdm-1/cancel")), 200, "");

        assertThat(h.outcome(token)).isEqualTo(Succeeded.empty());
    }

    @Test
    void firmware_update_fails_with_unsupported_image_and_on_a_400() {
        OperationToken failing = h.started(h.engine.firmwareUpdate(h.now, device, Optional.empty(), TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/observe")), 200, "");
        h.answer(device, reqId(h.take(device, "iotdm-1/mgmt/initiate/firmware/update")), 202, "");
        notifyFirmware("{\"updateStatus\":5}");
        h.answer(device, reqId(h.take(device, "iotdm-1/cancel")), 200, "");
        assertThat(h.outcome(failing)).isEqualTo(Failed.withUpdateStatus(UpdateStatus.UNSUPPORTED_IMAGE));

        OperationToken refused = h.started(h.engine.firmwareUpdate(h.now, device, Optional.empty(), TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/observe")), 200, "");
        h.answer(device, reqId(h.take(device, "iotdm-1/mgmt/initiate/firmware/update")), 400,
                ",\"message\":\"Firmware is still not successfully downloaded.\"");
        assertThat(h.outcome(refused)).isInstanceOfSatisfying(Failed.class, f ->
                assertThat(f.rc()).contains(Rc.BAD_REQUEST));
    }

    @Test
    void the_platform_transcript_of_a_download_and_update_follows_section_6_4() {
        h.events.clear();
        OperationToken download = h.started(h.engine.firmwareDownload(h.now, device,
                Optional.of(FirmwareImage.of("2.0", "fw", "https://h/fw.bin", "abc")), TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/device/update")), 204, "");
        h.answer(device, reqId(h.take(device, "iotdm-1/observe")), 200, "");
        h.answer(device, reqId(h.take(device, "iotdm-1/mgmt/initiate/firmware/download")), 202, "");
        notifyFirmware("{\"state\":1}");
        notifyFirmware("{\"state\":2}");
        h.answer(device, reqId(h.take(device, "iotdm-1/cancel")), 200, "");
        OperationToken update = h.started(h.engine.firmwareUpdate(h.now, device, Optional.empty(), TIMEOUT));
        h.answer(device, reqId(h.take(device, "iotdm-1/observe")), 200, "");
        h.answer(device, reqId(h.take(device, "iotdm-1/mgmt/initiate/firmware/update")), 202, "");
        notifyFirmware("{\"updateStatus\":1}");
        notifyFirmware("{\"state\":0,\"updateStatus\":0}");
        h.answer(device, reqId(h.take(device, "iotdm-1/cancel")), 200, "");

        assertThat(h.outcome(download)).isEqualTo(Succeeded.empty());
        assertThat(h.outcome(update)).isEqualTo(Succeeded.empty());
        assertThat(h.events(MessageSeen.class)).extracting(m -> m.entry().topic()).containsExactly(
                "iotdm-1/device/update", "iotdevice-1/response",
                "iotdm-1/observe", "iotdevice-1/response",
                "iotdm-1/mgmt/initiate/firmware/download", "iotdevice-1/response",
                "iotdevice-1/notify", "iotdevice-1/notify",
                "iotdm-1/cancel", "iotdevice-1/response",
                "iotdm-1/observe", "iotdevice-1/response",
                "iotdm-1/mgmt/initiate/firmware/update", "iotdevice-1/response",
                "iotdevice-1/notify", "iotdevice-1/notify",
                "iotdm-1/cancel", "iotdevice-1/response");
    }
}
