package dev.iotdm.testkit.platform;

import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.protocol.message.Parameter;
import dev.iotdm.protocol.topic.Direction;
import dev.iotdm.testkit.platform.OperationOutcome.Succeeded;
import dev.iotdm.testkit.raw.MqttPublish;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.iotdm.testkit.platform.EngineHarness.reqId;
import static dev.iotdm.testkit.platform.ScriptedDevice.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fake platform end to end over the real embedded broker, with raw scripted devices. One broker. */
class FakePlatformTest {

    private static final AtomicInteger NUMBERS = new AtomicInteger();
    private static final List<TranscriptEntry> OBSERVED = new CopyOnWriteArrayList<>();
    private static FakePlatform platform;

    private final List<ScriptedDevice> devices = new ArrayList<>();

    @BeforeAll
    static void startPlatform() {
        platform = FakePlatform.start();
        platform.addObserver(new PlatformObserver() {
            @Override
            public void onConnect(Instant time, String clientId) {
            }

            @Override
            public void onDisconnect(Instant time, String clientId) {
            }

            @Override
            public void onMessage(TranscriptEntry entry) {
                OBSERVED.add(entry);
            }

            @Override
            public void onDecodeProblem(PlatformEvent.DecodeProblem problem) {
            }
        });
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @AfterEach
    void closeDevices() {
        devices.forEach(ScriptedDevice::close);
    }

    /** A freshly registered device, so tests sharing the platform never share a client id. */
    private String newDevice() {
        int n = NUMBERS.incrementAndGet();
        return platform.registerDevice("org1", "sensor", "dev" + n, "token-dev" + n);
    }

    private ScriptedDevice connect(String clientId) {
        ScriptedDevice device = ScriptedDevice.connect(platform, clientId, "token-" + clientId.substring(clientId.lastIndexOf(':') + 1));
        devices.add(device);
        return device;
    }

    @Test
    void a_reboot_completes_when_the_device_answered_202_and_managed_again_after_reconnecting() throws Exception {
        String id = newDevice();
        ScriptedDevice device = connect(id);
        device.subscribeAndManage("m1", "{\"supports\":{\"deviceActions\":true}}");
        assertThat(platform.awaitManaged(id, WAIT).supports().orElseThrow().deviceActions()).isTrue();

        CompletableFuture<OperationOutcome> reboot = platform.reboot(id, Duration.ofSeconds(30));
        device.answer("iotdm-1/mgmt/initiate/device/reboot", 202);
        device.disconnect();
        ScriptedDevice rebooted = connect(id);
        assertThat(reboot).isNotDone();
        rebooted.subscribeAndManage("m2", "{\"supports\":{\"deviceActions\":true}}");

        assertThat(reboot.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(Succeeded.empty());
        assertThat(platform.device(id).manageCount()).isEqualTo(2);
    }

    @Test
    void a_request_reaches_a_device_that_subscribes_to_request_topics_only_after_the_manage_answer()
            throws Exception {
        String id = newDevice();
        ScriptedDevice device = connect(id);
        // iot-java: iotdm-1/response first, the request topics after the manage answer (§14).
        device.subscribe("iotdm-1/response");
        device.manage("m1", "{\"supports\":{\"deviceActions\":true}}");

        CompletableFuture<OperationOutcome> reboot = platform.reboot(id, Duration.ofSeconds(30));
        device.subscribe("iotdm-1/mgmt/initiate/device/reboot");
        JsonObject request = device.answer("iotdm-1/mgmt/initiate/device/reboot", 501);

        assertThat(reboot.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOfSatisfying(
                OperationOutcome.Failed.class, f -> assertThat(f.rc().orElseThrow().code()).isEqualTo(501));
        assertThat(reqId(request)).startsWith("p-");
    }

    @Test
    void a_raw_device_runs_the_firmware_download_and_update_of_section_6_4() throws Exception {
        String id = newDevice();
        ScriptedDevice device = connect(id);
        device.subscribeAndManage("m1", "{\"supports\":{\"firmwareActions\":true}}");
        platform.awaitManaged(id, WAIT);

        CompletableFuture<OperationOutcome> download = platform.firmwareDownload(id,
                Optional.of(FirmwareImage.of("2.0", "fw", "https://h/fw.bin", "abc")), Duration.ofSeconds(30));
        JsonObject update = device.answer("iotdm-1/device/update", 204);
        assertThat(update.toJson()).contains("\"uri\":\"https://h/fw.bin\"");
        JsonObject observe = device.take("iotdm-1/observe");
        device.respond(reqId(observe), 200,
                ",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"state\":0,\"updateStatus\":0}}]}");
        device.answer("iotdm-1/mgmt/initiate/firmware/download", 202);
        device.notifyFirmware("{\"state\":1}");
        platform.awaitFirmwareState(id, FirmwareState.DOWNLOADING, WAIT);
        device.notifyFirmware("{\"state\":2}");
        device.answer("iotdm-1/cancel", 200);
        assertThat(download.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(Succeeded.empty());
        assertThat(platform.awaitFirmwareState(id, FirmwareState.DOWNLOADED, WAIT).observations()).isEmpty();

        CompletableFuture<OperationOutcome> install = platform.firmwareUpdate(id, Optional.empty(),
                Duration.ofSeconds(30));
        observe = device.take("iotdm-1/observe");
        device.respond(reqId(observe), 200,
                ",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":{\"state\":2,\"updateStatus\":0}}]}");
        device.answer("iotdm-1/mgmt/initiate/firmware/update", 202);
        device.notifyFirmware("{\"updateStatus\":1}");
        device.notifyFirmware("{\"state\":0,\"updateStatus\":0}");
        device.answer("iotdm-1/cancel", 200);

        assertThat(install.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(Succeeded.empty());
        assertThat(platform.awaitFirmwareState(id, FirmwareState.IDLE, WAIT).firmware().orElseThrow().version())
                .contains("2.0");
        List<String> flow = platform.transcript(id).stream()
                .map(e -> (e.direction() == Direction.PLATFORM_TO_DEVICE ? "P>D " : "D>P ") + e.topic())
                .toList();
        assertThat(flow).containsExactly(
                "D>P iotdevice-1/mgmt/manage", "P>D iotdm-1/response",
                "P>D iotdm-1/device/update", "D>P iotdevice-1/response",
                "P>D iotdm-1/observe", "D>P iotdevice-1/response",
                "P>D iotdm-1/mgmt/initiate/firmware/download", "D>P iotdevice-1/response",
                "D>P iotdevice-1/notify", "D>P iotdevice-1/notify",
                "P>D iotdm-1/cancel", "D>P iotdevice-1/response",
                "P>D iotdm-1/observe", "D>P iotdevice-1/response",
                "P>D iotdm-1/mgmt/initiate/firmware/update", "D>P iotdevice-1/response",
                "D>P iotdevice-1/notify", "D>P iotdevice-1/notify",
                "P>D iotdm-1/cancel", "D>P iotdevice-1/response");
        assertThat(OBSERVED).containsAll(platform.transcript(id));
    }

    @Test
    void two_devices_managed_at_once_never_see_each_others_messages() throws Exception {
        String idA = newDevice();
        String idB = newDevice();
        ScriptedDevice a = connect(idA);
        ScriptedDevice b = connect(idB);
        a.subscribeAndManage("a-m1", "{\"supports\":{\"acme-v1\":true}}");
        b.subscribeAndManage("b-m1", "{\"supports\":{\"acme-v1\":true}}");

        CompletableFuture<OperationOutcome> toA = platform.customAction(idA, "acme-v1", "hello",
                List.of(new Parameter("who", new JsonString("A"))), Duration.ofSeconds(30));
        CompletableFuture<OperationOutcome> toB = platform.customAction(idB, "acme-v1", "hello",
                List.of(new Parameter("who", new JsonString("B"))), Duration.ofSeconds(30));
        JsonObject requestA = a.answer("iotdm-1/mgmt/custom/acme-v1/hello", 200);
        JsonObject requestB = b.answer("iotdm-1/mgmt/custom/acme-v1/hello", 200);
        assertThat(requestA.toJson()).contains("\"value\":\"A\"");
        assertThat(requestB.toJson()).contains("\"value\":\"B\"");
        assertThat(toA.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(Succeeded.class);
        assertThat(toB.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(Succeeded.class);

        // A marker command last: anything misrouted to a device would have reached it before its marker.
        platform.command(idA, "marker", "txt", new byte[] {'A'}).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        platform.command(idB, "marker", "txt", new byte[] {'B'}).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        a.subscribe("iot-2/cmd/+/fmt/+");
        b.subscribe("iot-2/cmd/+/fmt/+");
        MqttPublish markerA = a.takeAny();
        MqttPublish markerB = b.takeAny();
        assertThat(markerA.topic()).isEqualTo("iot-2/cmd/marker/fmt/txt");
        assertThat(markerA.payloadText()).isEqualTo("A");
        assertThat(markerB.payloadText()).isEqualTo("B");
        assertThat(platform.transcript(idA)).allSatisfy(e -> assertThat(e.payloadText()).doesNotContain("b-m1"));
        assertThat(platform.transcript(idB)).allSatisfy(e -> assertThat(e.payloadText()).doesNotContain("a-m1"));
    }

    @Test
    void device_events_can_be_awaited() {
        String id = newDevice();
        ScriptedDevice device = connect(id);
        device.publish("iot-2/evt/status/fmt/json", "{\"temp\":21}");

        Event event = platform.awaitEvent(id, "status", WAIT);

        assertThat(event.format()).isEqualTo("json");
        assertThat(event.payload().asUtf8()).isEqualTo("{\"temp\":21}");
    }

    @Test
    void a_wait_that_times_out_fails_with_what_the_platform_saw() {
        String id = newDevice();
        ScriptedDevice device = connect(id);
        device.subscribe("iotdm-1/#");
        device.publish("iotdevice-1/add/diag/errorCodes", "{\"reqId\":\"e1\",\"d\":{\"errorCode\":3}}");
        assertThat(EngineHarness.rc(device.take("iotdm-1/response"))).isEqualTo(400);

        assertThatThrownBy(() -> platform.awaitManaged(id, Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("device " + id + " to be managed")
                .hasMessageContaining("managed=false")
                .hasMessageContaining("iotdevice-1/add/diag/errorCodes");
    }

    @Test
    void a_device_with_a_wrong_token_is_not_let_in_and_a_registered_one_is_reported_connected() {
        String id = newDevice();
        assertThatThrownBy(() -> ScriptedDevice.connect(platform, id, "wrong")).isInstanceOf(AssertionError.class);

        connect(id);

        assertThat(platform.awaitDevice(id, "connected", DeviceView::connected, WAIT).lastActivity()).isPresent();
    }
}
