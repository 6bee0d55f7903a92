package dev.iotdm.samples;

import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceConfigs;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LogSeverity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A device configured from a {@code device.conf} INI file (the seed's {@code ParseConfigFile}),
 * pointed at a local broker: connect, manage, report a location, an error code and a log entry.
 */
public final class ConfigFileSample implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ManagedClient client;

    /**
     * A device from {@code file}; {@code host} and {@code port} replace what the file's org,
     * domain and port give, since the INI format names neither a host nor a port other than
     * 1883/80/8883/443 (the file's {@code port} still decides plain MQTT or TLS).
     */
    public ConfigFileSample(Path file, String host, int port) {
        client = ManagedClient.builder(DeviceConfigs.fromIniFile(file).host(host).port(port).build()).transport("paho")
                .deviceInfo(DeviceInfo.builder().manufacturer("Acme").model("conf-sensor").fwVersion("1.0").build())
                .build();
    }

    /** Manages (which connects first, as the seed's manage did) and reports. */
    public void run() throws Exception {
        ManagedClient.await(client.manage(3600, false, false), WAIT);
        ManagedClient.await(client.setLocation(Location.builder().longitude(-97.73921).latitude(30.28565).build()), WAIT);
        ManagedClient.await(client.setErrorCode(1), WAIT);
        ManagedClient.await(client.addLog("started from device.conf", LogSeverity.INFORMATIONAL,
                "pid=1".getBytes(StandardCharsets.UTF_8)), WAIT);
    }

    @Override
    public void close() {
        client.close();
    }

    /** {@code ConfigFileSample <device.conf> <host> <port>}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: ConfigFileSample <device.conf> <host> <port>");
        }
        try (ConfigFileSample sample = new ConfigFileSample(Path.of(args[0]), args[1], Integer.parseInt(args[2]))) {
            sample.run();
        }
    }
}
