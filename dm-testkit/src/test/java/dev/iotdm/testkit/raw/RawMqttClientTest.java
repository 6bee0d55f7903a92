package dev.iotdm.testkit.raw;

import dev.iotdm.testkit.raw.RawMqttClient.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exact bytes {@link RawMqttClient} writes and how it reads what a server sends, against a
 * scripted server socket on 127.0.0.1 (expected packets written out per MQTT 3.1.1 section).
 */
class RawMqttClientTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private ServerSocket server;
    private Socket peer;
    private RawMqttClient client;

    @BeforeEach
    void open() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        server.setSoTimeout((int) WAIT.toMillis());
        client = RawMqttClient.open("127.0.0.1", server.getLocalPort(), WAIT);
        peer = server.accept();
        peer.setSoTimeout((int) WAIT.toMillis());
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        peer.close();
        server.close();
    }

    /** Reads exactly {@code expected.length} bytes from the client and compares them. */
    private void expect(int... expected) throws IOException {
        InputStream in = peer.getInputStream();
        byte[] actual = in.readNBytes(expected.length);
        byte[] wanted = new byte[expected.length];
        for (int i = 0; i < expected.length; i++) {
            wanted[i] = (byte) expected[i];
        }
        assertThat(HexFormat.ofDelimiter(" ").formatHex(actual))
                .isEqualTo(HexFormat.ofDelimiter(" ").formatHex(wanted));
    }

    private void reply(int... bytes) throws IOException {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) bytes[i];
        }
        peer.getOutputStream().write(out);
        peer.getOutputStream().flush();
    }

    private static <T> T result(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts a clean-session CONNECT of client "x" and checks its bytes (defaults: keep-alive 60 s). */
    private CompletableFuture<Connack> connectAsX() throws IOException {
        CompletableFuture<Connack> connack = CompletableFuture.supplyAsync(
                () -> client.connect(ConnectOptions.of("x"), WAIT));
        expect(0x10, 0x0D, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x01, 'x');
        return connack;
    }

    @Test
    void connect_writes_the_exact_connect_packet_and_returns_the_connack() throws Exception {
        ConnectOptions options = new ConnectOptions("c1", "u", "p", false, 30);

        CompletableFuture<Connack> connack = CompletableFuture.supplyAsync(() -> client.connect(options, WAIT));

        expect(0x10, 0x14,                         // CONNECT, remaining length 20 (§3.1.1)
                0x00, 0x04, 'M', 'Q', 'T', 'T',    // protocol name (§3.1.2.1)
                0x04,                              // level 4 = 3.1.1 (§3.1.2.2)
                0xC0,                              // user name + password, clean session 0 (§3.1.2.3)
                0x00, 0x1E,                        // keep alive 30 s (§3.1.2.10)
                0x00, 0x02, 'c', '1',              // client id (§3.1.3.1)
                0x00, 0x01, 'u',                   // user name (§3.1.3.4)
                0x00, 0x01, 'p');                  // password (§3.1.3.5)
        reply(0x20, 0x02, 0x01, 0x00);             // CONNACK, session present, accepted (§3.2)
        assertThat(result(connack)).isEqualTo(new Connack(true, 0));
    }

    @Test
    void refused_connack_is_returned_with_its_return_code() throws Exception {
        CompletableFuture<Connack> connack = connectAsX();

        reply(0x20, 0x02, 0x00, 0x05);
        assertThat(result(connack)).isEqualTo(new Connack(false, Connack.NOT_AUTHORIZED));
    }

    @Test
    void subscribe_returns_the_suback_codes_including_failure() throws Exception {
        CompletableFuture<List<Integer>> codes = CompletableFuture.supplyAsync(() -> client.subscribe(
                List.of(new Subscription("a/#", 1), new Subscription("b", 0)), WAIT));

        expect(0x82, 0x0C,                         // SUBSCRIBE with mandatory flags 0010 (§3.8.1)
                0x00, 0x01,                        // packet id 1
                0x00, 0x03, 'a', '/', '#', 0x01,
                0x00, 0x01, 'b', 0x00);
        reply(0x90, 0x04, 0x00, 0x01, 0x01, 0x80); // SUBACK: granted 1, failure 0x80 (§3.9.3)
        assertThat(result(codes)).containsExactly(1, 0x80);
    }

    @Test
    void incoming_qos1_publish_is_acknowledged_and_queued() throws Exception {
        reply(0x32, 0x09, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x07, 'h', 'i'); // QoS 1, id 7 (§3.3)

        MqttPublish publish = client.takePublish(WAIT);

        assertThat(publish).isEqualTo(new MqttPublish("a/b", new byte[] {'h', 'i'}, 1, false, false, 7));
        expect(0x40, 0x02, 0x00, 0x07);           // PUBACK id 7 (§3.4)
    }

    @Test
    void without_auto_puback_the_caller_acknowledges() throws Exception {
        client.autoPuback(false);
        reply(0x3B, 0x09, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x07, 'h', 'i'); // dup + QoS 1 + retain

        MqttPublish publish = client.takePublish(WAIT);
        CompletableFuture<Void> ping = CompletableFuture.runAsync(() -> client.ping(WAIT));

        assertThat(publish.dup()).isTrue();
        assertThat(publish.retain()).isTrue();
        expect(0xC0, 0x00);                       // the PINGREQ comes first: no automatic PUBACK
        reply(0xD0, 0x00);
        result(ping);
        client.puback(publish.packetId());
        expect(0x40, 0x02, 0x00, 0x07);
    }

    @Test
    void outgoing_qos1_publish_keeps_its_flags_and_waits_for_the_matching_puback() throws Exception {
        MqttPublish publish = new MqttPublish("t", new byte[] {'x'}, 1, true, true, 9);

        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> client.publish(publish, WAIT));

        expect(0x3B, 0x06, 0x00, 0x01, 't', 0x00, 0x09, 'x'); // DUP|QoS1|RETAIN (§3.3.1)
        assertThat(sent).isNotDone();
        reply(0x40, 0x02, 0x00, 0x09);
        result(sent);
    }

    @Test
    void long_packets_use_a_multi_byte_remaining_length() throws Exception {
        byte[] payload = new byte[200];
        Arrays.fill(payload, (byte) 'z');

        client.publish("t", payload, 0, WAIT);

        expect(0x30, 0xCB, 0x01, 0x00, 0x01, 't');  // 203 = 0xCB 0x01 (§2.2.3)
        assertThat(peer.getInputStream().readNBytes(200)).isEqualTo(payload);
    }

    @Test
    void broker_closing_the_connection_fails_the_waiting_call_and_is_detected() throws Exception {
        CompletableFuture<Connack> connack = connectAsX();

        peer.close();

        assertThatThrownBy(() -> result(connack)).hasRootCauseInstanceOf(RawMqttException.class)
                .hasMessageContaining("closed by the broker");
        client.awaitClosed(WAIT);
        assertThat(client.isClosed()).isTrue();
    }

    @Test
    void take_publish_timeout_lists_what_was_received_instead() throws Exception {
        CompletableFuture<Connack> connack = connectAsX();
        reply(0x20, 0x02, 0x00, 0x00);
        result(connack);

        assertThatThrownBy(() -> client.takePublish(Duration.ofMillis(200)))
                .isInstanceOf(RawMqttException.class)
                .hasMessageContaining("no PUBLISH")
                .hasMessageContaining("CONNACK[rc=0, sessionPresent=false]")
                .hasMessageContaining("connection open");
    }

    @Test
    void disconnect_writes_disconnect_and_closes() throws Exception {
        client.disconnect();

        expect(0xE0, 0x00);                       // DISCONNECT (§3.14)
        assertThat(peer.getInputStream().read()).isEqualTo(-1);
        assertThat(client.isClosed()).isTrue();
    }
}
