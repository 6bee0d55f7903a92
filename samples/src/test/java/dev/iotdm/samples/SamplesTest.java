package dev.iotdm.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.platform.FirmwareImage;
import dev.iotdm.testkit.platform.OperationOutcome;
import dev.iotdm.testkit.platform.PlatformRecorder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every sample against the fake platform on the embedded broker; the rule checker must find
 * nothing. One platform serves the class (it takes seconds to start); every sample is its own device.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SamplesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final byte[] IMAGE = "firmware image 1.1.0".getBytes(StandardCharsets.UTF_8);

    private FakePlatform platform;
    private final PlatformRecorder recorder = new PlatformRecorder();
    private HttpServer images;

    @BeforeAll
    void start() throws IOException {
        platform = FakePlatform.start();
        platform.addObserver(recorder);
        images = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        images.createContext("/fw.bin", exchange -> {
            exchange.sendResponseHeaders(200, IMAGE.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(IMAGE);
            }
        });
        images.start();
    }

    @AfterAll
    void stop() {
        images.stop(0);
        platform.close();
    }

    private DeviceOptions register(String deviceId) {
        platform.registerDevice("samples", "sensor", deviceId, "sample-token");
        return DeviceOptions.builder().org("samples").typeId("sensor").deviceId(deviceId).token("sample-token")
                .host(platform.broker().host()).port(platform.broker().port()).withoutTls().build();
    }

    private void assertNoRuleViolated() {
        assertThat(recorder.report().violations()).as("rule violations at any level").isEmpty();
    }

    @Test
    void the_managed_device_downloads_rejects_a_bad_image_updates_reboots_and_resets(@TempDir Path dir)
            throws Exception {
        String clientId = "d:samples:sensor:managed";
        try (ManagedDeviceSample sample = new ManagedDeviceSample(register("managed"), dir)) {
            sample.start();
            platform.awaitManaged(clientId, WAIT);
            String uri = "http://127.0.0.1:" + images.getAddress().getPort() + "/fw.bin";

            FirmwareImage bad = new FirmwareImage(Optional.of("1.1.0"), Optional.empty(), Optional.of(uri),
                    Optional.of("0".repeat(64)));
            platform.firmwareDownload(clientId, Optional.of(bad), WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(platform.awaitDevice(clientId, "the verification failure",
                    d -> d.firmwareUpdateStatus().equals(Optional.of(UpdateStatus.VERIFICATION_FAILED)), WAIT)
                    .firmwareState()).contains(FirmwareState.IDLE);

            FirmwareImage good = new FirmwareImage(Optional.of("1.1.0"), Optional.empty(), Optional.of(uri),
                    Optional.of(sha256(IMAGE)));
            assertThat(platform.firmwareDownload(clientId, Optional.of(good), WAIT).get(WAIT.toSeconds(),
                    TimeUnit.SECONDS)).isInstanceOf(OperationOutcome.Succeeded.class);
            assertThat(platform.firmwareUpdate(clientId, Optional.empty(), WAIT).get(WAIT.toSeconds(),
                    TimeUnit.SECONDS)).isInstanceOf(OperationOutcome.Succeeded.class);
            assertThat(platform.awaitDevice(clientId, "the update's success", d -> d.firmwareUpdateStatus()
                    .equals(Optional.of(UpdateStatus.SUCCESS)), WAIT).firmwareState()).contains(FirmwareState.IDLE);
            assertThat(sample.client().deviceInfo().fwVersion()).contains("1.1.0");

            // The platform learns the new fwVersion from the manage after the reboot.
            assertThat(platform.reboot(clientId, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(OperationOutcome.Succeeded.class);
            assertThat(platform.awaitDevice(clientId, "fwVersion 1.1.0", d -> d.deviceInfo()
                    .flatMap(i -> i.fwVersion()).equals(Optional.of("1.1.0")), WAIT).managed()).isTrue();
            assertThat(platform.factoryReset(clientId, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(OperationOutcome.Succeeded.class);
            assertThat(platform.awaitDevice(clientId, "the factory fwVersion again", d -> d.deviceInfo()
                    .flatMap(i -> i.fwVersion()).equals(Optional.of("1.0.0")), WAIT).managed()).isTrue();
        }
        assertNoRuleViolated();
    }

    @Test
    void the_device_from_a_device_conf_file_manages_and_reports(@TempDir Path dir) throws Exception {
        register("conf");
        Path conf = Files.writeString(dir.resolve("device.conf"), String.join("\n", "[device]", "org=samples",
                "type=sensor", "id=conf", "auth-method=token", "auth-token=sample-token", "port=1883", ""));
        // device.conf knows only the standard ports: the test connects to the broker's port instead.
        DeviceOptions fromFile = dev.iotdm.client.config.DeviceConfigs.fromIniFile(conf)
                .host(platform.broker().host()).port(platform.broker().port()).build();
        assertThat(fromFile.clientId()).isEqualTo("d:samples:sensor:conf");

        try (ConfigFileSample sample = new ConfigFileSample(conf, platform.broker().host(),
                platform.broker().port())) {
            sample.run();
        }
        assertThat(platform.awaitDevice("d:samples:sensor:conf", "the location, error code and log",
                d -> d.location().isPresent() && d.errorCodes().contains(1) && d.log().size() == 1, WAIT).managed())
                .isTrue();
        assertNoRuleViolated();
    }

    @Test
    void events_go_out_and_a_command_is_answered_with_an_event() throws Exception {
        String clientId = "d:samples:sensor:events";
        try (EventsAndCommandsSample sample = new EventsAndCommandsSample(register("events"))) {
            sample.start(21.5);
            assertThat(platform.awaitEvent(clientId, "reading", WAIT).payload().asUtf8()).contains("21.5");

            platform.command(clientId, "blink", "json", "{}".getBytes(StandardCharsets.UTF_8))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(platform.awaitEvent(clientId, "ack", WAIT).payload().asUtf8()).contains("blink");
        }
        assertNoRuleViolated();
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
