package dev.iotdm.protocol.codec;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.codec.Wire.decode;

import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.message.AddErrorCode;
import dev.iotdm.protocol.message.AddLog;
import dev.iotdm.protocol.message.CustomAction;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LocationField;
import dev.iotdm.protocol.message.LogEntry;
import dev.iotdm.protocol.message.LogSeverity;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.Observe;
import dev.iotdm.protocol.message.Parameter;
import dev.iotdm.protocol.message.Timestamp;
import dev.iotdm.protocol.message.UpdateLocation;
import dev.iotdm.protocol.topic.CustomActionTopic;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Keys the protocol does not define are ignored at every level, whatever their value
 * (protocol.md §12.35); they are not a leniency worth reporting.
 */
class UnknownKeysCodecTest {

    private static final String EXTRA = "\"x-extra\":{\"nested\":[1,{\"deep\":null}]}";

    @Test
    void location_ignores_unknown_keys() {
        assertThat(decode("iotdevice-1/device/update/location",
                "{\"d\":{\"latitude\":1,\"altitudeUnit\":\"m\",\"longitude\":2," + EXTRA + "},\"reqId\":\"l\"}"))
                .decodesTo(new UpdateLocation("l", Location.of(1, 2))).withoutNormalisations();
    }

    @Test
    void error_code_ignores_unknown_keys() {
        assertThat(decode("iotdevice-1/add/diag/errorCodes",
                "{\"d\":{\"errorCode\":42,\"source\":\"fan\"," + EXTRA + "},\"reqId\":\"e\"}"))
                .decodesTo(new AddErrorCode("e", 42)).withoutNormalisations();
    }

    @Test
    void log_ignores_unknown_keys() {
        assertThat(decode("iotdevice-1/add/diag/log", "{\"d\":{\"message\":\"m\",\"logData\":\"AA==\","
                + "\"timestamp\":\"2018-05-01T10:15:30Z\",\"severity\":0," + EXTRA + "},\"reqId\":\"g\"}"))
                .decodesTo(new AddLog("g", new LogEntry("m", new Timestamp("2018-05-01T10:15:30Z"), Optional.empty(),
                        LogSeverity.INFORMATIONAL)))
                .withoutNormalisations();
    }

    @Test
    void notify_ignores_unknown_keys_in_d_in_entries_and_in_the_firmware_value() {
        assertThat(decode("iotdevice-1/notify", "{\"d\":{" + EXTRA + ",\"fields\":[{\"field\":\"mgmt.firmware\","
                + "\"ts\":1,\"value\":{\"state\":1,\"progress\":40}}]},\"reqId\":\"n\"}"))
                .decodesTo(Notify.of("n", new FirmwareField(FirmwareInfo.ofState(FirmwareState.DOWNLOADING))))
                .withoutNormalisations();
        assertThat(decode("iotdevice-1/notify", "{\"d\":{\"fields\":[{\"field\":\"location\",\"value\":"
                + "{\"latitude\":1,\"longitude\":2,\"speed\":3}}]},\"reqId\":\"n\"}"))
                .decodesTo(Notify.of("n", new LocationField(Location.of(1, 2))))
                .withoutNormalisations();
    }

    @Test
    void observe_ignores_unknown_keys_in_d_and_in_entries() {
        assertThat(decode("iotdm-1/observe", "{\"reqId\":\"o\",\"d\":{\"interval\":5,\"fields\":[{\"field\":"
                + "\"location\",\"mode\":\"on-change\"}]}}"))
                .decodesTo(Observe.of("o", "location")).withoutNormalisations();
    }

    @Test
    void custom_action_ignores_unknown_keys_in_d_and_in_entries() {
        assertThat(decode("iotdm-1/mgmt/custom/acme-v1/install", "{\"reqId\":\"c\",\"d\":{\"bundle\":\"acme-v1\","
                + "\"fields\":[{\"field\":\"pluginId\",\"required\":true,\"value\":\"pA\"}]}}"))
                .decodesTo(new CustomAction("c", new CustomActionTopic("acme-v1", "install"),
                        List.of(new Parameter("pluginId", new JsonString("pA")))))
                .withoutNormalisations();
    }
}
