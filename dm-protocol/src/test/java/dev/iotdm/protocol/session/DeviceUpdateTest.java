package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.session.Firmware.IMAGE;
import static dev.iotdm.protocol.session.Firmware.OTHER_IMAGE;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;

import dev.iotdm.protocol.firmware.FirmwarePhase;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.DeviceInfoField;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LocationField;
import dev.iotdm.protocol.message.MetadataField;
import org.junit.jupiter.api.Test;

class DeviceUpdateTest {

    private static final Location LOCATION = Location.of(30.2, -97.7).withElevation(10);
    private static final JsonObject METADATA = JsonObject.builder().put("owner", "ops").build();
    private static final DeviceInfo INFO = DeviceInfo.builder().serialNumber("SN-2").model("T2").build();

    @Test
    void location_metadata_and_device_info_are_applied_and_answered_204() {
        SessionHarness h = Firmware.managedDevice();
        String reqId = h.platform().sendDeviceUpdate(new LocationField(LOCATION), new MetadataField(METADATA),
                new DeviceInfoField(INFO));

        assertThat(h.takeResponse()).hasRc(204).hasReqId(reqId).hasNoData();
        assertThat(h.takeEvent(SessionEvent.AttributesUpdated.class).fields()).containsExactly(
                new LocationField(LOCATION), new MetadataField(METADATA), new DeviceInfoField(INFO));
        assertThat(h.session().deviceInfo()).isEqualTo(INFO);

        h.platform().sendObserve("location", "metadata");
        assertThat(h.takeResponse()).hasRc(200)
                .hasObservedValues(new LocationField(LOCATION), new MetadataField(METADATA));
    }

    @Test
    void a_push_without_req_id_is_applied_and_not_answered() {
        SessionHarness h = Firmware.managedDevice();
        h.platform().pushDeviceUpdate(new LocationField(LOCATION));
        h.assertNothingMorePublished();
        h.takeEvent(SessionEvent.AttributesUpdated.class);
        h.platform().sendObserve("location");
        assertThat(h.takeResponse()).hasObservedValues(new LocationField(LOCATION));
    }

    @Test
    void an_unknown_field_is_answered_404_naming_it_and_the_known_fields_are_still_applied() {
        SessionHarness h = Firmware.managedDevice();
        String reqId = h.platform().sendDeviceUpdate(new DeviceInfoField(INFO),
                FieldValue.other("diag.bogus", new JsonString("x")));

        assertThat(h.takeResponse()).hasRc(404).hasReqId(reqId).hasFailedFields("diag.bogus");
        assertThat(h.session().deviceInfo()).isEqualTo(INFO);
    }

    @Test
    void firmware_parameters_are_taken_and_state_and_update_status_are_ignored() {
        SessionHarness h = Firmware.managedDevice();
        FirmwareInfo sent = IMAGE.withState(FirmwareState.DOWNLOADED).withUpdateStatus(UpdateStatus.INVALID_URI);
        h.platform().sendDeviceUpdate(new FirmwareField(sent));

        assertThat(h.takeResponse()).hasRc(204);
        assertThat(h.session().firmware()).isEqualTo(
                Firmware.whole(IMAGE, FirmwareState.IDLE, UpdateStatus.SUCCESS));
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.IDLE);
    }

    @Test
    void a_firmware_change_while_downloading_is_refused_with_500_naming_the_field() {
        SessionHarness h = Firmware.managedDevice();
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendFirmwareDownload();
        h.drainPublished();

        String reqId = h.platform().sendDeviceUpdate(new FirmwareField(OTHER_IMAGE), new MetadataField(METADATA),
                FieldValue.other("diag.bogus", new JsonString("x")));
        assertThat(h.takeResponse()).hasRc(500).hasReqId(reqId).hasFailedFields("diag.bogus", "mgmt.firmware")
                .hasMessageContaining("downloading");
        assertThat(h.session().firmware().sameImageAs(IMAGE)).isTrue();
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.DOWNLOADING);
    }

    @Test
    void the_same_parameters_while_downloading_are_accepted_unchanged() {
        SessionHarness h = Firmware.managedDevice();
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendFirmwareDownload();
        h.drainPublished();

        h.platform().sendFirmwareImage(IMAGE.withState(FirmwareState.IDLE));
        assertThat(h.takeResponse()).hasRc(204);
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.DOWNLOADING);
    }

    @Test
    void new_parameters_discard_a_downloaded_image_and_the_observer_is_notified_once() {
        SessionHarness h = Firmware.managedDevice();
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendFirmwareDownload();
        h.downloadSucceeded();
        h.platform().sendObserve("mgmt.firmware");
        h.drainPublished();

        h.platform().sendFirmwareImage(OTHER_IMAGE);
        assertThat(h.takeNotify()).hasOnlyFirmware(new FirmwareInfo(OTHER_IMAGE.version(), java.util.Optional.empty(),
                OTHER_IMAGE.uri(), OTHER_IMAGE.verifier(), java.util.Optional.of(FirmwareState.IDLE),
                java.util.Optional.empty(), java.util.Optional.empty()));
        assertThat(h.takeResponse()).hasRc(204);
        h.assertNothingMorePublished();
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.IDLE);
        assertThat(h.session().firmware()).isEqualTo(
                Firmware.whole(OTHER_IMAGE, FirmwareState.IDLE, UpdateStatus.SUCCESS));
    }

    @Test
    void the_same_parameters_keep_a_downloaded_image() {
        SessionHarness h = Firmware.managedDevice();
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendFirmwareDownload();
        h.downloadSucceeded();
        h.drainPublished();

        h.platform().sendFirmwareImage(IMAGE);
        assertThat(h.takeResponse()).hasRc(204);
        h.assertNothingMorePublished();
        assertThat(h.session().firmwarePhase()).isEqualTo(FirmwarePhase.DOWNLOADED);
    }
}
