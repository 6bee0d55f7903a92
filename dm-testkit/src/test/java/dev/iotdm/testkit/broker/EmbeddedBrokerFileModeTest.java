package dev.iotdm.testkit.broker;

import dev.iotdm.testkit.broker.RecordingListener.Connected;
import dev.iotdm.testkit.broker.RecordingListener.Disconnected;
import dev.iotdm.testkit.raw.Connack;
import dev.iotdm.testkit.raw.ConnectOptions;
import dev.iotdm.testkit.raw.RawMqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** File persistence: a kept session and its queued message survive {@link EmbeddedBroker#restart()}. */
class EmbeddedBrokerFileModeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final InMemoryDeviceRegistry REGISTRY = new InMemoryDeviceRegistry();
    private static final RecordingListener EVENTS = new RecordingListener();
    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.builder(REGISTRY)
                .persistence(Persistence.FILE)
                .maxQueueSize(10_000)
                .publishListener(EVENTS)
                .connectionListener(EVENTS)
                .build();
        broker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void kept_session_and_its_queued_message_survive_a_restart_on_the_same_port() throws Exception {
        String clientId = REGISTRY.register("org1", "meter", "m1", "secret-1");
        ConnectOptions kept = ConnectOptions.device(clientId, "secret-1").withCleanSession(false);
        try (RawMqttClient first = RawMqttClient.open(broker.host(), broker.port(), WAIT)) {
            assertThat(first.connect(kept, WAIT).accepted()).isTrue();
            assertThat(first.subscribe("iotdm-1/#", 1, WAIT)).isEqualTo(1);
            first.disconnect();
        }
        EVENTS.await(Disconnected.class, clientId, WAIT);
        broker.sendToDevice(clientId, "iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"r1\"}"
                .getBytes(StandardCharsets.UTF_8), 1, WAIT).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        int port = broker.port();

        broker.restart();

        assertThat(broker.port()).isEqualTo(port);
        try (RawMqttClient second = RawMqttClient.open(broker.host(), broker.port(), WAIT)) {
            assertThat(second.connect(kept, WAIT)).isEqualTo(new Connack(true, Connack.ACCEPTED));
            assertThat(second.takePublish(WAIT).payloadText()).isEqualTo("{\"reqId\":\"r1\"}");
            // The subscription survived too: a send after the restart needs no new SUBSCRIBE.
            broker.sendToDevice(clientId, "iotdm-1/observe", "{\"reqId\":\"o1\"}".getBytes(StandardCharsets.UTF_8),
                    1, WAIT).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(second.takePublish(WAIT).topic()).isEqualTo("iotdm-1/observe");
            EVENTS.await(e -> e instanceof Connected && e.clientId().equals(clientId)
                    && EVENTS.eventsOf(clientId).size() >= 3, "the reconnect after the restart", WAIT);
        }
    }
}
