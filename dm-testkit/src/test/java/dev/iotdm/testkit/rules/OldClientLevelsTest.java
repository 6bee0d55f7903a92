package dev.iotdm.testkit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The old clients of protocol.md §14, scripted on the wire as they were observed, are charged no
 * {@code required} violation for behaviour the real platform accepted, and each real deviation is
 * reported at its level (issue 13, old-client emulations; issue 11, item 1).
 */
class OldClientLevelsTest {

    private static final String MANAGE = "iotdevice-1/mgmt/manage";
    private static final String RESPONSE = "iotdevice-1/response";
    private static final String NOTIFY = "iotdevice-1/notify";
    private static final String LOG = "iotdevice-1/add/diag/log";
    private static final String LOCATION = "iotdevice-1/device/update/location";

    private static final String PY_DEVICE_INFO = "{\"serialNumber\": null, \"manufacturer\": null, \"model\": null,"
            + " \"deviceClass\": null, \"description\": null, \"fwVersion\": null, \"hwVersion\": null,"
            + " \"descriptiveLocation\": null}";

    /** Passes as an external device, with exactly these deviations and nothing required among them. */
    private static void assertDeviationsOnly(Script s, String... expected) {
        CheckReport r = s.report();
        Verdict v = Verdict.of(r, Audience.EXTERNAL_DEVICE);
        assertThat(v.failures()).as(r.toText()).isEmpty();
        assertThat(r.violations()).as(r.toText()).noneMatch(x -> x.level() == RuleLevel.REQUIRED);
        assertThat(r.violatedRuleIds()).as(r.toText()).containsExactlyInAnyOrderElementsOf(Set.of(expected));
        assertThat(Verdict.of(r, Audience.OUR_DEVICE).passed()).isFalse();
    }

    /** The operator's requests every emulation is taken through, with the Python-style answers. */
    private static Script pythonOperations(Script s, String manageReqId) {
        return s.platformAnswer(manageReqId, 200)
                .device(LOCATION, "{\"reqId\": \"l1\", \"d\": {\"latitude\": 30.2, \"longitude\": -97.7, \"elevation\": 10,"
                        + " \"measuredDateTime\": \"2026-11-25T13:08:15.747566+00:00\"}}")
                .platformAnswer("l1", 200)
                // Local time without a zone, data as given (not base64).
                .device(LOG, "{\"reqId\": \"g1\", \"d\": {\"message\": \"m\", \"timestamp\": \"2026-11-25T13:08:16.748536\","
                        + " \"data\": \"some data\", \"severity\": 1}}")
                .platformAnswer("g1", 200)
                // An observe answer without the value, then a download with notifies without reqId.
                .platform("iotdm-1/device/update", "{\"reqId\":\"u1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\","
                        + "\"value\":{\"name\":\"fw\",\"version\":\"2.0\",\"uri\":\"http://127.0.0.1/fw.bin\","
                        + "\"verifier\":\"abc\",\"state\":0,\"updateStatus\":0,\"updatedDateTime\":\"\"}}]}}")
                .device(RESPONSE, "{\"rc\": 204, \"message\": \"\", \"reqId\": \"u1\"}")
                .platform("iotdm-1/observe", "{\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\"}]}}")
                .device(RESPONSE, "{\"rc\": 200, \"message\": \"\", \"reqId\": \"o1\"}")
                .platform("iotdm-1/mgmt/initiate/firmware/download", "{\"reqId\":\"d1\"}")
                .device(RESPONSE, "{\"rc\": 202, \"message\": \"\", \"reqId\": \"d1\"}")
                .device(NOTIFY, "{\"d\": {\"fields\": [{\"field\": \"mgmt.firmware\", \"value\": {\"state\": 1}}]}}")
                .device(NOTIFY, "{\"d\": {\"fields\": [{\"field\": \"mgmt.firmware\", \"value\": {\"state\": 2}}]}}")
                .platform("iotdm-1/cancel", "{\"reqId\":\"c1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\"}]}}")
                .device(RESPONSE, "{\"rc\": 200, \"message\": \"\", \"reqId\": \"c1\"}")
                // A metadata push without reqId: no answer.
                .platform("iotdm-1/device/update", "{\"d\":{\"fields\":[{\"field\":\"metadata\",\"value\":{}}]}}")
                .platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"b1\"}")
                .device(RESPONSE, "{\"rc\": 202, \"message\": \"\", \"reqId\": \"b1\"}").disconnect();
    }

    private static String pythonManage(String reqId, String deviceInfo) {
        return "{\"d\": {\"lifetime\": 3600, \"supports\": {\"deviceActions\": true, \"firmwareActions\": true},"
                + " \"deviceInfo\": " + deviceInfo + ", \"metadata\": {}}, \"reqId\": \"" + reqId + "\"}";
    }

    @Test
    void python_ibmiotf_as_wired_deviates_only_at_recommended_level() {
        Script s = Script.withLiveSubscriptions().connect().subscribe("iotdm-1/#")
                .device(MANAGE, pythonManage("m1", PY_DEVICE_INFO));
        pythonOperations(s, "m1").connect().subscribe("iotdm-1/#").device(MANAGE, pythonManage("m2", PY_DEVICE_INFO))
                .platformAnswer("m2", 200).finish();
        assertDeviationsOnly(s, "R12.24-DEVICE-INFO-VALUES", "R12.21-UTC-TIMESTAMPS", "DM-LOG-1",
                "R12.5-OBSERVE-VALUES", "R12.3-NOTIFY-REQID");
    }

    @Test
    void python_wiotp_sdk_with_a_manage_per_suback_deviates_only_at_recommended_level() {
        Script s = Script.withLiveSubscriptions().connect().subscribe("iotdm-1/#");
        for (int i = 1; i <= 10; i++) {
            s.device(MANAGE, pythonManage("w" + i, "{}"));
        }
        for (int i = 1; i < 10; i++) {
            s.platformAnswer("w" + i, 200);
        }
        pythonOperations(s, "w10").connect().subscribe("iotdm-1/#").device(MANAGE, pythonManage("w11", "{}"))
                .platformAnswer("w11", 200).finish();
        assertDeviationsOnly(s, "R12.15-ONE-MANAGE", "R12.21-UTC-TIMESTAMPS", "DM-LOG-1", "R12.5-OBSERVE-VALUES",
                "R12.3-NOTIFY-REQID");
    }

    @Test
    void iot_java_deviates_only_at_recommended_level() {
        String manage = "{\"d\":{\"supports\":{\"deviceActions\":true,\"firmwareActions\":true},"
                + "\"deviceInfo\":{\"serialNumber\":\"SN\"},\"metadata\":{},\"lifetime\":3600},\"reqId\":\"j1\"}";
        Script s = Script.withLiveSubscriptions().connect().subscribe("iotdm-1/response").device(MANAGE, manage)
                .platformAnswer("j1", 200)
                // Request topics only after the manage answer.
                .subscribe("iotdm-1/observe", "iotdm-1/cancel", "iotdm-1/device/update", "iotdm-1/mgmt/initiate/#")
                .device(LOG, "{\"reqId\":\"g1\",\"d\":{\"message\":\"m\",\"timestamp\":\"2026-11-25T13:10:25+00:00\","
                        + "\"data\":\"c29tZSBkYXRh\",\"severity\":0}}")
                .platformAnswer("g1", 200)
                // A push answered with a null reqId.
                .platform("iotdm-1/device/update", "{\"d\":{\"fields\":[{\"field\":\"metadata\",\"value\":{}}]}}")
                .device(RESPONSE, "{\"rc\":204,\"reqId\":null}")
                .platform("iotdm-1/observe", "{\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\"}]}}")
                .device(RESPONSE, "{\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"name\":\"fw\","
                        + "\"version\":\"1.0\",\"state\":0,\"updateStatus\":0}}]},\"reqId\":\"o1\",\"rc\":200}")
                .device(NOTIFY, "{\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"updateStatus\":0}}]}}")
                // Reboot, then a factory reset that also gets a stale 501 on the reboot's reqId.
                .platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"req-reboot-1\"}")
                .device(RESPONSE, "{\"rc\":202,\"message\":\"rebooting\",\"reqId\":\"req-reboot-1\"}").disconnect()
                .connect().subscribe("iotdm-1/response").device(MANAGE, manage.replace("j1", "j2"))
                .platformAnswer("j2", 200)
                .subscribe("iotdm-1/observe", "iotdm-1/cancel", "iotdm-1/device/update", "iotdm-1/mgmt/initiate/#")
                .platform("iotdm-1/mgmt/initiate/device/factory_reset", "{\"reqId\":\"req-reset-1\"}")
                .device(RESPONSE, "{\"rc\":501,\"reqId\":\"req-reboot-1\"}")
                .device(RESPONSE, "{\"reqId\":\"req-reset-1\",\"rc\":202}").disconnect()
                .connect().subscribe("iotdm-1/response").device(MANAGE, manage.replace("j1", "j3"))
                .platformAnswer("j3", 200).finish();
        assertDeviationsOnly(s, "DM-MANAGE-4", "R12.12-NO-REPLY-WITHOUT-REQID", "I14-NULL-REQID", "R12.3-NOTIFY-REQID",
                "R12.25-ONE-RESPONSE");
    }

    @Test
    void node_ibmiotf_with_qos_0_and_manage_before_subscribe_deviates_only_at_recommended_level() {
        Script s = Script.withLiveSubscriptions().connect()
                .device(MANAGE, "{\"d\":{\"lifetime\":3600,\"supports\":{\"deviceActions\":true,\"firmwareActions\":true}},"
                        + "\"reqId\":\"n1\"}", 0, false)
                .subscribe("iotdm-1/#").platformAnswer("n1", 200)
                .device(LOCATION, "{\"d\":{\"latitude\":30,\"longitude\":-97,\"measuredDateTime\":"
                        + "\"2026-11-25T13:18:55.340Z\"},\"reqId\":\"l1\"}", 0, false)
                .platformAnswer("l1", 200)
                .platform("iotdm-1/observe", "{\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\"}]}}")
                .device(RESPONSE, "{\"rc\":200,\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\","
                        + "\"value\":{}}]}}", 0, false)
                .platform("iotdm-1/device/update", "{\"d\":{\"fields\":[{\"field\":\"metadata\",\"value\":{}}]}}")
                .device(RESPONSE, "{\"rc\":204}", 0, false)
                .platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"b1\"}")
                .device(RESPONSE, "{\"rc\":202,\"reqId\":\"b1\",\"message\":\"\"}", 0, false).disconnect()
                .connect()
                .device(MANAGE, "{\"d\":{\"lifetime\":3600,\"supports\":{\"deviceActions\":true,\"firmwareActions\":true}},"
                        + "\"reqId\":\"n2\"}", 0, false)
                .subscribe("iotdm-1/#").platformAnswer("n2", 200).finish();
        assertDeviationsOnly(s, "R12.17-DM-QOS-1", "DM-MANAGE-4", "R12.5-OBSERVE-VALUES",
                "R12.12-NO-REPLY-WITHOUT-REQID");
    }
}
