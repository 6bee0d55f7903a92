package dev.iotdm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.testkit.broker.Mosquitto;
import dev.iotdm.testkit.raw.ConnectOptions;
import dev.iotdm.testkit.raw.MqttPublish;
import dev.iotdm.testkit.raw.RawMqttClient;
import dev.iotdm.testkit.raw.RawMqttException;
import dev.iotdm.transport.MqttVersion;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dm-cli conformance} in-process, against our own sample device (a {@link ManagedClient}
 * over Paho: passes) and a raw device that answers every request 200 (fails, readably).
 */
class ConformanceCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration RUN = Duration.ofMinutes(5);
    private static final Pattern LISTENING = Pattern.compile("at mqtt://([0-9.]+):(\\d+)");
    private static final String ORG = "acme";
    private static final String TYPE = "sensor";

    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "conformance-test");
        t.setDaemon(true);
        return t;
    });
    private final LineCollector out = new LineCollector();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        runner.shutdownNow();
    }

    private CompletableFuture<Integer> start(String deviceId, String token, int waitSeconds, int timeoutSeconds,
            String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("conformance", "--device",
                ORG + ":" + TYPE + ":" + deviceId + ":" + token, "--report-dir", dir.resolve("report").toString(),
                "--timeout", Integer.toString(timeoutSeconds), "--wait", Integer.toString(waitSeconds)));
        args.addAll(java.util.List.of(extra));
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        return CompletableFuture.supplyAsync(() -> DmCli.run(args.toArray(String[]::new),
                new ByteArrayInputStream(new byte[0]), o, e), runner);
    }

    @Test
    void our_managed_client_sample_device_over_paho_passes_with_every_operation() throws Exception {
        CompletableFuture<Integer> exit = start("conf-1", "tok-1", 60, 30, "--action", DemoDevice.BUNDLE + "/" + DemoDevice.ACTION,
                "--scenarios", "3");
        Matcher m = out.await(LISTENING, WAIT);
        DeviceOptions options = DeviceOptions.builder().org(ORG).typeId(TYPE).deviceId("conf-1").token("tok-1")
                .host(m.group(1)).port(Integer.parseInt(m.group(2))).withoutTls().mqttVersion(MqttVersion.MQTT_5).build();
        try (DemoDevice device = new DemoDevice(options, "paho", dir.resolve("device"), Duration.ofSeconds(30),
                line -> { })) {
            device.boot();
            ManagedClient.await(device.client().manage(DemoDevice.MANAGE), Duration.ofSeconds(30));
            int code = exit.get(RUN.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(code).as(out.text()).isEqualTo(DmCli.OK);
        }
        assertThat(out.text()).contains("CONFORMANCE PASSED: no required rule violated",
                "PASSED (external device): 0 failing violation(s)", "the device subscribed to: ",
                "firmware download with a wrong verifier", "got FAILED updateStatus VERIFICATION_FAILED",
                "< reboot: OK", "< factory reset: OK", "< scenarios: OK: 3 passed");
        assertThat(out.text()).containsPattern("DM-FW-DOWNLOAD +required +yes +no +passed")
                .containsPattern("DM-ACTION-2 +required +yes +no +passed");
        Path report = dir.resolve("report");
        assertThat(Files.readString(report.resolve("conformance.txt"))).contains("DM-RC-1");
        assertThat(Files.readString(report.resolve("conformance.json"))).contains("\"passed\":true");
        assertThat(DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(report.resolve("conformance-junit.xml").toFile()).getElementsByTagName("failure").getLength())
                .isZero();
    }

    /**
     * {@code --broker}: the command attaches to mosquitto (the platform as its client, the device
     * through the command's proxy); the README's Python device when python3-paho-mqtt is
     * installed, else our ManagedClient sample device in-process.
     */
    @Test
    void attached_to_mosquitto_with_broker_a_sample_device_passes() throws Exception {
        assumeTrue(Mosquitto.installedOrFailOnCi(), "mosquitto is not installed at " + Mosquitto.BINARY);
        try (Mosquitto mosquitto = Mosquitto.start(WAIT)) {
            String broker = mosquitto.host() + ":" + mosquitto.port();
            int code;
            if (pythonPahoInstalled()) {
                code = start("py-1", "tok-py", 60, 30, "--broker", broker, "--run-device",
                        "/usr/bin/python3 " + PYTHON_SAMPLE.toAbsolutePath()).get(RUN.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                CompletableFuture<Integer> exit = start("conf-2", "tok-2", 60, 30, "--broker", broker);
                Matcher m = out.await(LISTENING, WAIT);
                DeviceOptions options = DeviceOptions.builder().org(ORG).typeId(TYPE).deviceId("conf-2").token("tok-2")
                        .host(m.group(1)).port(Integer.parseInt(m.group(2))).withoutTls()
                        .mqttVersion(MqttVersion.MQTT_5).build();
                try (DemoDevice device = new DemoDevice(options, "paho", dir.resolve("device"), Duration.ofSeconds(30),
                        line -> { })) {
                    device.boot();
                    ManagedClient.await(device.client().manage(DemoDevice.MANAGE), Duration.ofSeconds(30));
                    code = exit.get(RUN.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            assertThat(code).as(out.text()).isEqualTo(DmCli.OK);
        }
        assertThat(out.text()).contains("attached to the broker at 127.0.0.1:", "CONFORMANCE PASSED",
                "< reboot: OK", "< factory reset: OK");
    }

    private static final Path PYTHON_SAMPLE = Path.of("..", "samples", "python", "device.py");

    private static boolean pythonPahoInstalled() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/python3")) || !Files.exists(PYTHON_SAMPLE)) {
            return false;
        }
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import paho.mqtt").redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    @Test
    void a_raw_device_answering_every_request_200_fails_with_a_readable_report() throws Exception {
        int code = runRawDevice("raw-1", 20, 10, Subscribe.BEFORE_MANAGE, (topic, reqId) -> "{\"rc\":200,\"reqId\":\"" + reqId + "\"}");
        assertThat(code).as(out.text()).isEqualTo(DmCli.FAILED);
        assertThat(out.text()).contains("CONFORMANCE FAILED: ", "required rule violation(s)",
                "FAILED (external device)", "device/update answered 200; allowed: [204, 400, 404, 500]");
        assertThat(out.text()).containsPattern("DM-RC-1 +required +yes +\\d+x +failed");
        assertThat(Files.readString(dir.resolve("report").resolve("conformance-junit.xml")))
                .contains("<testcase classname=\"iotdm.rules.required\" name=\"DM-RC-1\"><failure");
    }

    @Test
    void a_device_that_never_subscribes_is_one_finding_and_no_operation_waits_on_it() throws Exception {
        int code = runRawDevice("deaf-1", 20, 10, Subscribe.NEVER, (topic, reqId) -> null);
        assertThat(code).as(out.text()).isEqualTo(DmCli.FAILED);
        assertThat(out.text()).contains("the device subscribed to: nothing",
                "skipping the other operations: the device holds no subscription for platform requests")
                .containsPattern("DM-SUB-1 +required +yes +1x +failed")
                .containsPattern("DM-RESP-3 +required +\\S+ +no ");
    }

    @Test
    void a_device_that_never_connects_fails_after_the_wait() throws Exception {
        CompletableFuture<Integer> exit = start("absent", "tok-3", 1, 30);
        assertThat(exit.get(RUN.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(DmCli.FAILED);
        assertThat(out.text()).contains("CONFORMANCE FAILED: the device never connected and managed within 1 s");
    }

    @Test
    void a_raw_device_that_never_answers_a_reboot_is_caught_as_dm_action_1_with_its_transcript() throws Exception {
        // Right answers to everything but the reboot, which it ignores.
        int code = runRawDevice("mute-1", 8, 5, Subscribe.BEFORE_MANAGE, MUTE_ON_REBOOT);
        assertThat(code).as(out.text()).isEqualTo(DmCli.FAILED);
        assertThat(out.text()).containsPattern("DM-ACTION-1 +required +yes +1x +failed")
                .doesNotContainPattern("DM-MANAGE-4 +recommended +yes +\\d+x")
                .contains("iotdm-1/mgmt/initiate/device/reboot reqId", "never answered",
                        "P->D iotdm-1/mgmt/initiate/device/reboot")
                .containsPattern("< reboot: TIMED OUT");
    }

    @Test
    void a_raw_device_that_manages_before_it_subscribes_is_charged_dm_manage_4() throws Exception {
        int code = runRawDevice("early-1", 8, 5, Subscribe.AFTER_MANAGE, MUTE_ON_REBOOT);
        assertThat(code).as(out.text()).isEqualTo(DmCli.FAILED); // DM-ACTION-1: it ignores the reboot
        assertThat(out.text()).containsPattern("DM-MANAGE-4 +recommended +yes +1x ")
                .contains("manage published before any SUBSCRIBE to the iotdm-1 request topics");
    }

    /** Right answers to everything but the reboot, which it ignores. */
    private static final java.util.function.BiFunction<String, String, String> MUTE_ON_REBOOT =
            (topic, reqId) -> switch (topic) {
                case "iotdm-1/device/update" -> "{\"rc\":204,\"reqId\":\"" + reqId + "\"}";
                case "iotdm-1/observe" -> "{\"rc\":200,\"reqId\":\"" + reqId
                        + "\",\"d\":{\"fields\":[{\"field\":\"metadata\",\"value\":{\"conformance\":true}}]}}";
                case "iotdm-1/mgmt/initiate/device/reboot" -> null;
                default -> "{\"rc\":200,\"reqId\":\"" + reqId + "\"}";
            };

    /** When the raw device subscribes to {@code iotdm-1/#}. */
    private enum Subscribe { BEFORE_MANAGE, AFTER_MANAGE, NEVER }

    /**
     * Runs the command against a raw device that connects, subscribes to {@code iotdm-1/#} when told,
     * manages declaring deviceActions only, and answers as {@code script} says; returns the exit code.
     */
    private int runRawDevice(String deviceId, int waitSeconds, int timeoutSeconds, Subscribe subscribe,
            java.util.function.BiFunction<String, String, String> script) throws Exception {
        String token = "tok-" + deviceId;
        CompletableFuture<Integer> exit = start(deviceId, token, waitSeconds, timeoutSeconds);
        Matcher m = out.await(LISTENING, WAIT);
        RawMqttClient raw = RawMqttClient.open(m.group(1), Integer.parseInt(m.group(2)), WAIT);
        try {
            raw.connect(ConnectOptions.device("d:" + ORG + ":" + TYPE + ":" + deviceId, token), WAIT);
            if (subscribe == Subscribe.BEFORE_MANAGE) {
                raw.subscribe("iotdm-1/#", 1, WAIT);
            }
            raw.publish("iotdevice-1/mgmt/manage", ("{\"reqId\":\"m1\",\"d\":{\"lifetime\":0,\"supports\":"
                    + "{\"deviceActions\":true,\"firmwareActions\":false}}}").getBytes(StandardCharsets.UTF_8), 1, WAIT);
            if (subscribe == Subscribe.AFTER_MANAGE) {
                raw.subscribe("iotdm-1/#", 1, WAIT);
            }
            CompletableFuture<Void> answering = CompletableFuture.runAsync(() -> answer(raw, script), runner);
            int code = exit.get(RUN.toMillis(), TimeUnit.MILLISECONDS);
            raw.close(); // ends the answering loop
            answering.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return code;
        } finally {
            raw.close();
        }
    }

    /**
     * A scripted raw device: each platform request gets the answer {@code script} gives for its topic and
     * reqId ({@code null}: no answer), until the client is closed.
     */
    private static void answer(RawMqttClient raw, java.util.function.BiFunction<String, String, String> script) {
        Pattern reqId = Pattern.compile("\"reqId\"\\s*:\\s*\"([^\"]*)\"");
        while (!raw.isClosed()) {
            MqttPublish p;
            try {
                p = raw.takePublish(Duration.ofMillis(500));
            } catch (RawMqttException e) {
                continue; // nothing yet, or closed: the loop condition decides
            }
            Matcher m = reqId.matcher(p.payloadText());
            String reply = !p.topic().equals("iotdm-1/response") && m.find() ? script.apply(p.topic(), m.group(1)) : null;
            if (reply != null) {
                try {
                    raw.publish("iotdevice-1/response", reply.getBytes(StandardCharsets.UTF_8), 1,
                            Duration.ofSeconds(10));
                } catch (RawMqttException e) {
                    return; // the platform went away
                }
            }
        }
    }
}
