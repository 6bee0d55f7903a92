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
            assertThat(platform.exitCode(PlatformRun.WAIT)).isEqualTo(DmCli.OK);
            Duration exited = Duration.ofNanos(System.nanoTime() - quit);

            System.out.printf("devices+status answered in %d ms; quit to exit in %d ms (operation timeout 120 s)%n",
                    answered.toMillis(), exited.toMillis());
            // Far below the 120 s the reboots could still take: the broker's own stop is most of it.
            assertThat(answered).isLessThan(Duration.ofSeconds(10));
            assertThat(exited).isLessThan(Duration.ofSeconds(20));
            assertThat(platform.output()).doesNotContain("tok-1").doesNotContain("tok-2");
        }
    }
}
