package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.session.Firmware.IMAGE;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;

import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.DeviceInfoField;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LocationField;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.MetadataField;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.UpdateLocation;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObserveNotifyTest {

    private static final DeviceInfo INFO = DeviceInfo.builder().serialNumber("SN-1").model("T1").fwVersion("1.0")
            .build();

    private static SessionHarness device() {
        return SessionHarness.builder().allHandlers().configure(c -> c.deviceInfo(INFO)).build()
                .connectAndManage(ManageParams.of(0, true, true));
    }

    @Test
    void observe_answers_200_with_the_current_value_of_each_field() {
        SessionHarness h = device();
        String reqId = h.platform().sendObserve("mgmt.firmware", "deviceInfo", "mgmt.firmware.state");

        assertThat(h.takeResponse()).hasRc(200).hasReqId(reqId).hasObservedValues(
                new FirmwareField(Firmware.stateAndStatus(FirmwareState.IDLE, UpdateStatus.SUCCESS)),
                new DeviceInfoField(INFO),
                FieldValue.other("mgmt.firmware.state", JsonNumber.of(0)));
        assertThat(h.takeEvent(SessionEvent.ObservationsChanged.class).observed())
                .isEqualTo(Set.of("mgmt.firmware", "deviceInfo", "mgmt.firmware.state"));
    }

    @Test
    void observe_of_a_field_the_device_cannot_read_is_answered_404_naming_it() {
        SessionHarness h = device();
        h.platform().sendObserve("deviceInfo", "diag.bogus");
        assertThat(h.takeResponse()).hasRc(404).hasFailedFields("diag.bogus");
    }

    @Test
    void only_observed_fields_are_notified_with_only_the_changed_sub_fields() {
        SessionHarness h = device();
        h.setDeviceInfo(INFO.toBuilder().model("T9").build());
        h.assertNothingMorePublished();

        h.platform().sendObserve("deviceInfo");
        h.takeResponse();
        h.setDeviceInfo(INFO.toBuilder().model("T9").description("yard").build());
        assertThat(h.takeNotify()).hasReqId().hasFields(
                new DeviceInfoField(DeviceInfo.builder().description("yard").build()));
        h.setDeviceInfo(INFO.toBuilder().model("T9").description("yard").build()); // no change: no notify
        h.assertNothingMorePublished();
    }

    @Test
    void a_notify_is_the_fields_array_form_with_a_req_id() {
        SessionHarness h = device();
        h.platform().sendObserve("metadata");
        h.takeResponse(); // 404: no metadata yet
        h.setMetadata(JsonObject.builder().put("a", 1).build());
        h.assertNothingMorePublished();

        h.platform().sendObserve("metadata");
        h.takeResponse();
        h.setMetadata(JsonObject.builder().put("a", 2).build());
        Sent sent = h.takeSent();
        assertThat(sent.topic()).isEqualTo("iotdevice-1/notify");
        assertThat(sent.text()).isEqualTo(
                "{\"d\":{\"fields\":[{\"field\":\"metadata\",\"value\":{\"a\":2}}]},\"reqId\":\"dev-2\"}");
    }

    @Test
    void a_sub_field_observation_gets_the_new_value_of_that_sub_field() {
        SessionHarness h = device();
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendObserve("mgmt.firmware.state");
        h.drainPublished();

        h.platform().sendFirmwareDownload();
        assertThat(h.takeResponse()).hasRc(202);
        assertThat(h.takeNotify()).hasFields(FieldValue.other("mgmt.firmware.state", JsonNumber.of(1)));
    }

    @Test
    void cancel_stops_notifies_and_is_always_answered_200() {
        SessionHarness h = device();
        h.platform().sendObserve("location");
        h.takeResponse();
        h.updateLocation(Location.of(1, 2));
        h.platform().sendObserve("location");
        h.drainPublished();

        String reqId = h.platform().sendCancel("location", "never.observed");
        assertThat(h.takeResponse()).hasRc(200).hasReqId(reqId);
        h.updateLocation(Location.of(3, 4));
        h.takePublished(UpdateLocation.class);
        h.assertNothingMorePublished();
    }

    @Test
    void a_location_change_is_notified_with_the_whole_location() {
        SessionHarness h = device();
        h.updateLocation(Location.of(1, 2));
        h.platform().sendObserve("location");
        h.drainPublished();

        Location moved = Location.of(5, 6).withAccuracy(3);
        h.updateLocation(moved);
        assertThat(h.takeNotify()).hasFields(new LocationField(moved));
        h.takePublished(UpdateLocation.class);
    }

    @Test
    void observations_survive_reconnects_and_re_manage_and_are_cleared_by_unmanage() {
        SessionHarness h = device();
        h.platform().sendObserve("deviceInfo");
        h.takeResponse();

        h.reconnect(false);
        h.takePublished(Manage.class);
        h.answerLastRequest(Rc.OK);
        h.setDeviceInfo(INFO.toBuilder().hwVersion("B").build());
        assertThat(h.takeNotify()).hasFields(new DeviceInfoField(DeviceInfo.builder().hwVersion("B").build()));
        assertThat(h.session().observed()).containsExactly("deviceInfo");

        h.unmanage();
        assertThat(h.session().observed()).isEmpty();
        h.drainPublished();
        h.setDeviceInfo(INFO);
        h.assertNothingMorePublished();
    }

    @Test
    void a_change_made_offline_is_notified_after_reconnect_once_with_the_current_value() {
        SessionHarness h = device();
        h.platform().sendObserve("deviceInfo");
        h.takeResponse();

        h.loseConnection();
        h.setDeviceInfo(INFO.toBuilder().description("first").build());
        h.setDeviceInfo(INFO.toBuilder().description("second").build());
        h.assertNothingMorePublished();

        h.connect();
        h.takePublished(Manage.class);
        DeviceInfo current = INFO.toBuilder().description("second").build();
        assertThat(h.takeNotify()).hasFields(new DeviceInfoField(current));
        h.assertNothingMorePublished();
    }

    @Test
    void a_field_cancelled_while_offline_is_not_notified_after_reconnect() {
        SessionHarness h = SessionHarness.builder().configure(c -> c.deviceInfo(INFO).keepsSession(true)).build()
                .connectAndManage(ManageParams.of(0, false, false));
        h.platform().sendObserve("deviceInfo");
        h.takeResponse();
        h.loseConnection();
        h.setDeviceInfo(INFO.toBuilder().description("x").build());
        h.beginConnect(true);
        String cancel = h.platform().sendCancel("deviceInfo"); // a kept session delivers before the suback
        h.answerSubscription(true, true);
        h.takePublished(Manage.class);
        assertThat(h.takeResponse()).hasRc(200).hasReqId(cancel);
        h.assertNothingMorePublished();
    }

    @Test
    void metadata_observation_notifies_the_whole_object() {
        SessionHarness h = SessionHarness.builder()
                .configure(c -> c.metadata(JsonObject.builder().put("owner", "ops").build())).build()
                .connectAndManage(ManageParams.of(0, false, false));
        h.platform().sendObserve("metadata");
        assertThat(h.takeResponse())
                .hasObservedValues(new MetadataField(JsonObject.builder().put("owner", "ops").build()));
        JsonObject next = JsonObject.builder().put("owner", "dev").put("site", new JsonString("7")).build();
        h.setMetadata(next);
        assertThat(h.takeNotify()).hasFields(new MetadataField(next));
    }
}
