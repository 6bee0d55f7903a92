package dev.iotdm.transport.paho;

import static dev.iotdm.transport.paho.TestBroker.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.client.ActionResponse;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.session.DeviceActionKind;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.testkit.broker.DevicePublish;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Smoke test of the real device stack: {@link ManagedClient} over {@link PahoTransport} (chosen
 * by name) against the embedded broker, with a tiny platform that accepts every manage.
 */
class ManagedClientOverPahoTest {

    private static final Pattern REQ_ID = Pattern.compile("\"reqId\"\\s*:\\s*\"([^\"]*)\"");

    private static TestBroker platform;

    @BeforeAll
    static void startBroker() {
        platform = TestBroker.plain(ManagedClientOverPahoTest::answerManage);
    }

    @AfterAll
    static void stopBroker() {
        platform.close();
    }

    /** The platform's side of protocol.md §3.1: every manage is answered with rc 200. */
    private static void answerManage(DevicePublish publish) {
        if (!publish.topic().equals("iotdevice-1/mgmt/manage")) {
            return;
        }
        Matcher reqId = REQ_ID.matcher(new String(publish.payload(), StandardCharsets.UTF_8));
        if (reqId.find()) {
            String answer = "{\"rc\":200,\"reqId\":\"" + reqId.group(1) + "\"}";
            platform.broker.sendToDevice(publish.clientId(), "iotdm-1/response",
                    answer.getBytes(StandardCharsets.UTF_8), 1, WAIT);
        }
    }

    @Test
    void a_managed_client_asked_for_mqtt_3_1_1_over_paho_is_refused_at_build_naming_mqtt_5() {
        TestBroker.Device device = platform.newDevice();
        DeviceOptions options = DeviceOptions.builder()
                .org(TestBroker.ORG).typeId(TestBroker.TYPE).deviceId(device.deviceId()).token(device.token())
                .host(platform.broker.host()).port(platform.broker.port()).withoutTls()
                .mqttVersion(MqttVersion.MQTT_3_1_1)
                .build();

        assertThatThrownBy(() -> ManagedClient.builder(options).transport("paho").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MQTT_5");
    }

    @Test
    void the_readme_snippet_without_a_version_connects_and_manages_over_paho_on_mqtt_5() throws Exception {
        TestBroker.Device device = platform.newDevice();
        DeviceOptions options = DeviceOptions.builder()
                .org(TestBroker.ORG).typeId(TestBroker.TYPE).deviceId(device.deviceId()).token(device.token())
                .host(platform.broker.host()).port(platform.broker.port()).withoutTls()
                .build(); // no version: the transport's preferred one

        try (ManagedClient client = ManagedClient.builder(options).transport("paho").build()) {
            ManagedClient.await(client.connect(), WAIT);
            assertThat(ManagedClient.await(client.manage(3600, true, false), WAIT).rc()).isEqualTo(Rc.OK);
        }
    }

    @Test
    void a_managed_client_connects_manages_and_answers_a_reboot_over_paho() throws Exception {
        TestBroker.Device device = platform.newDevice();
        DeviceOptions options = DeviceOptions.builder()
                .org(TestBroker.ORG).typeId(TestBroker.TYPE).deviceId(device.deviceId()).token(device.token())
                .host(platform.broker.host()).port(platform.broker.port()).withoutTls()
                .mqttVersion(MqttVersion.MQTT_5)
                .build();
        BlockingQueue<String> actions = new LinkedBlockingQueue<>();

        try (ManagedClient client = ManagedClient.builder(options)
                .transport("paho")
                .deviceActionHandler((kind, reqId) -> {
                    actions.add(kind + " " + reqId);
                    return CompletableFuture.completedFuture(ActionResponse.accepted());
                })
                .build()) {
            ManagedClient.await(client.connect(), WAIT);
            PlatformResponse managed = ManagedClient.await(client.manage(3600, true, true), WAIT);
            assertThat(managed.rc()).isEqualTo(Rc.OK);

            platform.broker.sendToDevice(device.clientId(), "iotdm-1/mgmt/initiate/device/reboot",
                    "{\"reqId\":\"r1\"}".getBytes(StandardCharsets.UTF_8), 1, WAIT).get(WAIT.toMillis(),
                    TimeUnit.MILLISECONDS);

            assertThat(actions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(DeviceActionKind.REBOOT + " r1");
            DevicePublish response = platform.awaitPublish(p -> p.clientId().equals(device.clientId())
                    && p.topic().equals("iotdevice-1/response"));
            String json = new String(response.payload(), StandardCharsets.UTF_8).replaceAll("\\s", "");
            assertThat(json).contains("\"rc\":202").contains("\"reqId\":\"r1\"");
        }
    }
}
