package dev.iotdm.testkit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.testkit.raw.ConnectOptions;
import dev.iotdm.testkit.raw.MqttPublish;
import dev.iotdm.testkit.raw.RawMqttClient;
import dev.iotdm.testkit.rules.CheckReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A scripted misbehaving device over a real socket: the platform still serves it, and the rule
 * checker on what the platform saw names each deviation.
 */
class MisbehavingRawDeviceTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static FakePlatform platform;

    @BeforeAll
    static void start() {
        platform = FakePlatform.start();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void old_client_habits_are_served_and_reported_with_rule_ids() {
        PlatformRecorder recorder = new PlatformRecorder();
        platform.addObserver(recorder);
        String clientId = platform.registerDevice("org1", "sensor", "old-1", "tok");
        try (RawMqttClient device = RawMqttClient.open("127.0.0.1", platform.broker().port(), WAIT)) {
            device.connect(ConnectOptions.device(clientId, "tok"), WAIT);
            device.subscribe("iotdm-1/#", 1, WAIT);
            // wiotp-sdk: a manage per SUBACK, the second before the first is answered (§12.15);
            // C: integer supports flags (§12.19).
            String manage = "{\"d\":{\"lifetime\":0,\"supports\":{\"deviceActions\":1}},\"reqId\":\"m%d\"}";
            device.publish("iotdevice-1/mgmt/manage", String.format(manage, 1).getBytes(StandardCharsets.UTF_8), 1, WAIT);
            device.publish("iotdevice-1/mgmt/manage", String.format(manage, 2).getBytes(StandardCharsets.UTF_8), 1, WAIT);
            assertThat(device.takePublish(WAIT).topic()).isEqualTo("iotdm-1/response");
            assertThat(device.takePublish(WAIT).topic()).isEqualTo("iotdm-1/response");
            // A retained event (§1.9, §13.7).
            device.publish(MqttPublish.of("iot-2/evt/status/fmt/json", "{}", 1).withRetain(true), WAIT);
            platform.awaitManaged(clientId, WAIT);
            platform.awaitMessage(clientId, "the retained event", e -> e.topic().startsWith("iot-2/evt/"), WAIT);
        }
        CheckReport report = recorder.report();
        assertThat(report.violatedRuleIds())
                .contains("R12.15-ONE-MANAGE", "R12.19-SUPPORTS-BOOLEAN", "C13.7-NO-RETAIN");
        assertThat(platform.device(clientId).managed()).isTrue();
        assertThat(List.copyOf(report.violations())).allSatisfy(v -> assertThat(v.clientId()).isEqualTo(clientId));
    }
}
