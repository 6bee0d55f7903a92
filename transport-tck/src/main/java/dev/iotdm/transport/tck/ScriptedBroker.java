package dev.iotdm.transport.tck;

import dev.iotdm.transport.MqttVersion;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * An MQTT server on 127.0.0.1 that plays a script instead of being a broker: it answers a CONNECT
 * with the CONNACK code a test picks, writes PUBLISH packets and shows exactly which packet the
 * client writes when. It shows what a real broker hides: any CONNACK code, and the moment a PUBACK
 * leaves the client. Speaks MQTT 3.1.1 and 5 (the version of the CONNECT it read). Owns its server
 * socket and the sockets it accepted. Not thread-safe: one test thread drives it.
 */
final class ScriptedBroker implements AutoCloseable {

    static final int CONNECT = 1;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;

    private final ServerSocket server;

    ScriptedBroker() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    int port() {
        return server.getLocalPort();
    }

    /** Accepts the next connection and reads its CONNECT, within {@code timeout}. */
    Connection accept(Duration timeout) throws IOException {
        server.setSoTimeout(Math.toIntExact(timeout.toMillis()));
        Connection c = new Connection(server.accept());
        Packet connect = c.read(timeout)
                .orElseThrow(() -> new AssertionError("no CONNECT within " + timeout));
        if (connect.type() != CONNECT) {
            throw new AssertionError("expected CONNECT but the client sent packet type " + connect.type());
        }
        // Variable header: protocol name "MQTT" (2-byte length + 4 bytes), then the level: 4 or 5.
        c.version = connect.body()[6] == 5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1;
        return c;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /**
     * One MQTT control packet as read.
     *
     * @param type the packet type, 1..15
     * @param flags the low nibble of the first byte
     * @param body the variable header and payload
     */
    record Packet(int type, int flags, byte[] body) {
        /** The packet identifier that opens the variable header of a PUBACK. */
        int packetId() {
            return ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
        }
    }

    /** One accepted client connection. */
    static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        private MqttVersion version;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** The MQTT version of the client's CONNECT. */
        MqttVersion version() {
            return version;
        }

        /** Writes a CONNACK without session present and with {@code code} (0 accepts). */
        void connack(int code) throws IOException {
            // MQTT 5 adds an empty property list (length 0) after the reason code.
            byte[] body = version == MqttVersion.MQTT_5 ? new byte[] {0, (byte) code, 0} : new byte[] {0, (byte) code};
            write(0x20, body);
        }

        /** Writes a QoS 1 PUBLISH. */
        void publishQos1(int packetId, String topic, byte[] payload, boolean duplicate) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] name = topic.getBytes(StandardCharsets.UTF_8);
            body.write(name.length >> 8);
            body.write(name.length);
            body.writeBytes(name);
            body.write(packetId >> 8);
            body.write(packetId);
            if (version == MqttVersion.MQTT_5) {
                body.write(0); // no properties
            }
            body.writeBytes(payload);
            write(0x30 | (duplicate ? 0x08 : 0) | 0x02, body.toByteArray());
        }

        /** The next packet from the client, or empty if none starts within {@code within}. */
        Optional<Packet> read(Duration within) throws IOException {
            socket.setSoTimeout(Math.toIntExact(Math.max(1, within.toMillis())));
            int first;
            try {
                first = in.read();
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            if (first < 0) {
                throw new AssertionError("the client closed the connection");
            }
            int length = 0;
            for (int shift = 0; ; shift += 7) {
                int b = in.readUnsignedByte();
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            byte[] body = new byte[length];
            in.readFully(body);
            return Optional.of(new Packet(first >> 4, first & 0x0F, body));
        }

        private void write(int header, byte[] body) throws IOException {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.write(header);
            int length = body.length;
            do {
                int b = length & 0x7F;
                length >>= 7;
                packet.write(length > 0 ? b | 0x80 : b);
            } while (length > 0);
            packet.writeBytes(body);
            out.write(packet.toByteArray());
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
