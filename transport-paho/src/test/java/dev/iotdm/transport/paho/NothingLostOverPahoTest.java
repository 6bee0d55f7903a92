package dev.iotdm.transport.paho;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.client.ActionResponse;
import dev.iotdm.client.ClientEvent;
import dev.iotdm.client.FirmwareHandler;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.client.store.FileStateStore;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.session.DeviceState;
import dev.iotdm.protocol.session.DeviceStateStore;
import dev.iotdm.protocol.supervisor.LifecycleEvent;
import dev.iotdm.protocol.supervisor.ReconnectPolicy;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.platform.FirmwareImage;
import dev.iotdm.testkit.platform.OperationOutcome;
import dev.iotdm.transport.ForwardingMqttTransport;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Qos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #10's engine, driver and store over real sockets (Paho, embedded broker on 127.0.0.1):
 * a restarted device tells the platform what it lost, side-effect answers are stored before
 * they are published, the state files and the answer memory stay bounded, and a request made
 * while the broker is away is answered after it returns.
 */
class NothingLostOverPahoTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static FakePlatform platform;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        platform = FakePlatform.start();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static DeviceOptions options(String deviceId) {
        return DeviceOptions.builder().org("org1").typeId("sensor").deviceId(deviceId).token("tok")
                .host("127.0.0.1").port(platform.broker().port()).withoutTls().mqttVersion(MqttVersion.MQTT_5).build();
    }

    private static FirmwareHandler hangingDownload(CountDownLatch started) {
        return new FirmwareHandler() {
            @Override
            public CompletionStage<Void> download(FirmwareInfo image) {
                started.countDown();
                return new CompletableFuture<>(); // the device "crashes" before it finishes
            }

            @Override
            public CompletionStage<Void> install(FirmwareInfo image) {
                return CompletableFuture.completedFuture(null);
            }
        };
    }

    @Test
    void a_device_restarted_mid_download_tells_the_platform_idle_and_connection_lost() throws Exception {
        String clientId = platform.registerDevice("org1", "sensor", "nl-restart", "tok");
        Path state = dir.resolve("state.json");
        CountDownLatch downloading = new CountDownLatch(1);
        CompletableFuture<OperationOutcome> flow;
        try (ManagedClient device = ManagedClient.builder(options("nl-restart")).transport(new PahoTransport())
                .stateStore(new FileStateStore(state)).firmwareHandler(hangingDownload(downloading)).build()) {
            ManagedClient.await(device.connect(), WAIT);
            ManagedClient.await(device.manage(3600, false, true), WAIT);
            flow = platform.firmwareDownload(clientId,
                    Optional.of(FirmwareImage.of("2.0", "fw", "http://127.0.0.1:9/fw.bin", "")), Duration.ofMinutes(2));
            assertThat(downloading.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("download started").isTrue();
            platform.awaitFirmwareState(clientId, FirmwareState.DOWNLOADING, WAIT);
        }

        // The same device starts again on its state file: nothing but the file carries over.
        try (ManagedClient restarted = ManagedClient.builder(options("nl-restart")).transport(new PahoTransport())
                .stateStore(new FileStateStore(state)).firmwareHandler(hangingDownload(new CountDownLatch(1))).build()) {
            ManagedClient.await(restarted.connect(), WAIT);

            OperationOutcome outcome = flow.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(OperationOutcome.Failed.class);
            assertThat(((OperationOutcome.Failed) outcome).updateStatus()).contains(UpdateStatus.CONNECTION_LOST);
            assertThat(platform.device(clientId).firmware().flatMap(FirmwareInfo::state)).contains(FirmwareState.IDLE);
        }
    }

    /** Records the order of durable saves and publishes on the one serial executor's thread. */
    private static final class Recorder {
        final List<String> order = new CopyOnWriteArrayList<>();
        final Set<String> durable = new HashSet<>();

        DeviceStateStore store(FileStateStore file) {
            return new DeviceStateStore() {
                @Override
                public Optional<DeviceState> load() {
                    return file.load();
                }

                @Override
                public void save(DeviceState s) {
                    save(s, true);
                }

                @Override
                public void save(DeviceState s, boolean isDurable) {
                    file.save(s, isDurable);
                    if (isDurable) {
                        for (DeviceState.Answer a : s.answered()) {
                            if (durable.add(a.reqId())) {
                                order.add("saved " + a.reqId());
                            }
                        }
                    }
                }
            };
        }

        MqttTransport transport(MqttTransport t) {
            return new ForwardingMqttTransport(t) {
                @Override
                public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos) {
                    if (topic.equals("iotdevice-1/response")) {
                        order.add("published " + new String(payload, StandardCharsets.UTF_8));
                    }
                    return super.publish(topic, payload, qos);
                }
            };
        }
    }

    @Test
    void custom_action_answers_are_stored_before_they_are_published_and_the_state_stays_bounded()
            throws Exception {
        String clientId = platform.registerDevice("org1", "sensor", "nl-actions", "tok");
        Path state = dir.resolve("actions.json");
        Recorder recorder = new Recorder();
        int actions = 60;
        int answerBytes = 4096;
        try (ManagedClient device = ManagedClient.builder(options("nl-actions"))
                .transport(recorder.transport(new PahoTransport()))
                .stateStore(recorder.store(new FileStateStore(state))).answerMemoryBytes(answerBytes)
                .customActionHandler("acme-v1", action -> CompletableFuture.completedFuture(ActionResponse.done()))
                .build()) {
            ManagedClient.await(device.connect(), WAIT);
            ManagedClient.await(device.manage(3600, false, false, "acme-v1"), WAIT);
            List<CompletableFuture<OperationOutcome>> done = new ArrayList<>();
            for (int i = 0; i < actions; i++) {
                done.add(platform.customAction(clientId, "acme-v1", "restartService", List.of(), WAIT));
            }
            for (CompletableFuture<OperationOutcome> d : done) {
                assertThat(d.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(OperationOutcome.Succeeded.class);
            }
        }

        List<String> order = List.copyOf(recorder.order);
        int published = 0;
        for (int i = 0; i < order.size(); i++) {
            String entry = order.get(i);
            if (entry.startsWith("published ") && entry.contains("\"rc\":200")) {
                published++;
                String reqId = entry.replaceAll(".*\"reqId\":\"([^\"]+)\".*", "$1");
                assertThat(order.subList(0, i)).as("stored before the answer to %s", reqId).contains("saved " + reqId);
            }
        }
        assertThat(published).isEqualTo(actions);
        DeviceState saved = new FileStateStore(state).load().orElseThrow();
        long remembered = saved.answered().stream()
                .mapToLong(a -> (a.reqId() + a.response()).getBytes(StandardCharsets.UTF_8).length).sum();
        assertThat(remembered).isLessThanOrEqualTo(answerBytes);
        long files = Files.size(state) + Files.size(state.resolveSibling("actions.json.journal"));
        assertThat(files).isLessThanOrEqualTo(3L * Files.size(state) + FileStateStore.MIN_COMPACT_BYTES + 1024);
    }

    @Test
    void a_request_and_an_event_made_while_the_broker_is_away_reach_the_platform_after_it_returns()
            throws Exception {
        String clientId = platform.registerDevice("org1", "sensor", "nl-offline", "tok");
        CountDownLatch disconnected = new CountDownLatch(1);
        try (ManagedClient device = ManagedClient.builder(options("nl-offline")).transport(new PahoTransport())
                .reconnectPolicy(ReconnectPolicy.DEFAULT.withDelays(Duration.ofMillis(200), Duration.ofSeconds(2)))
                .listener(e -> {
                    if (e instanceof ClientEvent.Lifecycle l && l.event() instanceof LifecycleEvent.Disconnected) {
                        disconnected.countDown();
                    }
                })
                .build()) {
            ManagedClient.await(device.connect(), WAIT);
            ManagedClient.await(device.manage(3600, false, false), WAIT);

            platform.broker().stop();
            assertThat(disconnected.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("device saw the loss").isTrue();
            var request = device.addErrorCode(42);
            var event = device.publishEvent("while-away", JsonObject.builder().put("n", 1).build(), Qos.AT_LEAST_ONCE);
            platform.broker().start();

            assertThat(ManagedClient.await(request, WAIT).rc().code()).isEqualTo(200);
            ManagedClient.await(event, WAIT);
            platform.awaitEvent(clientId, "while-away", WAIT);
            assertThat(platform.device(clientId).errorCodes()).contains(42);
        }
    }
}
