package dev.iotdm.sample.modulepath;

import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.transport.MqttTransportProvider;
import dev.iotdm.transport.MqttVersion;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Connects and manages once over the "paho" transport, printing which modules did the work. */
public final class Main {

    public static void main(String[] args) throws Exception {
        String providers = ServiceLoader.load(MqttTransportProvider.class).stream()
                .map(p -> p.type().getModule().getName() + "/" + p.type().getSimpleName())
                .collect(Collectors.joining(","));
        System.out.println("client module: " + ManagedClient.class.getModule().getName());
        System.out.println("transport providers: " + providers);

        DeviceOptions options = DeviceOptions.builder()
                .org(args[2]).typeId(args[3]).deviceId(args[4]).token(System.getenv("IOTDM_TOKEN"))
                .host(args[0]).port(Integer.parseInt(args[1])).withoutTls()
                .mqttVersion(MqttVersion.MQTT_5)
                .build();
        try (ManagedClient client = ManagedClient.builder(options).transport("paho").build()) {
            ManagedClient.await(client.connect(), Duration.ofSeconds(60));
            PlatformResponse response = ManagedClient.await(client.manage(3600, false, false), Duration.ofSeconds(60));
            System.out.println("manage rc: " + response.rc().code());
        }
    }
}
