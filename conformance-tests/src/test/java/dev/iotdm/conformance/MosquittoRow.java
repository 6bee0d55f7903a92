package dev.iotdm.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.iotdm.testkit.broker.ExternalBroker;
import dev.iotdm.testkit.broker.Mosquitto;
import dev.iotdm.testkit.fault.Direction;
import dev.iotdm.testkit.fault.Fault;
import dev.iotdm.testkit.fault.FaultProxy;
import dev.iotdm.testkit.fault.PublishTally;
import dev.iotdm.testkit.platform.DeviceLink;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.scenario.ScenarioRow;
import dev.iotdm.testkit.scenario.ScenarioStep;
import dev.iotdm.testkit.scenario.ScenarioWorld;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Transports;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A socket row on a broker we did not write: {@code ManagedClient} over one transport and MQTT
 * version, connected to Debian's mosquitto (the {@link Mosquitto} fixture, 127.0.0.1, free port)
 * through a {@link FaultProxy}; the platform is an ordinary MQTT client of the same broker
 * ({@link ExternalBroker} over Netty, MQTT 3.1.1).
 *
 * <p>A plain broker tells nobody when a device connects, and the rule checker needs connections
 * (a re-manage is judged per connection): the proxy reports them
 * ({@link ExternalBroker#reportConnections}). A network drop is the proxy dropping the
 * connection (RST).
 *
 * <p>One mosquitto serves the row; each world gets its own platform, platform client, proxy and
 * device id, so scenarios do not see each other (worlds run one after another: the platform's
 * {@code iotdevice-1/#} subscription would see another live device's publishes).
 */
final class MosquittoRow implements ScenarioRow, AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How long a stalled step may take to send its first byte; a step that sends nothing ends the stall after it. */
    private static final Duration TRAFFIC_WAIT = Duration.ofSeconds(3);

    private final String transport;
    private final MqttVersion version;
    private final Mosquitto mosquitto;
    private final AtomicInteger worlds = new AtomicInteger();

    private MosquittoRow(String transport, MqttVersion version, Mosquitto mosquitto) {
        this.transport = transport;
        this.version = version;
        this.mosquitto = mosquitto;
    }

    /**
     * Starts the row's mosquitto; skips the calling test when the binary is missing, except on CI
     * ({@code CI=true}), where a missing binary fails ({@link Mosquitto#installedOrFailOnCi()}).
     */
    static MosquittoRow startOrSkip(String transport, MqttVersion version) {
        assumeTrue(Mosquitto.installedOrFailOnCi(), "mosquitto is not installed at " + Mosquitto.BINARY
                + " (apt-get install -y mosquitto); the mosquitto rows are skipped");
        return new MosquittoRow(transport, version, Mosquitto.start(WAIT));
    }

    @Override
    public String name() {
        return transport + "-" + version.name().toLowerCase(Locale.ROOT).replace("mqtt_", "") + "/mosquitto";
    }

    @Override
    public ScenarioWorld newWorld() {
        return newWorld(ClientWorld.WAIT);
    }

    @Override
    public ScenarioRow forReplays() {
        return ClientWorld.replayRow(this, () -> newWorld(ClientWorld.REPLAY_WAIT));
    }

    private ScenarioWorld newWorld(Duration stepWait) {
        int n = worlds.incrementAndGet();
        String deviceId = "scenario" + n;
        String clientId = "d:org1:scenario:" + deviceId;
        FakePlatform platform = FakePlatform.builder().withoutBroker().build();
        FaultProxy proxy = null;
        ExternalBroker broker = null;
        try {
            proxy = FaultProxy.open(new InetSocketAddress(mosquitto.host(), mosquitto.port()));
            MqttConnectOptions platformClient = MqttConnectOptions.builder().clientId("a:org1:platform" + n)
                    .host(mosquitto.host()).port(mosquitto.port()).version(MqttVersion.MQTT_3_1_1).build();
            broker = ExternalBroker.connect(Transports.load("netty"), platformClient, clientId,
                    platform.publishListener(), WAIT);
            broker.reportConnections(proxy, platform.connectionListener(), WAIT);
            FaultProxy network = proxy;
            ExternalBroker external = broker;
            DuplicatingLink link = new DuplicatingLink(DeviceLink.of(external,
                    to -> network.apply(new Fault.DropConnections())));
            platform.attach(link);
            ClientWorld.DeviceNetwork deviceNetwork = new ProxiedNetwork(network, external, link);
            return new ClientWorld(platform, deviceNetwork, transport, version, deviceId, stepWait, () -> {
                external.close();
                network.close();
                platform.close();
            });
        } catch (RuntimeException e) {
            if (broker != null) {
                broker.close();
            }
            if (proxy != null) {
                proxy.close();
            }
            platform.close();
            throw e;
        }
    }

    @Override
    public boolean supports(ScenarioStep.Fault fault) {
        return fault instanceof ScenarioStep.DropConnection || fault instanceof ScenarioStep.RestartDevice
                || fault instanceof ScenarioStep.DuplicateDelivery || fault instanceof ScenarioStep.Stall;
    }

    @Override
    public void close() {
        mosquitto.close();
    }

    /**
     * The device's way to mosquitto through the world's proxy: drops are the proxy's RST, a stall
     * holds every byte both ways until the next step's traffic has reached the proxy (its byte
     * counter moved past where it stood), then everything is delivered in order.
     */
    private static final class ProxiedNetwork implements ClientWorld.DeviceNetwork {
        private final FaultProxy proxy;
        private final ExternalBroker broker;
        private final DuplicatingLink link;
        /** The proxy's received-byte count when the stall began; -1 when no stall is on. Scenario thread only. */
        private long stalledAt = -1;

        ProxiedNetwork(FaultProxy proxy, ExternalBroker broker, DuplicatingLink link) {
            this.proxy = proxy;
            this.broker = broker;
            this.link = link;
        }

        @Override
        public String host() {
            return "127.0.0.1";
        }

        @Override
        public int port() {
            return proxy.port();
        }

        @Override
        public void disconnect(String clientId) {
            release();
            proxy.apply(new Fault.DropConnections());
        }

        @Override
        public boolean inject(ScenarioStep.Fault fault) {
            if (fault instanceof ScenarioStep.DuplicateDelivery) {
                link.duplicateNextRequest();
                return true;
            } else if (fault instanceof ScenarioStep.Stall) {
                if (stalledAt < 0) {
                    stalledAt = proxy.bytesReceived(Direction.BOTH);
                    proxy.apply(new Fault.Stall(Direction.BOTH));
                }
                return true;
            }
            return false;
        }

        @Override
        public void trafficStarted(CompletableFuture<?> started) {
            if (stalledAt >= 0 && started.isDone()) {
                release(); // refused before anything was sent: nothing to hold
            } else if (stalledAt >= 0) {
                // Some of the step's bytes are held now (a counter, not a pause); then they all go.
                try {
                    proxy.awaitBytesReceived(Direction.BOTH, stalledAt + 1, TRAFFIC_WAIT);
                } catch (AssertionError noTraffic) {
                    // The step sent nothing (e.g. the platform refused to start an operation on an
                    // unmanaged device): nothing to hold, so the stall just ends.
                }
                release();
            }
        }

        /**
         * The proxy holds no publish (read and neither written nor lost with its connection), the
         * device acknowledged every QoS 1 publish the proxy wrote to it (or its connection closed),
         * the platform's publishes all have an outcome at mosquitto, and mosquitto delivered to the
         * platform at least as many of the device's publishes as the proxy wrote to it (a plain
         * broker has no counters of its own; the platform's subscription is QoS 1 on a connection
         * that stays up, so mosquitto loses none of them). Not counted: what mosquitto drops for a
         * device whose connection is gone; the proxy's downstream count and the transcript's
         * answers cover what reached the device.
         */
        @Override
        public void awaitPublishesSettled(String clientId, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            link.awaitCopiesSent(deadline);
            proxy.awaitPublishesSettled(Deadlines.left(deadline));
            proxy.awaitAcknowledged(Direction.DOWNSTREAM, Deadlines.left(deadline));
            broker.awaitPublishes(proxy.publishes(Direction.UPSTREAM).handedOn(), Deadlines.left(deadline));
        }

        @Override
        public List<PublishTally> publishTallies(String clientId) {
            PublishTally up = proxy.publishes(Direction.UPSTREAM);
            return List.of(link.copies(), up, proxy.publishes(Direction.DOWNSTREAM),
                    proxy.acknowledgements(Direction.DOWNSTREAM),
                    broker.publishesToBroker(),
                    new PublishTally("mosquitto to platform", up.handedOn(), broker.publishesFromDevice(), 0));
        }

        @Override
        public void release() {
            if (stalledAt >= 0) {
                stalledAt = -1;
                proxy.clear();
            }
        }
    }
}
