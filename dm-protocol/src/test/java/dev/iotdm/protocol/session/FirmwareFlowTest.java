package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.session.Firmware.IMAGE;
import static dev.iotdm.protocol.session.Firmware.MD5;
import static dev.iotdm.protocol.session.Firmware.SHA256;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThatThrownBy;

import dev.iotdm.protocol.firmware.FirmwareInput;
import dev.iotdm.protocol.firmware.FirmwarePhase;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.DeviceInfoField;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FirmwareFlowTest {

    /**
     * protocol.md §6.4, line by line. Three differences, each one of our §12 rules: the verifier
     * is a real MD5 (§12.8: "abc" is refused 400), observe answers carry the whole current
     * {@code mgmt.firmware} value (§12.5), and every notify carries a device reqId (§12.3), shown
     * as {@code <device>}. {@code APP} lines are the application's reports.
     */
    private static final String TRANSCRIPT = """
            P→D iotdm-1/device/update   {"reqId":"r1","d":{"fields":[{"field":"mgmt.firmware","value":{"version":"2.0","name":"fw","uri":"https://h/fw.bin","verifier":"%1$s","state":0,"updateStatus":0,"updatedDateTime":""}}]}}
            D→P iotdevice-1/response    {"rc":204,"reqId":"r1"}
            P→D iotdm-1/observe         {"reqId":"r2","d":{"fields":[{"field":"mgmt.firmware"}]}}
            D→P iotdevice-1/response    {"rc":200,"reqId":"r2","d":{"fields":[{"field":"mgmt.firmware","value":{"version":"2.0","name":"fw","uri":"https://h/fw.bin","verifier":"%1$s","state":0,"updateStatus":0}}]}}
            P→D iotdm-1/mgmt/initiate/firmware/download {"reqId":"r3"}
            D→P iotdevice-1/response    {"rc":202,"reqId":"r3"}
            D→P iotdevice-1/notify      {"d":{"fields":[{"field":"mgmt.firmware","value":{"state":1}}]},"reqId":"<device>"}
            APP download succeeded
            D→P iotdevice-1/notify      {"d":{"fields":[{"field":"mgmt.firmware","value":{"state":2}}]},"reqId":"<device>"}
            P→D iotdm-1/cancel          {"reqId":"r4","d":{"fields":[{"field":"mgmt.firmware"}]}}
            D→P iotdevice-1/response    {"rc":200,"reqId":"r4"}
            P→D iotdm-1/observe         {"reqId":"r5","d":{"fields":[{"field":"mgmt.firmware"}]}}
            D→P iotdevice-1/response    {"rc":200,"reqId":"r5","d":{"fields":[{"field":"mgmt.firmware","value":{"version":"2.0","name":"fw","uri":"https://h/fw.bin","verifier":"%1$s","state":2,"updateStatus":0}}]}}
            P→D iotdm-1/mgmt/initiate/firmware/update {"reqId":"r6"}
            D→P iotdevice-1/response    {"rc":202,"reqId":"r6"}
            D→P iotdevice-1/notify      {"d":{"fields":[{"field":"mgmt.firmware","value":{"updateStatus":1}}]},"reqId":"<device>"}
            APP install succeeded
            D→P iotdevice-1/notify      {"d":{"fields":[{"field":"mgmt.firmware","value":{"state":0,"updateStatus":0}}]},"reqId":"<device>"}
            P→D iotdm-1/cancel          {"reqId":"r7","d":{"fields":[{"field":"mgmt.firmware"}]}}
            D→P iotdevice-1/response    {"rc":200,"reqId":"r7"}
            """.formatted(MD5);

    @Test
    void the_full_download_and_update_run_of_protocol_md_6_4_goes_line_by_line() {
        SessionHarness h = Firmware.managedDevice();
        int line = 0;
        for (String raw : TRANSCRIPT.strip().split("\n")) {
            line++;
            String[] parts = raw.strip().split("\\s+", 3);
            switch (parts[0]) {
                case "P→D" -> h.platform().sendRaw(parts[1], parts[2]);
                case "APP" -> {
                    if (raw.contains("download succeeded")) {
                        h.downloadSucceeded();
                    } else {
                        h.installSucceeded();
                    }
                }
                case "D→P" -> {
                    Sent sent = h.takeSent();
                    assertThat(sent.topic()).as("line %d topic", line).isEqualTo(parts[1]);
                    String expected = parts[2];
                    if (expected.contains("<device>")) {
                        String reqId = sent.message().requestId().orElseThrow();
                        assertThat(reqId).as("line %d device reqId", line).startsWith("dev-");
                        expected = expected.replace("<device>", reqId);
                    }
                    assertThat(JsonValue.parse(sent.text())).as("line %d: %s", line, sent.text())
                            .isEqualTo(JsonValue.parse(expected));
                }
                default -> throw new IllegalStateException("bad transcript line " + line + ": " + raw);
            }
        }
        h.assertNothingMorePublished();
        assertThat(h.session().deviceInfo().fwVersion()).contains("2.0");
        assertThat(h.events(SessionEvent.FirmwareDownloadRequested.class)).hasSize(1);
        assertThat(h.events(SessionEvent.FirmwareInstallRequested.class)).hasSize(1);
    }

    @Test
    void download_while_downloading_or_downloaded_is_rejected_with_400() {
        SessionHarness h = Firmware.managedDevice();
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendFirmwareDownload();
        h.drainPublished();
        h.clearEvents();

        String again = h.platform().sendFirmwareDownload();
        assertThat(h.takeResponse()).hasRc(400).hasReqId(again).hasMessageContaining("idle");
        h.downloadSucceeded();
        h.drainPublished();
        h.platform().sendFirmwareDownload();
        assertThat(h.takeResponse()).hasRc(400);
        h.assertNothingMorePublished().assertNoEvent(SessionEvent.FirmwareDownloadRequested.class);
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.DOWNLOADED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "", "ftp://h/fw.bin", "not a uri", "https:///nohost"})
    void download_without_a_usable_uri_is_rejected_with_400(String uri) {
        SessionHarness h = Firmware.managedDevice();
        if (!uri.equals("none")) {
            h.platform().sendFirmwareImage(FirmwareInfo.ofImage("2.0", "fw", uri, MD5));
            h.takeResponse();
        }
        h.platform().sendFirmwareDownload();
        assertThat(h.takeResponse()).hasRc(400).hasMessageContaining("uri");
        h.assertNoEvent(SessionEvent.FirmwareDownloadRequested.class);
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.IDLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "9e107d9d372bb6826bd81d3542a419dz", "9e107d9d372bb6826bd81d3542a419d", SHA256 + "0"})
    void download_with_a_verifier_that_is_no_md5_or_sha256_is_rejected_with_400(String verifier) {
        SessionHarness h = Firmware.managedDevice();
        h.platform().sendFirmwareImage(FirmwareInfo.ofImage("2.0", "fw", "https://h/fw.bin", verifier));
        h.takeResponse();
        h.platform().sendFirmwareDownload();
        assertThat(h.takeResponse()).hasRc(400).hasMessageContaining("verifier");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", MD5, SHA256, "9E107D9D372BB6826BD81D3542A419D6"})
    void download_with_no_verifier_or_an_md5_or_sha256_one_is_accepted(String verifier) {
        SessionHarness h = Firmware.managedDevice();
        h.platform().sendFirmwareImage(FirmwareInfo.ofImage("2.0", "fw", "https://h/fw.bin", verifier));
        h.takeResponse();
        h.platform().sendFirmwareDownload();
        assertThat(h.takeResponse()).hasRc(202);
        assertThat(h.takeEvent(SessionEvent.FirmwareDownloadRequested.class).image().sameImageAs(
                FirmwareInfo.ofImage("2.0", "fw", "https://h/fw.bin", verifier))).isTrue();
    }

    @Test
    void an_accepted_download_after_a_failure_resets_update_status_in_the_same_notify() {
        SessionHarness h = Firmware.managedDevice();
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendObserve("mgmt.firmware");
        h.platform().sendFirmwareDownload();
        h.drainPublished();

        h.downloadFailed(UpdateStatus.CONNECTION_LOST);
        assertThat(h.takeNotify()).hasOnlyFirmware(
                Firmware.stateAndStatus(FirmwareState.IDLE, UpdateStatus.CONNECTION_LOST));

        h.platform().sendFirmwareDownload();
        assertThat(h.takeResponse()).hasRc(202);
        assertThat(h.takeNotify()).hasOnlyFirmware(
                Firmware.stateAndStatus(FirmwareState.DOWNLOADING, UpdateStatus.SUCCESS));
        h.assertNothingMorePublished();
    }

    @Test
    void update_unless_downloaded_is_rejected_with_400() {
        SessionHarness h = Firmware.managedDevice();
        String idle = h.platform().sendFirmwareUpdate();
        assertThat(h.takeResponse()).hasRc(400).hasReqId(idle).hasMessageContaining("not successfully downloaded");
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendFirmwareDownload();
        h.drainPublished();
        h.platform().sendFirmwareUpdate();
        assertThat(h.takeResponse()).hasRc(400);
        h.downloadSucceeded();
        h.platform().sendFirmwareUpdate();
        h.drainPublished();
        h.platform().sendFirmwareUpdate(); // installing
        assertThat(h.takeResponse()).hasRc(400);
        assertThat(h.events(SessionEvent.FirmwareInstallRequested.class)).hasSize(1);
    }

    @Test
    void a_failed_install_keeps_the_image_downloaded_with_the_failure_status() {
        SessionHarness h = downloaded();
        h.platform().sendObserve("mgmt.firmware");
        h.platform().sendFirmwareUpdate();
        h.drainPublished();

        h.installFailed(UpdateStatus.UNSUPPORTED_IMAGE);
        assertThat(h.takeNotify()).hasOnlyFirmware(Firmware.status(UpdateStatus.UNSUPPORTED_IMAGE));
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.DOWNLOADED);
        assertThat(h.session().firmware()).isEqualTo(
                Firmware.whole(IMAGE, FirmwareState.DOWNLOADED, UpdateStatus.UNSUPPORTED_IMAGE));
        assertThat(h.session().deviceInfo().fwVersion()).isEmpty();

        h.platform().sendFirmwareUpdate(); // may be retried
        assertThat(h.takeResponse()).hasRc(202);
    }

    @Test
    void a_successful_install_goes_idle_and_installs_the_version_in_one_notify() {
        SessionHarness h = downloaded(DeviceInfo.builder().fwVersion("1.0").build());
        h.platform().sendObserve("mgmt.firmware", "deviceInfo.fwVersion");
        h.platform().sendFirmwareUpdate();
        h.drainPublished();

        h.installSucceeded();
        assertThat(h.takeNotify()).hasFields(
                new FirmwareField(Firmware.stateAndStatus(FirmwareState.IDLE, UpdateStatus.SUCCESS)),
                dev.iotdm.protocol.message.FieldValue.other("deviceInfo.fwVersion",
                        new dev.iotdm.protocol.json.JsonString("2.0")));
        h.assertNothingMorePublished();
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.IDLE);
        assertThat(h.session().deviceInfo().fwVersion()).contains("2.0");
    }

    @Test
    void firmware_requests_are_answered_501_when_not_declared_in_manage() {
        SessionHarness h = SessionHarness.builder().allHandlers().build()
                .connectAndManage(ManageParams.of(0, true, false));
        h.platform().sendFirmwareImage(IMAGE);
        h.takeResponse();
        h.platform().sendFirmwareDownload();
        assertThat(h.takeResponse()).hasRc(501).hasMessageContaining("declared");
        h.platform().sendFirmwareUpdate();
        assertThat(h.takeResponse()).hasRc(501);
        h.assertNoEvent(SessionEvent.FirmwareDownloadRequested.class);
    }

    @Test
    void firmware_requests_are_answered_501_without_a_handler() {
        SessionHarness h = SessionHarness.create().connectAndManage(ManageParams.of(0, false, true));
        h.platform().sendFirmwareImage(IMAGE);
        h.takeResponse();
        h.platform().sendFirmwareDownload();
        assertThat(h.takeResponse()).hasRc(501).hasMessageContaining("handler");
        h.assertNoEvent(SessionEvent.FirmwareDownloadRequested.class);
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.IDLE);
    }

    @Test
    void a_failed_download_goes_idle_with_the_failure_in_one_notify() {
        SessionHarness h = Firmware.managedDevice();
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendFirmwareDownload();
        h.platform().sendObserve("mgmt.firmware");
        h.drainPublished();
        h.downloadFailed(UpdateStatus.VERIFICATION_FAILED);
        assertThat(h.takeNotify()).hasOnlyFirmware(
                Firmware.stateAndStatus(FirmwareState.IDLE, UpdateStatus.VERIFICATION_FAILED));
    }

    @Test
    void reports_out_of_turn_or_without_a_failure_status_are_refused() {
        SessionHarness h = Firmware.managedDevice();
        assertThatThrownBy(h::downloadSucceeded).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("IDLE");
        assertThatThrownBy(() -> h.downloadFailed(UpdateStatus.SUCCESS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.run(s -> s.reportFirmware(h.now(), FirmwareInput.UPDATE_REQUESTED, null)))
                .isInstanceOf(IllegalArgumentException.class);
        h.assertNothingMorePublished();
    }

    @Test
    void the_install_handler_gets_the_downloaded_image() {
        SessionHarness h = downloaded();
        h.platform().sendFirmwareUpdate();
        assertThat(h.takeEvent(SessionEvent.FirmwareInstallRequested.class).image().sameImageAs(IMAGE)).isTrue();
        assertThat(h.session().firmware().updateStatus()).isEqualTo(Optional.of(UpdateStatus.IN_PROGRESS));
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.INSTALLING);
    }

    @Test
    void a_device_info_observer_sees_the_installed_version() {
        SessionHarness h = downloaded();
        h.platform().sendObserve("deviceInfo");
        h.platform().sendFirmwareUpdate();
        h.drainPublished();
        h.installSucceeded();
        assertThat(h.takeNotify()).hasFields(new DeviceInfoField(DeviceInfo.builder().fwVersion("2.0").build()));
    }

    private static SessionHarness downloaded() {
        return downloaded(DeviceInfo.EMPTY);
    }

    private static SessionHarness downloaded(DeviceInfo info) {
        SessionHarness h = SessionHarness.builder().allHandlers().configure(c -> c.deviceInfo(info)).build()
                .connectAndManage(ManageParams.of(0, true, true));
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendFirmwareDownload();
        h.downloadSucceeded();
        h.drainPublished();
        h.clearEvents();
        return h;
    }
}
