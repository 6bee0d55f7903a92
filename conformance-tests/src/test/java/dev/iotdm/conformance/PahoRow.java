package dev.iotdm.conformance;

import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.scenario.ScenarioRow;
import dev.iotdm.testkit.scenario.ScenarioStep;
import dev.iotdm.testkit.scenario.ScenarioWorld;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Paho row: {@code ManagedClient} over the Paho transport (MQTT 5) on a real socket to the
 * fake platform on the embedded HiveMQ broker (127.0.0.1, free port). One platform serves the
 * row; each scenario gets a new registered device, so scenarios do not see each other.
 */
final class PahoRow implements ScenarioRow, AutoCloseable {

    private final FakePlatform platform = FakePlatform.start();
    private final AtomicInteger devices = new AtomicInteger();

    @Override
    public String name() {
        return "paho/hivemq";
    }

    @Override
    public ScenarioWorld newWorld() {
        return new ClientWorld(platform, "paho", "scenario" + devices.incrementAndGet());
    }

    @Override
    public boolean supports(ScenarioStep.Fault fault) {
        return fault instanceof ScenarioStep.DropConnection || fault instanceof ScenarioStep.RestartDevice;
    }

    @Override
    public void close() {
        platform.close();
    }
}
