package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;

import dev.iotdm.protocol.codec.Codec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void an_oversize_request_whose_reqid_is_readable_is_answered_400_naming_the_limit() {
        SessionHarness h = Firmware.managedDevice();
        String payload = "{\"reqId\":\"big-1\",\"pad\":\"" + "p".repeat(Codec.DEFAULT_MAX_PAYLOAD_BYTES) + "\"}";

        h.deliver("iotdm-1/mgmt/initiate/device/reboot", payload.getBytes(StandardCharsets.UTF_8));

        assertThat(h.takeResponse()).hasRc(400).hasReqId("big-1").hasMessageContaining("131072");
        h.assertNoEvent(SessionEvent.DeviceActionRequested.class);
    }

    @Test
    void a_reqid_over_256_characters_is_answered_400_and_not_remembered() {
        SessionHarness h = Firmware.managedDevice();
        String reqId = "r".repeat(100_000);

        h.deliver("iotdm-1/mgmt/initiate/device/reboot",
                ("{\"reqId\":\"" + reqId + "\"}").getBytes(StandardCharsets.UTF_8));

        assertThat(h.takeResponse()).hasRc(400).hasReqId(reqId).hasMessageContaining("over the limit of 256");
        assertThat(h.session().state().answered()).noneMatch(a -> a.reqId().equals(reqId));
        assertThat(DeviceStateJson.encode(h.session().state()).length).isLessThan(2_000);
    }

    @Test
    void a_reqid_of_256_characters_is_accepted() {
        SessionHarness h = Firmware.managedDevice();
        String reqId = "r".repeat(256);

        h.deliver("iotdm-1/mgmt/initiate/device/reboot",
                ("{\"reqId\":\"" + reqId + "\"}").getBytes(StandardCharsets.UTF_8));

        assertThat(h.takeEvent(SessionEvent.DeviceActionRequested.class).reqId()).isEqualTo(reqId);
    }
}
