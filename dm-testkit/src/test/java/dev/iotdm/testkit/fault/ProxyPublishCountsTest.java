package dev.iotdm.testkit.fault;

import static dev.iotdm.testkit.fault.Sockets.PATIENCE;
import static dev.iotdm.testkit.fault.Sockets.connect;
import static dev.iotdm.testkit.fault.Sockets.readExactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy's MQTT publish counters, which a scenario step settles on (issue 11). */
class ProxyPublishCountsTest {

    private static final byte[] STREAM = PublishFramerTest.stream();

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
}
