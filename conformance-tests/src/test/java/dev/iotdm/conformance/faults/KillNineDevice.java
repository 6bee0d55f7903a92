package dev.iotdm.conformance.faults;

import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.FirmwareHandler;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.client.store.FileStateStore;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.supervisor.ReconnectPolicy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The device process of {@link KillNineTest}: a {@code ManagedClient} on a {@link FileStateStore},
 * started as a child JVM with the test class path and killed with {@code destroyForcibly()}.
 *
 * <p>Arguments: {@code host port deviceId token stateFile block}, where {@code block} is
 * {@code download}, {@code install} or {@code none}: the firmware handler of that phase never
 * completes, so the kill finds the device mid download or mid install. It writes lines starting
 * with {@value #PREFIX} on standard output ({@code READY} once connected and managed,
 * {@code DOWNLOADING} and {@code INSTALLING} when a handler starts, {@code FIRMWARE state status}
 * in answer to the command {@code firmware} on standard input) and ends when standard input ends.
 */
public final class KillNineDevice {

    /** The prefix of every line meant for the test (the rest of standard output is logging). */
    public static final String PREFIX = "KILL9 ";

    private KillNineDevice() {
    }

    /**
     * Runs the device until standard input ends.
     *
     * @param args {@code host port deviceId token stateFile block}
     */
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String deviceId = args[2];
        String token = args[3];
        FileStateStore store = new FileStateStore(Path.of(args[4]));
        String block = args[5];
        boolean saved = store.load().isPresent();
        DeviceOptions options = DeviceOptions.builder().org("org1").typeId("kill9").deviceId(deviceId).token(token)
                .host(host).port(port).withoutTls().keepAlive(Duration.ofSeconds(2)).build();
        FirmwareHandler handler = new FirmwareHandler() {
            @Override
            public CompletionStage<Void> download(FirmwareInfo image) {
                say("DOWNLOADING");
                return block.equals("download") ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> install(FirmwareInfo image) {
                say("INSTALLING");
                return block.equals("install") ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
            }
        };
        try (ManagedClient client = ManagedClient.builder(options).transport("paho").stateStore(store)
                .deviceInfo(DeviceInfo.builder().set("fwVersion", "1.0").build()).firmwareHandler(handler)
                .reconnectPolicy(new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0,
                        Duration.ofSeconds(10), 1000, Duration.ofMinutes(1)))
                .build()) {
            Duration wait = Duration.ofSeconds(60);
            ManagedClient.await(client.connect(), wait);
            if (!saved) {
                ManagedClient.await(client.manage(ManageParams.of(3600, false, true)), wait);
            }
            say("READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("firmware")) {
                    FirmwareInfo f = client.firmware();
                    say("FIRMWARE " + f.state().map(Enum::name).orElse("-") + " "
                            + f.updateStatus().map(Enum::name).orElse("-"));
                }
            }
        }
    }

    private static void say(String line) {
        System.out.println(PREFIX + line);
        System.out.flush();
    }
}
