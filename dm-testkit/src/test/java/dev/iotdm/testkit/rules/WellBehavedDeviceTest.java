package dev.iotdm.testkit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A device that follows every rule, scripted through every DM feature, produces no violation and
 * exercises the rules those features touch.
 */
class WellBehavedDeviceTest {

    private static final String RESPONSE = "iotdevice-1/response";

    /** Manage, diagnostics, observe/notify, the §6.4 firmware run, custom action, reboot, reset, unmanage. */
    static Script wellBehaved() {
        return wellBehaved(true);
    }

    /** The conversation, with or without the device's SUBSCRIBEs reported to the checker. */
    static Script wellBehaved(boolean subscriptionsReported) {
        Script s = subscriptionsReported ? Script.withLiveSubscriptions() : new Script();
        String[] filters = subscriptionsReported ? new String[] {"iotdm-1/#"} : new String[0];
        s.connect().subscribe(filters).managed("m1");
        // Location, error codes and logs (§3.3-§3.7).
        s.device("iotdevice-1/device/update/location", "{\"reqId\":\"l1\",\"d\":{\"latitude\":30.28565,"
                + "\"longitude\":-97.73921,\"elevation\":0,\"measuredDateTime\":\"2026-11-25T10:00:01.123Z\"}}")
                .platformAnswer("l1", 200)
                .device("iotdevice-1/add/diag/errorCodes", "{\"reqId\":\"e1\",\"d\":{\"errorCode\":42}}")
                .platformAnswer("e1", 200)
                .device("iotdevice-1/clear/diag/errorCodes", "{\"reqId\":\"e2\"}").platformAnswer("e2", 200)
                .device("iotdevice-1/add/diag/log", "{\"reqId\":\"g1\",\"d\":{\"message\":\"disk nearly full\","
                        + "\"timestamp\":\"2026-11-25T10:00:02Z\",\"data\":\"AAECAw==\",\"severity\":1}}")
                .platformAnswer("g1", 200)
                .device("iotdevice-1/clear/diag/log", "{\"reqId\":\"g2\"}").platformAnswer("g2", 200);
        // Observe location, a platform push (no reqId: no answer), the notify of the change, cancel.
        s.platform("iotdm-1/observe", "{\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"location\"}]}}")
                .device(RESPONSE, "{\"rc\":200,\"reqId\":\"o1\",\"d\":{\"fields\":[{\"field\":\"location\",\"value\":"
                        + "{\"latitude\":30.28565,\"longitude\":-97.73921,\"elevation\":0}}]}}")
                .platform("iotdm-1/device/update", "{\"d\":{\"fields\":[{\"field\":\"location\",\"value\":"
                        + "{\"latitude\":30.2,\"longitude\":-97.7,\"measuredDateTime\":\"2026-11-25T10:00:03Z\","
                        + "\"updatedDateTime\":\"2026-11-25T10:00:04Z\"}}]}}")
                .device("iotdevice-1/notify", "{\"reqId\":\"n1\",\"d\":{\"fields\":[{\"field\":\"location\",\"value\":"
                        + "{\"latitude\":30.2,\"longitude\":-97.7,\"measuredDateTime\":\"2026-11-25T10:00:03Z\"}}]}}")
                .platformAnswer("n1", 200)
                .platform("iotdm-1/cancel", "{\"reqId\":\"o2\",\"d\":{\"fields\":[{\"field\":\"location\"}]}}")
                .answer("o2", 200)
                .platform("iotdm-1/device/update", "{\"reqId\":\"u1\",\"d\":{\"fields\":[{\"field\":\"metadata\","
                        + "\"value\":{\"owner\":\"ops\"}}]}}")
                .answer("u1", 204);
        // The full download + update run of protocol.md §6.4, with reqIds on the notifies (§12.3).
        s.platform("iotdm-1/device/update", "{\"reqId\":\"r1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\","
                + "\"value\":{\"version\":\"2.0\",\"name\":\"fw\",\"uri\":\"https://h/fw.bin\",\"verifier\":\"abc\","
                + "\"state\":0,\"updateStatus\":0,\"updatedDateTime\":\"\"}}]}}")
                .answer("r1", 204)
                .firmwareObserved("r2", 0)
                .platform("iotdm-1/mgmt/initiate/firmware/download", "{\"reqId\":\"r3\"}").answer("r3", 202)
                .firmwareNotify("n2", "{\"state\":1}").platformAnswer("n2", 200)
                .firmwareNotify("n3", "{\"state\":2}").platformAnswer("n3", 200)
                .platform("iotdm-1/cancel", "{\"reqId\":\"r4\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\"}]}}")
                .answer("r4", 200)
                .firmwareObserved("r5", 2)
                .platform("iotdm-1/mgmt/initiate/firmware/update", "{\"reqId\":\"r6\"}").answer("r6", 202)
                .firmwareNotify("n4", "{\"updateStatus\":1}").platformAnswer("n4", 200)
                .firmwareNotify("n5", "{\"state\":0,\"updateStatus\":0}").platformAnswer("n5", 200)
                .platform("iotdm-1/cancel", "{\"reqId\":\"r7\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\"}]}}")
                .answer("r7", 200);
        // A custom action of an advertised bundle, and a request on a topic the device does not know.
        s.platform("iotdm-1/mgmt/custom/acme-v1/installPlugin", "{\"reqId\":\"x1\",\"d\":{\"fields\":"
                + "[{\"field\":\"pluginId\",\"value\":\"pA\"}]}}")
                .answer("x1", 200)
                .platform("iotdm-1/mgmt/initiate/device/teleport", "{\"reqId\":\"t1\"}")
                .device(RESPONSE, "{\"rc\":404,\"reqId\":\"t1\",\"message\":\"unknown topic\"}");
        // Lifetime re-manage near expiry (a tenth early, as our device does).
        s.after(Duration.ofSeconds(3240)).managed("m2");
        // Reboot: 202 first, then the connection drops, then a prompt manage after reconnect.
        s.platform("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"b1\"}").answer("b1", 202).disconnect()
                .after(Duration.ofSeconds(20)).connect().subscribe(filters).managed("m3");
        // Factory reset, the same way.
        s.platform("iotdm-1/mgmt/initiate/device/factory_reset", "{\"reqId\":\"f1\"}").answer("f1", 202).disconnect()
                .after(Duration.ofSeconds(20)).connect().subscribe(filters).managed("m4");
        // Events are not DM: any QoS is fine.
        s.device("iot-2/evt/status/fmt/json", "{\"temp\":21.5}", 0, false);
        // Unmanage, then leave.
        s.device("iotdevice-1/mgmt/unmanage", "{\"reqId\":\"um1\"}").platformAnswer("um1", 200).disconnect();
        return s.finish();
    }

    @Test
    void a_device_following_every_rule_has_no_violation() {
        CheckReport r = wellBehaved().report();
        assertThat(r.violations()).as(r.toText()).isEmpty();
        assertThat(r.isClean()).isTrue();
    }

    @Test
    void every_checkable_rule_is_exercised_except_those_only_a_failure_can_reach() {
        CheckReport r = wellBehaved().report();
        // DM-CANCEL-1 runs only when a cancel is refused; DM-UNMANAGE-1 only when the platform
        // sends a request after unmanage. A correct conversation reaches neither precondition.
        assertThat(r.notExercised()).as(r.toText()).containsExactlyInAnyOrder("DM-CANCEL-1", "DM-UNMANAGE-1");
        assertThat(r.exercised()).contains("R12.15-ONE-MANAGE", "R12.25-ONE-RESPONSE", "DM-RESP-2", "DM-FW-DOWNLOAD",
                "DM-FW-UPDATE", "R12.28-NOTIFY-ONLY-OBSERVED", "R12.12-NO-REPLY-WITHOUT-REQID",
                "C13.6-REMANAGE-BEFORE-EXPIRY", "R12.14-REMANAGE-ON-RECONNECT", "DM-ACTION-1", "R12.26-CUSTOM-ACTION-RC",
                "R12.31-UNKNOWN-TOPIC-404", "R12.17-DM-QOS-1", "DM-RESP-3", "DM-RESP-4", "DM-SUB-1",
                "DM-MANAGE-4", "DM-ACTION-2", "R12.8-DOWNLOAD-URI");
    }

    @Test
    void the_same_conversation_checked_from_its_json_lines_gives_the_same_report() {
        Script s = wellBehaved(false);
        CheckReport live = s.report();
        CheckReport replayed = RuleChecker.check(
                dev.iotdm.testkit.transcript.Transcript.parseJsonLines(s.transcript().toJsonLines()));
        assertThat(replayed).isEqualTo(live);
    }
}
