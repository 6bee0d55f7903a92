package dev.iotdm.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.testkit.scenario.ScenarioStep;
import dev.iotdm.testkit.scenario.ScenarioWorld;
import dev.iotdm.testkit.transcript.ConnectionMarker;
import dev.iotdm.testkit.transcript.TranscriptItem;
import dev.iotdm.transport.MqttVersion;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A dropped connection ends its step on the device's new connection, managed or not. An unmanaged
 * device sends no manage to wait for, so its step used to end before the broker had closed the old
 * connection, and the next step's request went out on it and was answered as the connection dropped
 * (found at 2000 scenarios, seed 7466068913707923940 on netty-3_1_1/hivemq: the device re-sent that
 * request on its new connection, correctly, and the rule checker took the re-send for a reused reqId).
 * The broker here closes the connection 300 ms after it was told to, so the window is wide on purpose.
 */
class DropConnectionSettleTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"netty", "paho"})
    void a_dropped_connection_of_an_unmanaged_device_ends_its_step_on_the_new_connection(String transport) {
        try (TransportRow row = TransportRow.lateDisconnects(transport, MqttVersion.MQTT_5, Duration.ofMillis(300));
                ScenarioWorld world = row.newWorld()) {
            world.settle(List.of(world.device().call(new ScenarioStep.Unmanage()).orElseThrow()));
            int before = world.transcript().items().size();

            world.inject(new ScenarioStep.DropConnection());
            world.settle(List.of());

            List<TranscriptItem> since = world.transcript().items().subList(before, world.transcript().items().size());
            assertThat(since).filteredOn(ConnectionMarker.class::isInstance).map(i -> ((ConnectionMarker) i).kind())
                    .containsExactly(ConnectionMarker.Kind.DISCONNECT, ConnectionMarker.Kind.CONNECT);
        }
    }
}
