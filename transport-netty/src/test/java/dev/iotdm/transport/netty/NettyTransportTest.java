package dev.iotdm.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.testkit.fault.CloseMode;
import dev.iotdm.testkit.fault.Direction;
import dev.iotdm.testkit.fault.Fault;
import dev.iotdm.testkit.fault.FaultProxy;
import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.ConnectResult;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.NotConnectedException;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.WindowFullException;
import dev.iotdm.transport.TransportListener;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link NettyTransport}'s own promises at the SPI, against a {@link ScriptedBroker} (through a
 * {@link FaultProxy} where a test cuts the connection): who re-sends after a cut, the in-flight
 * window, maximum packet size, CONNACK codes, the connect timeout, and PUBACK after the listener.
 */
class NettyTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final byte[] PAYLOAD = "{\"d\":{}}".getBytes(StandardCharsets.UTF_8);

    private ScriptedBroker broker;
    private NettyTransportFactory factory;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = new ScriptedBroker();
        factory = NettyTransportFactory.builder().threads(1).inFlightWindow(3).build();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
        factory.close();
        broker.close();
    }

    /** Records losses; messages are checked by the tests that need them. */
    private static final class Losses implements TransportListener {
        final BlockingQueue<Throwable> lost = new LinkedBlockingQueue<>();
        final BlockingQueue<String> arrived = new LinkedBlockingQueue<>();

        @Override
        public void messageArrived(String topic, byte[] payload, Qos qos, boolean duplicate) {
            arrived.add(topic);
        }

        @Override
        public void connectionLost(Throwable cause) {
            lost.add(cause);
        }

        Throwable awaitLoss() throws InterruptedException {
            Throwable t = lost.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(t).as("connectionLost within %s", WAIT).isNotNull();
            return t;
        }
    }

    private NettyTransport transport() {
        NettyTransport t = factory.create();
        closeAfter.add(t);
        return t;
    }

    private MqttConnectOptions.Builder options(int port, MqttVersion version) {
        return MqttConnectOptions.builder().clientId("d:org:type:dev").host("127.0.0.1").port(port)
                .version(version).connectTimeout(Duration.ofSeconds(10));
    }

    private FaultProxy proxy() {
        FaultProxy proxy = FaultProxy.open(new InetSocketAddress("127.0.0.1", broker.port()));
        closeAfter.add(proxy);
        return proxy;
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        try {
            f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("the future did not fail within " + WAIT, e);
        }
        throw new AssertionError("the future completed instead of failing");
    }

    /** A kept-session connection whose one QoS 1 publish reached the broker, was not acknowledged, and was cut. */
    private record CutPublish(NettyTransport transport, Losses listener, MqttConnectOptions options,
            CompletableFuture<Void> publish, ScriptedBroker.Published first) {
    }

    private CutPublish publishThenCutBeforePuback() throws Exception {
        FaultProxy proxy = proxy();
        NettyTransport t = transport();
        Losses listener = new Losses();
        MqttConnectOptions kept = options(proxy.port(), MqttVersion.MQTT_3_1_1).cleanSession(false).build();
        await(t.connect(kept, listener));
        broker.script.ackPublishes = false;
        CompletableFuture<Void> publish = t.publish("iotdevice-1/notify", PAYLOAD, Qos.AT_LEAST_ONCE);
        ScriptedBroker.Published first = broker.awaitPublish(WAIT);
        proxy.apply(new Fault.DropConnections(CloseMode.RESET));
        listener.awaitLoss();
        return new CutPublish(t, listener, kept, publish, first);
    }

    @Test
    void a_cut_before_the_puback_resends_with_dup_to_a_kept_session_and_the_future_completes_once() throws Exception {
        CutPublish cut = publishThenCutBeforePuback();
        NettyTransport t = cut.transport();
        Losses listener = cut.listener();
        MqttConnectOptions kept = cut.options();
        CompletableFuture<Void> publish = cut.publish();
        ScriptedBroker.Published first = cut.first();
        AtomicInteger completions = new AtomicInteger();
        // Wait on this stage, not on publish: a thread waiting on publish may be released before
        // publish's earlier dependents (this counter) have run.
        CompletableFuture<Void> counted = publish.whenComplete((v, e) -> completions.incrementAndGet());
        assertThat(first.dup()).isFalse();
        assertThat(publish).as("a kept session keeps the publish pending across the loss").isNotDone();

        broker.script.ackPublishes = true;
        broker.script.sessionPresent = true;
        ConnectResult again = await(t.connect(kept, listener));
        assertThat(again.sessionPresent()).isTrue();
        ScriptedBroker.Published resent = broker.awaitPublish(WAIT);
        assertThat(resent.dup()).isTrue();
        assertThat(resent.packetId()).isEqualTo(first.packetId());
        assertThat(resent.payload()).isEqualTo(PAYLOAD);
        await(counted);
        assertThat(completions.get()).isEqualTo(1);
        assertThat(broker.publishes).as("no third copy").isEmpty();
    }

    @Test
    void a_kept_session_the_broker_no_longer_has_fails_the_pending_publish_as_not_connected() throws Exception {
        CutPublish cut = publishThenCutBeforePuback();
        broker.script.sessionPresent = false;
        await(cut.transport().connect(cut.options(), cut.listener()));
        assertThat(failure(cut.publish())).isInstanceOf(NotConnectedException.class);
        assertThat(broker.publishes).as("the engine re-publishes, not the transport").isEmpty();
    }

    @Test
    void with_a_clean_session_an_unacknowledged_publish_fails_as_not_connected_when_the_connection_ends()
            throws Exception {
        FaultProxy proxy = proxy();
        NettyTransport t = transport();
        Losses listener = new Losses();
        await(t.connect(options(proxy.port(), MqttVersion.MQTT_3_1_1).build(), listener));
        broker.script.ackPublishes = false;
        CompletableFuture<Void> publish = t.publish("iotdevice-1/notify", PAYLOAD, Qos.AT_LEAST_ONCE);
        broker.awaitPublish(WAIT);
        proxy.apply(new Fault.DropConnections(CloseMode.RESET));
        assertThat(failure(publish)).isInstanceOf(NotConnectedException.class);
        listener.awaitLoss();
        assertThat(t.isConnected()).isFalse();
    }

    @Test
    void a_stalled_connection_without_pingresp_is_declared_dead() throws Exception {
        FaultProxy proxy = proxy();
        NettyTransport t = transport();
        Losses listener = new Losses();
        await(t.connect(options(proxy.port(), MqttVersion.MQTT_3_1_1).keepAlive(Duration.ofSeconds(1)).build(),
                listener));
        long stalledAt = System.nanoTime();
        proxy.apply(new Fault.Stall(Direction.BOTH));
        Throwable cause = listener.awaitLoss();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalledAt);
        assertThat(cause).isInstanceOf(KeepAliveTimeoutException.class);
        assertThat(tookMs).as("detected within keep-alive + ping timeout (+ slack)").isLessThan(5_000);
        assertThat(t.isConnected()).isFalse();
    }

    @Test
    void a_publish_beyond_the_configured_window_fails_at_once_with_window_full() throws Exception {
        NettyTransport t = transport();
        await(t.connect(options(broker.port(), MqttVersion.MQTT_3_1_1).build(), new Losses()));
        broker.script.ackPublishes = false;
        List<CompletableFuture<Void>> inFlight = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            inFlight.add(t.publish("iotdevice-1/notify", PAYLOAD, Qos.AT_LEAST_ONCE));
        }
        assertThat(failure(t.publish("iotdevice-1/notify", PAYLOAD, Qos.AT_LEAST_ONCE)))
                .isInstanceOf(WindowFullException.class);
        assertThat(t.inFlightCapacity()).isZero();
        assertThat(inFlight).noneMatch(CompletableFuture::isDone);
        await(t.publish("iotdevice-1/evt", PAYLOAD, Qos.AT_MOST_ONCE));
    }

    @Test
    void the_brokers_receive_maximum_lowers_the_window_in_mqtt_5() throws Exception {
        factory.close();
        factory = NettyTransportFactory.builder().threads(1).inFlightWindow(32).build();
        broker.script.receiveMaximum = 5;
        broker.script.ackPublishes = false;
        NettyTransport t = transport();
        await(t.connect(options(broker.port(), MqttVersion.MQTT_5).build(), new Losses()));
        for (int i = 0; i < 5; i++) {
            t.publish("iotdevice-1/notify", PAYLOAD, Qos.AT_LEAST_ONCE);
        }
        assertThat(failure(t.publish("iotdevice-1/notify", PAYLOAD, Qos.AT_LEAST_ONCE)))
                .isInstanceOf(WindowFullException.class).hasMessageContaining("window of 5 ");
        assertThat(t.inFlightCapacity()).isZero();
    }

    @Test
    void a_publish_larger_than_the_brokers_maximum_packet_size_fails_unsent() throws Exception {
        broker.script.maximumPacketSize = 64;
        NettyTransport t = transport();
        await(t.connect(options(broker.port(), MqttVersion.MQTT_5).build(), new Losses()));
        assertThat(failure(t.publish("iotdevice-1/notify", new byte[100], Qos.AT_LEAST_ONCE)))
                .isInstanceOf(PacketTooLargeException.class).hasMessageContaining("64");
        await(t.publish("iotdevice-1/notify", PAYLOAD, Qos.AT_LEAST_ONCE));
        assertThat(broker.awaitPublish(WAIT).payload()).isEqualTo(PAYLOAD);
    }

    @Test
    void an_inbound_packet_over_the_limit_ends_the_connection() throws Exception {
        factory.close();
        factory = NettyTransportFactory.builder().threads(1).maxInboundPacketSize(64).build();
        NettyTransport t = transport();
        Losses listener = new Losses();
        await(t.connect(options(broker.port(), MqttVersion.MQTT_3_1_1).build(), listener));
        broker.sendToClient("iotdm-1/response", new byte[200], 1);
        assertThat(listener.awaitLoss()).isInstanceOf(PacketTooLargeException.class);
        assertThat(listener.arrived).isEmpty();
    }

    @Test
    void puback_goes_out_only_after_the_listener_returned() throws Exception {
        NettyTransport t = transport();
        List<Integer> acksSeenByListener = new ArrayList<>();
        CompletableFuture<Void> returned = new CompletableFuture<>();
        TransportListener listener = new TransportListener() {
            @Override
            public void messageArrived(String topic, byte[] payload, Qos qos, boolean duplicate) {
                acksSeenByListener.add(broker.pubAcks.size());
                returned.complete(null);
            }

            @Override
            public void connectionLost(Throwable cause) {
            }
        };
        await(t.connect(options(broker.port(), MqttVersion.MQTT_3_1_1).build(), listener));
        broker.sendToClient("iotdm-1/mgmt/initiate/device/reboot", PAYLOAD, 7);
        await(returned);
        assertThat(broker.pubAcks.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(7);
        assertThat(acksSeenByListener).containsExactly(0);
    }

    @Test
    void refused_connacks_map_to_typed_failures_for_both_versions() throws Exception {
        broker.script.connackCode = 4;
        Throwable v3 = failure(transport().connect(options(broker.port(), MqttVersion.MQTT_3_1_1).build(),
                new Losses()));
        assertThat(((ConnectFailureException) v3).failure()).isInstanceOf(ConnectFailure.BadCredentials.class);
        broker.script.connackCode = 0x87;
        Throwable v5 = failure(transport().connect(options(broker.port(), MqttVersion.MQTT_5).build(), new Losses()));
        assertThat(((ConnectFailureException) v5).failure()).isInstanceOf(ConnectFailure.NotAuthorized.class);
    }

    @Test
    void one_connect_timeout_covers_a_broker_that_never_sends_connack() throws Exception {
        broker.script.answerConnect = false;
        NettyTransport t = transport();
        Throwable e = failure(t.connect(options(broker.port(), MqttVersion.MQTT_3_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build(), new Losses()));
        assertThat(((ConnectFailureException) e).failure()).isInstanceOf(ConnectFailure.TimedOut.class);
        assertThat(t.isConnected()).isFalse();
    }

    @Test
    void a_connection_refused_by_the_os_is_unreachable() throws Exception {
        int port = broker.port();
        broker.close();
        broker = new ScriptedBroker();
        Throwable e = failure(transport().connect(options(port, MqttVersion.MQTT_3_1_1).build(), new Losses()));
        assertThat(((ConnectFailureException) e).failure()).isInstanceOf(ConnectFailure.Unreachable.class);
    }

    @Test
    void a_group_the_user_passed_is_used_and_left_running() throws Exception {
        io.netty.channel.EventLoopGroup own = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
                io.netty.channel.nio.NioIoHandler.newFactory());
        try {
            try (NettyTransportFactory borrowing = NettyTransportFactory.builder().eventLoopGroup(own).build();
                 NettyTransport t = borrowing.create()) {
                await(t.connect(options(broker.port(), MqttVersion.MQTT_3_1_1).build(), new Losses()));
                await(t.publish("iotdevice-1/notify", PAYLOAD, Qos.AT_LEAST_ONCE));
            }
            assertThat(own.isShuttingDown()).as("the factory never shuts a borrowed group down").isFalse();
        } finally {
            own.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    @Test
    void calls_after_close_fail_with_illegal_state() {
        NettyTransport t = transport();
        t.close();
        assertThat(failure(t.publish("a/b", PAYLOAD, Qos.AT_LEAST_ONCE))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> t.publish("a/+", PAYLOAD, Qos.AT_LEAST_ONCE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
