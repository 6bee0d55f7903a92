package dev.iotdm.testkit.fault;

import static dev.iotdm.testkit.fault.Sockets.PATIENCE;
import static dev.iotdm.testkit.fault.Sockets.assertSilent;
import static dev.iotdm.testkit.fault.Sockets.connect;
import static dev.iotdm.testkit.fault.Sockets.readExactly;
import static dev.iotdm.testkit.fault.Sockets.readText;
import static dev.iotdm.testkit.fault.Sockets.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {

    private LoopbackServer server;
    private FaultProxy proxy;

    @AfterEach
    void tearDown() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private FaultProxy proxyTo(LoopbackServer s) {
        server = s;
        proxy = FaultProxy.open(s.address());
        return proxy;
    }

    @Test
    void without_faults_bytes_are_echoed_unchanged_and_counted() throws Exception {
        proxyTo(LoopbackServer.echo());
        byte[] payload = new byte[200_000];
        new SplittableRandom(42).nextBytes(payload);

        try (Socket client = connect(proxy.port())) {
            client.getOutputStream().write(payload);
            client.getOutputStream().flush();

            assertThat(readExactly(client, payload.length)).isEqualTo(payload);
        }
        assertThat(proxy.connectionsAccepted()).isEqualTo(1);
        assertThat(proxy.bytesForwarded(Direction.UPSTREAM)).isEqualTo(payload.length);
        assertThat(proxy.bytesForwarded(Direction.DOWNSTREAM)).isEqualTo(payload.length);
        assertThat(proxy.bytesForwarded(Direction.BOTH)).isEqualTo(2L * payload.length);
        assertThat(server.acceptedCount()).isEqualTo(1);
    }

    @Test
    void a_new_connection_forwards_nothing_until_it_is_admitted() throws Exception {
        proxyTo(LoopbackServer.manual());
        java.util.concurrent.CompletableFuture<Void> gate = new java.util.concurrent.CompletableFuture<>();
        proxy.admission(() -> gate);
        try (Socket client = connect(proxy.port())) {
            Socket broker = server.awaitAccepted(PATIENCE);
            write(client, "hi");
            assertSilent(broker);

            gate.complete(null);

            assertThat(readText(broker, 2)).isEqualTo("hi");
        }
    }

    @Test
    void a_device_end_of_stream_reaches_the_broker_as_a_half_close() throws Exception {
        proxyTo(LoopbackServer.manual());
        try (Socket client = connect(proxy.port())) {
            Socket broker = server.awaitAccepted(PATIENCE);
            write(client, "bye");
            client.shutdownOutput();

            assertThat(readText(broker, 3)).isEqualTo("bye");
            assertThat(broker.getInputStream().read()).isEqualTo(-1);
            // The other direction still works after the half-close.
            write(broker, "ok");
            assertThat(readText(client, 2)).isEqualTo("ok");
        }
    }

    @Test
    void stall_holds_bytes_until_clear_then_delivers_them_in_order() throws Exception {
        proxyTo(LoopbackServer.echo());
        try (Socket client = connect(proxy.port())) {
            write(client, "warm");
            assertThat(readText(client, 4)).isEqualTo("warm");

            proxy.apply(new Fault.Stall(Direction.UPSTREAM));
            write(client, "abc");
            proxy.awaitBytesReceived(Direction.UPSTREAM, 7, PATIENCE);
            write(client, "def");
            proxy.awaitBytesReceived(Direction.UPSTREAM, 10, PATIENCE);
            assertSilent(client);
            assertThat(proxy.bytesForwarded(Direction.UPSTREAM)).isEqualTo(4);

            proxy.clear();

            assertThat(readText(client, 6)).isEqualTo("abcdef");
            assertThat(proxy.activeFaults()).isEmpty();
        }
    }

    @Test
    void stall_applies_to_connections_opened_after_it() throws Exception {
        proxyTo(LoopbackServer.echo());
        proxy.apply(new Fault.Stall());
        try (Socket client = connect(proxy.port())) {
            write(client, "late");
            proxy.awaitBytesReceived(Direction.UPSTREAM, 4, PATIENCE);
            assertSilent(client);

            proxy.clear();

            assertThat(readText(client, 4)).isEqualTo("late");
        }
    }

    @Test
    void downstream_stall_lets_the_broker_receive_but_holds_its_answer() throws Exception {
        proxyTo(LoopbackServer.manual());
        try (Socket client = connect(proxy.port())) {
            Socket broker = server.awaitAccepted(PATIENCE);
            proxy.apply(new Fault.Stall(Direction.DOWNSTREAM));

            write(client, "ping");
            assertThat(readText(broker, 4)).isEqualTo("ping");
            write(broker, "pong");
            proxy.awaitBytesReceived(Direction.DOWNSTREAM, 4, PATIENCE);
            assertSilent(client);

            proxy.clear();
            assertThat(readText(client, 4)).isEqualTo("pong");
        }
    }

    @Test
    void drop_with_reset_makes_the_device_read_fail() throws Exception {
        proxyTo(LoopbackServer.echo());
        try (Socket client = connect(proxy.port())) {
            write(client, "x");
            assertThat(readText(client, 1)).isEqualTo("x");

            proxy.apply(new Fault.DropConnections(CloseMode.RESET));

            assertThatThrownBy(() -> client.getInputStream().read())
                    .isInstanceOf(SocketException.class);
            assertThat(proxy.openConnections()).isZero();
        }
    }

    @Test
    void drop_with_fin_gives_the_device_and_the_broker_end_of_stream() throws Exception {
        proxyTo(LoopbackServer.manual());
        try (Socket client = connect(proxy.port())) {
            Socket broker = server.awaitAccepted(PATIENCE);

            proxy.apply(new Fault.DropConnections(CloseMode.FIN));

            assertThat(client.getInputStream().read()).isEqualTo(-1);
            assertThat(broker.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void delay_delivers_each_chunk_no_earlier_than_the_delay_and_in_order() throws Exception {
        proxyTo(LoopbackServer.echo());
        Duration delay = Duration.ofMillis(300);
        try (Socket client = connect(proxy.port())) {
            proxy.awaitConnections(1, PATIENCE);
            proxy.apply(new Fault.Delay(Direction.UPSTREAM, delay));

            long start = System.nanoTime();
            write(client, "one-");
            write(client, "two-");
            write(client, "three");
            String echoed = readText(client, 13);
            long elapsed = System.nanoTime() - start;

            assertThat(echoed).isEqualTo("one-two-three");
            assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(delay);
        }
    }

    @Test
    void shortening_a_delay_never_lets_a_chunk_overtake_an_earlier_one() throws Exception {
        proxyTo(LoopbackServer.echo());
        try (Socket client = connect(proxy.port())) {
            proxy.apply(new Fault.Delay(Direction.DOWNSTREAM, Duration.ofMillis(400)));
            write(client, "slow");
            proxy.awaitBytesReceived(Direction.DOWNSTREAM, 4, PATIENCE);
            proxy.clear();
            write(client, "fast");

            assertThat(readText(client, 8)).isEqualTo("slowfast");
        }
    }

    @Test
    void half_open_keeps_the_connection_but_nothing_comes_back() throws Exception {
        proxyTo(LoopbackServer.echo());
        try (Socket client = connect(proxy.port())) {
            write(client, "up");
            assertThat(readText(client, 2)).isEqualTo("up");
            proxy.apply(new Fault.HalfOpen());

            write(client, "anyone?");
            proxy.awaitBytesReceived(Direction.UPSTREAM, 9, PATIENCE);
            assertSilent(client);
            write(client, "still writable");
            assertThat(client.isClosed()).isFalse();
            assertThat(proxy.openConnections()).isEqualTo(1);
            assertThat(proxy.bytesForwarded(Direction.BOTH)).isEqualTo(4);
        }
    }

    @Test
    void a_connection_accepted_while_half_open_never_reaches_the_broker() throws Exception {
        proxyTo(LoopbackServer.echo());
        proxy.apply(new Fault.HalfOpen());
        try (Socket client = connect(proxy.port())) {
            proxy.awaitConnections(1, PATIENCE);
            write(client, "hello?");
            proxy.awaitBytesReceived(Direction.UPSTREAM, 6, PATIENCE);
            assertSilent(client);
            assertThat(server.acceptedCount()).isZero();
        }
    }

    @Test
    void cutting_downstream_ends_the_device_input_while_its_output_still_flows() throws Exception {
        proxyTo(LoopbackServer.manual());
        try (Socket client = connect(proxy.port())) {
            Socket broker = server.awaitAccepted(PATIENCE);

            proxy.apply(new Fault.CutOneDirection(Direction.DOWNSTREAM));

            assertThat(client.getInputStream().read()).isEqualTo(-1);
            write(client, "up");
            assertThat(readText(broker, 2)).isEqualTo("up");
            write(broker, "lost");
            proxy.awaitBytesReceived(Direction.DOWNSTREAM, 4, PATIENCE);
            assertThat(proxy.bytesForwarded(Direction.DOWNSTREAM)).isZero();
        }
    }

    @Test
    void cutting_upstream_silences_the_device_while_the_broker_still_reaches_it()
            throws Exception {
        proxyTo(LoopbackServer.manual());
        try (Socket client = connect(proxy.port())) {
            Socket broker = server.awaitAccepted(PATIENCE);

            proxy.apply(new Fault.CutOneDirection(Direction.UPSTREAM));

            write(client, "unheard");
            assertSilent(broker);
            write(broker, "down");
            assertThat(readText(client, 4)).isEqualTo("down");
        }
    }

    @Test
    void cutting_a_black_hole_upstream_does_not_close_it() throws Exception {
        proxyTo(LoopbackServer.echo());
        proxy.apply(new Fault.HalfOpen());
        try (Socket client = connect(proxy.port())) {
            write(client, "x");
            proxy.awaitBytesReceived(Direction.UPSTREAM, 1, PATIENCE);

            proxy.apply(new Fault.CutOneDirection(Direction.UPSTREAM));

            assertSilent(client);
            assertThat(proxy.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void refused_connections_are_closed_at_once_and_open_ones_keep_working() throws Exception {
        proxyTo(LoopbackServer.echo());
        try (Socket existing = connect(proxy.port())) {
            write(existing, "up");
            assertThat(readText(existing, 2)).isEqualTo("up");
            proxy.apply(new Fault.RefuseNewConnections(CloseMode.FIN));

            try (Socket refused = connect(proxy.port())) {
                assertThat(refused.getInputStream().read()).isEqualTo(-1);
            }
            write(existing, "alive");
            assertThat(readText(existing, 5)).isEqualTo("alive");
            assertThat(proxy.connectionsAccepted()).isEqualTo(2);
            assertThat(server.acceptedCount()).isEqualTo(1);

            proxy.clear();
            try (Socket accepted = connect(proxy.port())) {
                write(accepted, "in");
                assertThat(readText(accepted, 2)).isEqualTo("in");
            }
        }
    }

    @Test
    void refusal_with_reset_makes_the_device_read_fail() throws Exception {
        proxyTo(LoopbackServer.echo());
        proxy.apply(new Fault.RefuseNewConnections());
        try (Socket refused = connect(proxy.port())) {
            assertThatThrownBy(() -> refused.getInputStream().read())
                    .isInstanceOf(SocketException.class);
        }
    }

    @Test
    void restart_closes_old_connections_and_listens_again_on_the_same_port() throws Exception {
        proxyTo(LoopbackServer.echo());
        int port = proxy.port();
        try (Socket old = connect(port)) {
            write(old, "a");
            assertThat(readText(old, 1)).isEqualTo("a");

            proxy.restart();

            assertThat(old.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(proxy.port()).isEqualTo(port);
        try (Socket fresh = connect(port)) {
            write(fresh, "b");
            assertThat(readText(fresh, 1)).isEqualTo("b");
        }
        assertThat(proxy.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void stopped_proxy_refuses_connections_and_start_reuses_the_port() throws Exception {
        proxyTo(LoopbackServer.echo());
        int port = proxy.port();

        proxy.stop();

        assertThat(proxy.isListening()).isFalse();
        assertThatThrownBy(() -> connect(port)).isInstanceOf(ConnectException.class);

        proxy.start();

        assertThat(proxy.isListening()).isTrue();
        try (Socket client = connect(port)) {
            write(client, "back");
            assertThat(readText(client, 4)).isEqualTo("back");
        }
    }

    @Test
    void a_target_that_is_not_listening_resets_the_device() throws Exception {
        int deadPort;
        try (LoopbackServer gone = LoopbackServer.echo()) {
            deadPort = gone.address().getPort();
        }
        proxy = FaultProxy.open("127.0.0.1", deadPort, 0);
        try (Socket client = connect(proxy.port())) {
            assertThatThrownBy(() -> client.getInputStream().read())
                    .isInstanceOf(SocketException.class);
        }
    }

    @Test
    void await_connections_fails_with_what_was_seen() throws Exception {
        proxyTo(LoopbackServer.echo());
        try (Socket client = connect(proxy.port())) {
            proxy.awaitConnections(1, PATIENCE);
            assertThat(client.isConnected()).isTrue();
            assertThatThrownBy(() -> proxy.awaitConnections(2, Duration.ofMillis(50)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("saw 1");
        }
    }

    @Test
    void close_ends_every_proxy_thread() throws Exception {
        proxyTo(LoopbackServer.echo());
        try (Socket a = connect(proxy.port()); Socket b = connect(proxy.port())) {
            proxy.apply(new Fault.Delay(Direction.BOTH, Duration.ofMillis(10)));
            write(a, "1");
            write(b, "2");
            assertThat(readText(a, 1)).isEqualTo("1");
            assertThat(readText(b, 1)).isEqualTo("2");
            proxy.apply(new Fault.Stall());
            write(a, "held");
            proxy.awaitBytesReceived(Direction.UPSTREAM, 6, PATIENCE);
            assertThat(proxyThreads()).isGreaterThan(0);

            proxy.close();

            assertThat(proxyThreads()).isZero();
            assertThatThrownBy(() -> proxy.apply(new Fault.HalfOpen()))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    private static long proxyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(FaultProxy.THREAD_NAME_PREFIX))
                .count();
    }

    @Test
    void faults_reject_missing_or_out_of_range_values_naming_the_field() {
        assertThatThrownBy(() -> new Fault.Stall(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("direction");
        assertThatThrownBy(() -> new Fault.Delay(Direction.UPSTREAM, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay");
        assertThatThrownBy(() -> new Fault.DropConnections(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mode");
        assertThatThrownBy(() -> FaultProxy.open(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target");
    }

    @Test
    void only_conditions_are_kept_as_active_faults() throws IOException {
        proxyTo(LoopbackServer.echo());
        Fault.Delay delay = new Fault.Delay(Direction.DOWNSTREAM, Duration.ofMillis(5));

        proxy.apply(delay);
        proxy.apply(new Fault.DropConnections());
        proxy.apply(new Fault.CutOneDirection(Direction.BOTH));

        assertThat(proxy.activeFaults()).containsExactly(delay);
    }

    // ---- publish counters (a scenario step settles on them, issue 11) ----

    private static final byte[] STREAM = PublishFramerTest.stream();

    private void send(Socket client) throws Exception {
        client.getOutputStream().write(STREAM);
        client.getOutputStream().flush();
    }

    @Test
    void publishes_through_a_transparent_proxy_are_handed_on_both_ways() throws Exception {
        server = LoopbackServer.echo();
        proxy = FaultProxy.open(server.address());
        try (Socket client = connect(proxy.port())) {
            send(client);
            assertThat(readExactly(client, STREAM.length)).isEqualTo(STREAM);
            proxy.awaitPublishesSettled(PATIENCE);
        }
        assertThat(proxy.publishes(Direction.UPSTREAM)).isEqualTo(new PublishTally("proxy upstream", 2, 2, 0));
        assertThat(proxy.publishes(Direction.DOWNSTREAM)).isEqualTo(new PublishTally("proxy downstream", 2, 2, 0));
    }

    @Test
    void publishes_held_by_a_stall_are_in_flight_until_the_stall_ends() throws Exception {
        server = LoopbackServer.manual();
        proxy = FaultProxy.open(server.address());
        try (Socket client = connect(proxy.port())) {
            Socket broker = server.awaitAccepted(PATIENCE);
            proxy.apply(new Fault.Stall(Direction.UPSTREAM));
            send(client);
            proxy.awaitBytesReceived(Direction.UPSTREAM, STREAM.length, PATIENCE);

            assertThat(proxy.publishes(Direction.UPSTREAM).inFlight()).isEqualTo(2);
            assertThatThrownBy(() -> proxy.awaitPublishesSettled(Duration.ZERO))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("proxy upstream: 2 in, 0 on, 0 lost");

            proxy.clear();
            assertThat(readExactly(broker, STREAM.length)).isEqualTo(STREAM);
            proxy.awaitPublishesSettled(PATIENCE);
            assertThat(proxy.publishes(Direction.UPSTREAM)).isEqualTo(new PublishTally("proxy upstream", 2, 2, 0));
        }
    }

    @Test
    void publishes_held_when_the_connection_drops_are_known_lost() throws Exception {
        server = LoopbackServer.manual();
        proxy = FaultProxy.open(server.address());
        try (Socket client = connect(proxy.port())) {
            server.awaitAccepted(PATIENCE);
            proxy.apply(new Fault.Stall(Direction.UPSTREAM));
            send(client);
            proxy.awaitBytesReceived(Direction.UPSTREAM, STREAM.length, PATIENCE);

            proxy.apply(new Fault.DropConnections());

            proxy.awaitPublishesSettled(PATIENCE);
            assertThat(proxy.publishes(Direction.UPSTREAM)).isEqualTo(new PublishTally("proxy upstream", 2, 0, 2));
        }
    }

    /** A PUBACK (MQTT 3.1.1: the packet id only). */
    private static final byte[] PUBACK = {0x40, 2, 0, 1};

    /**
     * A device connected through a fresh proxy, which has read {@link #STREAM} from its broker, with
     * the proxy's counters settled (the proxy counts a publish as written once its write returned,
     * which may be after the device has read it).
     */
    private Socket deviceThatReadTheStream() throws Exception {
        server = LoopbackServer.manual();
        proxy = FaultProxy.open(server.address());
        Socket client = connect(proxy.port());
        Socket broker = server.awaitAccepted(PATIENCE);
        broker.getOutputStream().write(STREAM);
        broker.getOutputStream().flush();
        assertThat(readExactly(client, STREAM.length)).isEqualTo(STREAM);
        proxy.awaitPublishesSettled(PATIENCE);
        return client;
    }

    @Test
    void a_qos_1_publish_written_to_the_device_is_in_flight_until_the_device_acknowledges_it() throws Exception {
        try (Socket client = deviceThatReadTheStream()) {
            // Written on, so settled as a publish; the QoS 1 one still waits for the device's PUBACK.
            assertThat(proxy.acknowledgements(Direction.DOWNSTREAM))
                    .isEqualTo(new PublishTally("acks of proxy downstream", 1, 0, 0));
            assertThatThrownBy(() -> proxy.awaitAcknowledged(Direction.DOWNSTREAM, Duration.ZERO))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("acks of proxy downstream: 1 in, 0 on");

            client.getOutputStream().write(PUBACK);
            client.getOutputStream().flush();
            proxy.awaitAcknowledged(Direction.DOWNSTREAM, PATIENCE);
            assertThat(proxy.acknowledgements(Direction.DOWNSTREAM))
                    .isEqualTo(new PublishTally("acks of proxy downstream", 1, 1, 0));
        }
    }

    @Test
    void an_unacknowledged_publish_is_known_lost_when_its_connection_drops() throws Exception {
        try (Socket client = deviceThatReadTheStream()) {

            proxy.apply(new Fault.DropConnections());

            proxy.awaitAcknowledged(Direction.DOWNSTREAM, PATIENCE);
            assertThat(proxy.acknowledgements(Direction.DOWNSTREAM))
                    .isEqualTo(new PublishTally("acks of proxy downstream", 1, 0, 1));
        }
    }
}
