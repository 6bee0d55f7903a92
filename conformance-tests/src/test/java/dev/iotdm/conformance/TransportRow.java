package dev.iotdm.conformance;

import dev.iotdm.testkit.broker.EmbeddedBroker;
import dev.iotdm.testkit.platform.DeviceLink;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.scenario.ScenarioRow;
import dev.iotdm.testkit.scenario.ScenarioStep;
import dev.iotdm.testkit.scenario.ScenarioWorld;
import dev.iotdm.transport.MqttVersion;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A socket row: {@code ManagedClient} over one transport (found by name, as users find it) and one
 * MQTT version, on a real socket to the fake platform on the embedded HiveMQ broker (127.0.0.1,
 * free port). One platform serves the row; each scenario gets a new registered device, so
 * scenarios do not see each other.
 */
final class TransportRow implements ScenarioRow, AutoCloseable {

    private final String transport;
    private final MqttVersion version;
    private final FakePlatform platform = FakePlatform.start();
    private final DuplicatingLink link;
    private final boolean restarts;
    private final Optional<Duration> deviceLag;
    private final Executor disconnects;
    private final AtomicInteger devices = new AtomicInteger();

    /**
     * The row of {@code transport} speaking {@code version}; {@code restarts}: whether its scenarios
     * restart the broker (about 5 s each, so one row of the build's budget does).
     */
    TransportRow(String transport, MqttVersion version, boolean restarts) {
        this(transport, version, restarts, Duration.ZERO, Optional.empty(), Duration.ZERO);
    }

    /**
     * The row of {@code transport} speaking {@code version} with a slow device: a duplicate's copy
     * goes {@code copyAfter} after the broker took the first, and the device runs each task
     * {@code deviceLag} after it was given ({@link DeviceActivity#lagging}). For the tests of the
     * settle condition.
     */
    static TransportRow slow(String transport, MqttVersion version, Duration copyAfter, Duration deviceLag) {
        return new TransportRow(transport, version, false, copyAfter, Optional.of(deviceLag), Duration.ZERO);
    }

    /**
     * The row of {@code transport} speaking {@code version} whose broker closes a device's connection
     * {@code lag} after it was told to (a broker's close is asynchronous). For the tests of the settle
     * condition.
     */
    static TransportRow lateDisconnects(String transport, MqttVersion version, Duration lag) {
        return new TransportRow(transport, version, false, Duration.ZERO, Optional.empty(), lag);
    }

    private TransportRow(String transport, MqttVersion version, boolean restarts, Duration copyAfter,
            Optional<Duration> deviceLag, Duration disconnectLag) {
        this.transport = transport;
        this.version = version;
        this.restarts = restarts;
        this.deviceLag = deviceLag;
        this.disconnects = disconnectLag.isZero() ? Runnable::run
                : CompletableFuture.delayedExecutor(disconnectLag.toNanos(), TimeUnit.NANOSECONDS);
        EmbeddedBroker broker = platform.broker();
        link = DuplicatingLink.copyAfter(DeviceLink.of(broker, broker::disconnectDevice), copyAfter);
        platform.attach(link);
    }

    @Override
    public String name() {
        return transport + "-" + version.name().toLowerCase(Locale.ROOT).replace("mqtt_", "") + "/hivemq";
    }

    @Override
    public ScenarioWorld newWorld() {
        return newWorld(ClientWorld.WAIT);
    }

    private ScenarioWorld newWorld(Duration stepWait) {
        return new ClientWorld(platform, ClientWorld.DeviceNetwork.embedded(platform, link, restarts, disconnects), transport, version,
                "scenario" + devices.incrementAndGet(), stepWait, () -> { },
                deviceLag.map(DeviceActivity::lagging).orElseGet(DeviceActivity::new));
    }

    @Override
    public ScenarioRow forReplays() {
        return ClientWorld.replayRow(this, () -> newWorld(ClientWorld.REPLAY_WAIT));
    }

    @Override
    public boolean supports(ScenarioStep.Fault fault) {
        return fault instanceof ScenarioStep.DropConnection || fault instanceof ScenarioStep.RestartDevice
                || fault instanceof ScenarioStep.DuplicateDelivery
                || (restarts && fault instanceof ScenarioStep.RestartBroker);
    }

    @Override
    public void close() {
        platform.close();
    }
}
