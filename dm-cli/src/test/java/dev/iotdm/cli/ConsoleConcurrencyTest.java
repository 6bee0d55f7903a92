package dev.iotdm.cli;

import static dev.iotdm.cli.CliAssertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console never blocks: two devices that never answer a reboot, with the operations' timeout
 * at two minutes, while {@code devices}, {@code status} and {@code quit} answer at once, over a
 * real socket against the embedded broker.
 */
class ConsoleConcurrencyTest {

    @Test
    void two_reboots_that_never_complete_leave_devices_status_and_quit_answering_at_once() throws Exception {
        try (PlatformRun platform = new PlatformRun(Map.of(), "--timeout", "120",
                "--device", "acme:raw:slow-1:tok-1", "--device", "acme:raw:slow-2:tok-2");
                RawDevice one = RawDevice.connect(platform.port(), "d:acme:raw:slow-1", "tok-1", true)
                        .manage("{\"deviceActions\":true}");
                RawDevice two = RawDevice.connect(platform.port(), "d:acme:raw:slow-2", "tok-2", true)
                        .manage("{\"deviceActions\":true}")) {
            platform.send("reboot slow-1");
            platform.send("reboot slow-2");
            platform.send("observe slow-1 mgmt.firmware");
            // Both requests reach their devices: the two operations run at once.
            one.expect("iotdm-1/mgmt/initiate/device/reboot");
            two.expect("iotdm-1/mgmt/initiate/device/reboot");
            platform.await("^observe d:acme:raw:slow-1 mgmt.firmware: queued behind the device's pending operation$");

            long asked = System.nanoTime();
            platform.send("devices");
            platform.await("^  d:acme:raw:slow-2 connected managed ");
            platform.send("status");
            platform.await("^status: 3 pending operation\\(s\\)$");
            platform.await("^  #\\d+ reboot d:acme:raw:slow-1: running, \\d+ s since submitted$");
            platform.await("^  #\\d+ reboot d:acme:raw:slow-2: running, ");
            platform.await("^  #\\d+ observe d:acme:raw:slow-1 mgmt.firmware: queued behind an earlier operation");
            Duration answered = Duration.ofNanos(System.nanoTime() - asked);

            long quit = System.nanoTime();
            platform.send("quit");
            platform.await("^reboot d:acme:raw:slow-1: abandoned at quit$");
            platform.await("^reboot d:acme:raw:slow-2: abandoned at quit$");
            platform.await("^observe d:acme:raw:slow-1 mgmt.firmware: abandoned at quit$");
            // Every pending operation ended before the verdict, and the run ended without waiting for them.
            platform.await("^stopping the platform; rule checker: ");
            assertThat(platform.exitCode(PlatformRun.WAIT)).isEqualTo(DmCli.OK);
            Duration exited = Duration.ofNanos(System.nanoTime() - quit);

            // Measured, never asserted (times belong to benchmarks); the issue asks for 1-2 s.
            System.out.printf("devices+status answered in %d ms; quit to exit in %d ms (operation timeout 120 s)%n",
                    answered.toMillis(), exited.toMillis());
            assertThat(platform.output()).doesNotContain("tok-1").doesNotContain("tok-2");
        }
    }
}
