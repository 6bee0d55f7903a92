package dev.iotdm.cli;

import static dev.iotdm.cli.CliAssertions.assertThat;

import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.transport.tls.TlsSettings;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.paho.PahoTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dm-cli platform} driven through its standard input, in-process, against a device of
 * ours: a {@link ManagedClient} over {@link PahoTransport} connecting to the port it printed.
 */
class PlatformCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ManageParams MANAGE = ManageParams.of(3600, true, false);

    private PlatformRun platform;

    /** Runs {@code dm-cli platform} with two devices and {@code extra} arguments. */
    private void startPlatform(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--device", "acme:sensor:dev-1:tok-1:with-colon", "--device", "acme:sensor:dev-2:tok-2"));
        args.addAll(List.of(extra));
        platform = new PlatformRun(System.getenv(), args.toArray(String[]::new));
    }

    @AfterEach
    void stopPlatform() throws Exception {
        if (platform != null) {
            platform.close(); // end of input stops the platform, whatever the test did
        }
    }

    @Test
    void a_device_of_ours_manages_reboots_on_command_and_the_platform_finds_no_violation() throws Exception {
        Set<Thread> before = Threads.nonDaemon();
        startPlatform();
        int port = platform.port();
        platform.await("registered: d:acme:sensor:dev-1, d:acme:sensor:dev-2$");
        BlockingQueue<String> rebooted = new LinkedBlockingQueue<>();

        try (Device device = new Device(port, rebooted)) {
            PlatformResponse managed = ManagedClient.await(device.client().manage(MANAGE), WAIT);
            assertThat(managed.rc()).isEqualTo(Rc.OK);

            send("devices");
            platform.await("^  d:acme:sensor:dev-1 connected managed ");

            send("reboot d:acme:sensor:dev-1");
            assertThat(platform.await("^reboot d:acme:sensor:dev-1: (?!started)(.*)$").group(1))
                    .isEqualTo("OK");
            assertThat(rebooted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("REBOOT");

            send("violations");
            assertThat(platform.await("^violations: (.*)$").group(1))
                    .as("the platform's output:%n%s", platform.output()).startsWith("no rule violations");

            send("quit");
            assertThat(platform.exitCode(WAIT)).isEqualTo(DmCli.OK);
        }
        platform.await("^stopping the platform; rule checker: no rule violations");
        assertThat(platform.output()).contains("D->P d:acme:sensor:dev-1 iotdevice-1/mgmt/manage")
                .contains("P->D d:acme:sensor:dev-1 iotdm-1/mgmt/initiate/device/reboot")
                .contains(".deviceId(\"dev-1\").token(\"<token>\")").contains(".port(" + port + ").withoutTls()")
                .doesNotContain("tok-1");
        assertThat(Threads.leftSince(before, Duration.ofSeconds(15))).as("non-daemon threads left behind").isEmpty();
    }

    @Test
    void unknown_and_malformed_commands_print_an_error_and_the_platform_carries_on() throws Exception {
        startPlatform();

        send("frobnicate everything");
        assertThat(platform.await("^error: (.*)$").group(1))
                .isEqualTo("unknown command 'frobnicate'; type 'help' for the list");
        send("reboot");
        assertThat(platform.await("^error: (.*)$").group(1))
                .isEqualTo("missing <device>; usage: reboot <device>");
        send("reboot d:acme:sensor:nobody");
        assertThat(platform.await("^error: (.*)$").group(1))
                .isEqualTo("unknown device 'd:acme:sensor:nobody'; registered: d:acme:sensor:dev-1,"
                        + " d:acme:sensor:dev-2");
        send("reboot dev-2");
        assertThat(platform.await("^reboot d:acme:sensor:dev-2: (?!started)(.*)$").group(1))
                .as("a device that is not connected fails at once").startsWith("FAILED offline");
        send("help");
        platform.await("^  quit ");

        platform.close();
        assertThat(platform.exitCode(WAIT)).isEqualTo(DmCli.OK);
    }

    @Test
    void a_device_connects_over_tls_trusting_the_generated_ca_and_manages(@TempDir Path certs) throws Exception {
        startPlatform("--tls-port", "0", "--cert-dir", certs.toString(), "--no-transcript");
        int tlsPort = Integer.parseInt(platform.await("listening: mqtts://127\\.0\\.0\\.1:(\\d+) ")
                .group(1));
        DeviceOptions options = DeviceOptions.builder().org("acme").typeId("sensor").deviceId("dev-2")
                .token("tok-2").host("127.0.0.1").port(tlsPort)
                .tls(TlsSettings.builder().trustCaFile(certs.resolve("ca.pem")).build())
                .mqttVersion(MqttVersion.MQTT_5).build();

        try (PahoTransport transport = new PahoTransport();
                ManagedClient client = ManagedClient.builder(options).transport(transport).build()) {
            ManagedClient.await(client.connect(), WAIT);
            // No handlers here: a manage declaring device actions would be refused naming the handler.
            ManagedClient.await(client.manage(3600, false, false), WAIT);

            send("devices");
            platform.await("^  d:acme:sensor:dev-2 connected managed ");
        }
        send("quit");
        assertThat(platform.exitCode(WAIT)).isEqualTo(DmCli.OK);
        assertThat(certs.resolve("ca.pem")).as("a --cert-dir is kept").exists();
    }

    private void send(String line) throws IOException {
        platform.send(line);
    }

    /**
     * Our device: answers a reboot with 202, then really restarts (closes its connection, connects
     * with a new client) and manages again, which is what completes a reboot on the platform
     * (protocol.md §7).
     */
    private static final class Device implements AutoCloseable {
        private final DeviceOptions options;
        private final BlockingQueue<String> rebooted;
        private final ExecutorService power = Executors.newSingleThreadExecutor();
        private volatile ManagedClient client;
        private volatile PahoTransport transport;

        Device(int port, BlockingQueue<String> rebooted) throws Exception {
            this.options = DeviceOptions.builder().org("acme").typeId("sensor").deviceId("dev-1")
                    .token("tok-1:with-colon").host("127.0.0.1").port(port).withoutTls()
                    .mqttVersion(MqttVersion.MQTT_5).build();
            this.rebooted = rebooted;
            boot();
        }

        ManagedClient client() {
            return client;
        }

        private void boot() throws Exception {
            transport = new PahoTransport();
            client = ManagedClient.builder(options).transport(transport)
                    .deviceActionHandler((kind, reqId) -> {
                        ManagedClient running = client;
                        power.execute(() -> restart(running, kind.name(), reqId));
                        return null; // answered from the power thread, before the restart
                    })
                    .build();
            ManagedClient.await(client.connect(), WAIT);
        }

        private void restart(ManagedClient running, String kind, String reqId) {
            try {
                ManagedClient.await(running.respondDeviceAction(reqId, Rc.ACCEPTED, null), WAIT);
                // Acknowledged after the 202 on the same connection: the broker has the 202 too.
                ManagedClient.await(running.publishEvent("lifecycle", new JsonString("rebooting"),
                        Qos.AT_LEAST_ONCE), WAIT);
                powerOff();
                boot();
                ManagedClient.await(client.manage(MANAGE), WAIT);
                rebooted.add(kind);
            } catch (Exception e) {
                rebooted.add("failed: " + e);
            }
        }

        private void powerOff() {
            client.close();
            transport.close();
        }

        @Override
        public void close() {
            power.shutdownNow();
            try {
                power.awaitTermination(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            powerOff();
        }
    }
}
