package dev.iotdm.conformance.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.testkit.platform.DeviceView;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.platform.OperationOutcome;
import dev.iotdm.testkit.scenario.PlatformOps;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #10, crashes: a device process ({@link KillNineDevice}, a child JVM on a
 * {@code FileStateStore}) is killed with {@code destroyForcibly()} mid download and mid install,
 * started again on its state file, and converges: the platform's operation ends with an outcome
 * (it does not time out) and the platform's record of {@code mgmt.firmware} equals the device's.
 */
class KillNineTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The platform's operation timeout: far longer than the test's waits, so only a real outcome ends it in time. */
    private static final Duration OPERATION = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private FakePlatform platform;
    private final List<Child> children = new ArrayList<>();

    @BeforeEach
    void start() {
        platform = FakePlatform.start();
    }

    @AfterEach
    void stop() {
        children.forEach(Child::kill);
        platform.close();
    }

    @Test
    void a_device_killed_mid_download_tells_the_platform_after_its_restart() throws Exception {
        String clientId = platform.registerDevice("org1", "kill9", "download", "token-download");
        Child first = child("download", "download");
        CompletableFuture<OperationOutcome> outcome = platform.firmwareDownload(clientId,
                Optional.of(PlatformOps.image(true)), OPERATION);
        first.await("DOWNLOADING");
        platform.awaitFirmwareState(clientId, FirmwareState.DOWNLOADING, WAIT);
        first.kill();

        Child second = child("download", "none");

        assertThat(outcome.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isNotInstanceOf(OperationOutcome.TimedOut.class);
        assertRecordsAgree(clientId, second);
    }

    @Test
    void a_device_killed_mid_install_tells_the_platform_after_its_restart() throws Exception {
        String clientId = platform.registerDevice("org1", "kill9", "install", "token-install");
        Child first = child("install", "install");
        assertThat(platform.firmwareDownload(clientId, Optional.of(PlatformOps.image(true)), OPERATION)
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(OperationOutcome.Succeeded.class);
        CompletableFuture<OperationOutcome> outcome = platform.firmwareUpdate(clientId,
                Optional.of(PlatformOps.image(true)), OPERATION);
        first.await("INSTALLING");
        platform.awaitDevice(clientId, "updating", v -> v.firmwareUpdateStatus().equals(Optional.of(UpdateStatus.IN_PROGRESS)),
                WAIT);
        first.kill();

        Child second = child("install", "none");

        assertThat(outcome.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isNotInstanceOf(OperationOutcome.TimedOut.class);
        assertRecordsAgree(clientId, second);
    }

    /** The platform's record reaches what the device reports, within the deadline. */
    private void assertRecordsAgree(String clientId, Child device) throws Exception {
        String[] mine = device.firmware();
        DeviceView view = platform.awaitDevice(clientId, "mgmt.firmware " + String.join("/", mine),
                v -> v.firmwareState().map(Enum::name).orElse("-").equals(mine[0])
                        && v.firmwareUpdateStatus().map(Enum::name).orElse("-").equals(mine[1]), WAIT);
        assertThat(view.managed()).isTrue();
        assertThat(device.firmware()).containsExactly(mine);
    }

    private Child child(String deviceId, String block) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KillNineDevice.class.getName(), platform.broker().host(), Integer.toString(platform.broker().port()),
                deviceId, "token-" + deviceId, dir.resolve(deviceId + ".json").toString(), block)
                .redirectErrorStream(true).start();
        Child c = new Child(p);
        children.add(c);
        c.await("READY");
        return c;
    }

    /** A device process: its protocol lines in a queue, its standard input for commands. */
    private static final class Child {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Writer commands;
        private final List<String> seen = new ArrayList<>();

        Child(Process process) {
            this.process = process;
            this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.startsWith(KillNineDevice.PREFIX)) {
                            lines.add(line.substring(KillNineDevice.PREFIX.length()));
                        }
                    }
                } catch (IOException e) {
                    // the process died: nothing more to read
                }
            }, "kill9-child-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for the protocol line starting with {@code expected} and returns it. */
        String await(String expected) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("the device process did not say " + expected + " within "
                            + WAIT.toSeconds() + " s; it said " + seen + (process.isAlive() ? "" : " and exited"));
                }
                seen.add(line);
                if (line.startsWith(expected)) {
                    return line;
                }
            }
        }

        /** The device's {@code mgmt.firmware} state and update status, as names ("-" when unset). */
        String[] firmware() throws InterruptedException {
            try {
                commands.write("firmware\n");
                commands.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the device process is gone", e);
            }
            String[] parts = await("FIRMWARE").split(" ");
            return new String[] {parts[1], parts[2]};
        }

        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
