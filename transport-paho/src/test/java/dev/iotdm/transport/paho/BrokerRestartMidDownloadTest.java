package dev.iotdm.transport.paho;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.client.ClientEvent;
import dev.iotdm.client.FirmwareHandler;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.supervisor.LifecycleEvent;
import dev.iotdm.protocol.supervisor.ReconnectPolicy;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Qos;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.platform.FirmwareImage;
import dev.iotdm.testkit.platform.OperationOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away in the middle of a firmware download: the device reconnects with backoff,
 * manages again exactly once on the new connection, the QoS 1 events it published while offline
 * all arrive, the download completes and the platform reads DOWNLOADED.
 */
class BrokerRestartMidDownloadTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int OFFLINE_EVENTS = 5;

    private static FakePlatform platform;

    @BeforeAll
    static void start() {
        platform = FakePlatform.start();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void a_download_survives_a_broker_restart_with_one_re_manage_and_no_lost_event() throws Exception {
        String clientId = platform.registerDevice("org1", "sensor", "restart-1", "tok");
        CountDownLatch downloading = new CountDownLatch(1);
        CountDownLatch disconnected = new CountDownLatch(1);
        CompletableFuture<Void> download = new CompletableFuture<>();
        DeviceOptions options = DeviceOptions.builder().org("org1").typeId("sensor").deviceId("restart-1")
                .token("tok").host("127.0.0.1").port(platform.broker().port()).withoutTls()
                .mqttVersion(MqttVersion.MQTT_5).build();
        try (ManagedClient device = ManagedClient.builder(options)
                .transport(new PahoTransport())
                .reconnectPolicy(ReconnectPolicy.DEFAULT.withDelays(Duration.ofMillis(200), Duration.ofSeconds(2)))
                .firmwareHandler(new FirmwareHandler() {
                    @Override
                    public CompletionStage<Void> download(FirmwareInfo image) {
                        downloading.countDown();
                        return download;
                    }

                    @Override
                    public CompletionStage<Void> install(FirmwareInfo image) {
                        return CompletableFuture.completedFuture(null);
                    }
                })
                .listener(e -> {
                    if (e instanceof ClientEvent.Lifecycle l && l.event() instanceof LifecycleEvent.Disconnected) {
                        disconnected.countDown();
                    }
                })
                .build()) {
            ManagedClient.await(device.connect(), WAIT);
            ManagedClient.await(device.manage(3600, false, true), WAIT);
            platform.awaitManaged(clientId, WAIT);

            CompletableFuture<OperationOutcome> flow = platform.firmwareDownload(clientId,
                    Optional.of(FirmwareImage.of("2.0", "fw", "http://127.0.0.1:9/fw.bin", "")), Duration.ofMinutes(2));
            assertThat(downloading.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("download started").isTrue();

            platform.broker().stop();
            assertThat(disconnected.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("device saw the loss").isTrue();
            List<CompletableFuture<Void>> events = new ArrayList<>();
            for (int i = 0; i < OFFLINE_EVENTS; i++) {
                events.add(device.publishEvent("offline-" + i, JsonObject.builder().put("n", i).build(),
                        Qos.AT_LEAST_ONCE));
            }
            download.complete(null); // the image arrived while the broker was away
            platform.broker().start();

            for (CompletableFuture<Void> e : events) {
                ManagedClient.await(e, WAIT);
            }
            for (int i = 0; i < OFFLINE_EVENTS; i++) {
                platform.awaitEvent(clientId, "offline-" + i, WAIT);
            }
            platform.awaitDevice(clientId, "managed on the new connection",
                    v -> v.connected() && v.managed() && v.manageCount() >= 2, WAIT);
            assertThat(platform.device(clientId).manageCount()).as("one manage per connection").isEqualTo(2);

            // The download completed while the broker was away: the flow succeeds once the device
            // is back and its notify of DOWNLOADED arrives, and the platform reads DOWNLOADED.
            OperationOutcome outcome = flow.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(OperationOutcome.Succeeded.class);
            platform.awaitFirmwareState(clientId, FirmwareState.DOWNLOADED, WAIT);
            assertThat(device.firmware().state()).contains(FirmwareState.DOWNLOADED);
        }
    }
}
