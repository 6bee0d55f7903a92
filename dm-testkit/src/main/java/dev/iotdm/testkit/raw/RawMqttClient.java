package dev.iotdm.testkit.raw;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A small, exact MQTT 3.1.1 client over a plain {@link Socket} (or TLS), for tests that must see
 * and control every byte: the base of the contract kit's lockstep raw peer. It is not a general
 * client: no reconnect, no session state, no QoS 2 flows, no keep-alive timer (call {@link #ping}).
 *
 * <p>Packets are encoded here by hand; comments cite the MQTT 3.1.1 specification (OASIS standard,
 * 29 October 2014) by section. {@link #sendRaw} writes arbitrary bytes for malformed-input tests.
 *
 * <p>One daemon reader thread decodes incoming packets: CONNACK, SUBACK, UNSUBACK, PUBACK and
 * PINGRESP complete the waiting call; PUBLISH goes to a queue read by {@link #takePublish}, with an
 * automatic PUBACK for QoS 1 unless switched off; a QoS 2 PUBLISH is queued but not acknowledged.
 * When the broker closes the connection every waiting call fails at once. Every blocking call takes
 * a timeout and, when it expires, fails with a {@link RawMqttException} that lists the packets
 * received so far. TCP_NODELAY is on (without it each round trip costs about 40 ms,
 * docs/hivemq-embedded.md §4).
 *
 * <p>Thread-safe: writes are serialized; calls may come from any thread.
 */
public final class RawMqttClient implements AutoCloseable {

    // Control packet types (§2.2.1).
    private static final int CONNECT = 1;
    private static final int CONNACK = 2;
    private static final int PUBLISH = 3;
    private static final int PUBACK = 4;
    private static final int PUBREC = 5;
    private static final int PUBREL = 6;
    private static final int PUBCOMP = 7;
    private static final int SUBSCRIBE = 8;
    private static final int SUBACK = 9;
    private static final int UNSUBSCRIBE = 10;
    private static final int UNSUBACK = 11;
    private static final int PINGREQ = 12;
    private static final int PINGRESP = 13;
    private static final int DISCONNECT = 14;

    /** Largest Remaining Length that four bytes can encode (§2.2.3). */
    private static final int MAX_REMAINING_LENGTH = 268_435_455;
    private static final int HISTORY = 50;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String peer;
    private final Thread reader;
    private final BlockingQueue<MqttPublish> publishes = new LinkedBlockingQueue<>();
    private final Map<Integer, CompletableFuture<List<Integer>>> subacks = new ConcurrentHashMap<>();
    private final Map<Integer, CompletableFuture<Void>> unsubacks = new ConcurrentHashMap<>();
    private final Map<Integer, CompletableFuture<Void>> pubacks = new ConcurrentHashMap<>();
    private final CompletableFuture<Connack> connack = new CompletableFuture<>();
    private final Deque<CompletableFuture<Void>> pingresps = new ArrayDeque<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final Deque<String> received = new ArrayDeque<>();
    private final Object writeLock = new Object();
    private volatile boolean autoPuback = true;
    private int nextPacketId = 1;

    private RawMqttClient(Socket socket, String peer) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.peer = peer;
        this.reader = new Thread(this::readLoop, "raw-mqtt-reader " + peer);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Opens a TCP connection; nothing is sent yet.
     *
     * @param host the broker's host name or address, e.g. {@code 127.0.0.1}
     * @param port the broker's TCP port
     * @param timeout how long the TCP connect may take; positive
     * @return a client whose reader thread runs; close it
     * @throws RawMqttException if the connection cannot be made within {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public static RawMqttClient open(String host, int port, Duration timeout) {
        Socket socket = connectSocket(host, port, timeout);
        try {
            return new RawMqttClient(socket, host + ":" + port);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new RawMqttException("cannot use the connection to " + host + ":" + port, e);
        }
    }

    /**
     * Opens a TLS connection and completes the handshake within {@code timeout}; the server's
     * certificate must match {@code host} (HTTPS endpoint identification, e.g. an IP SAN for
     * 127.0.0.1) and be trusted by {@code tls}.
     *
     * @param host the broker's host name or address; the certificate must name it
     * @param port the broker's TLS port
     * @param tls the socket factory whose trust (and key) managers are used, e.g. from
     *     {@code TestCertificates.clientContext}; not {@code null}
     * @param timeout how long the TCP connect and, separately, the handshake may take; positive
     * @return a client whose reader thread runs; close it
     * @throws RawMqttException if the connection or the handshake fails
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public static RawMqttClient openTls(String host, int port, SSLSocketFactory tls, Duration timeout) {
        Objects.requireNonNull(tls, "tls");
        Socket plain = connectSocket(host, port, timeout);
        try {
            SSLSocket socket = (SSLSocket) tls.createSocket(plain, host, port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(millis(timeout));
            socket.startHandshake();
            socket.setSoTimeout(0); // the reader thread blocks; callers' waits carry the timeouts
            return new RawMqttClient(socket, host + ":" + port + " (TLS)");
        } catch (IOException e) {
            closeQuietly(plain);
            throw new RawMqttException("TLS handshake with " + host + ":" + port + " failed: " + e, e);
        }
    }

    private static Socket connectSocket(String host, int port, Duration timeout) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), millis(timeout));
            return socket;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new RawMqttException("cannot connect to " + host + ":" + port + ": " + e, e);
        }
    }

    // ---- CONNECT / CONNACK (§3.1, §3.2) -------------------------------------------------------

    /**
     * Sends CONNECT and waits for CONNACK. A refused CONNACK (e.g. return code 5) is returned, not
     * thrown; the broker then closes the connection (§3.2.2.3).
     *
     * @param options the CONNECT fields; not {@code null}
     * @param timeout how long to wait for the CONNACK
     * @return the CONNACK as received
     * @throws RawMqttException if no CONNACK arrives within {@code timeout} or the connection closes
     */
    public Connack connect(ConnectOptions options, Duration timeout) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");            // Protocol Name (§3.1.2.1)
        body.write(4);                        // Protocol Level 4 = 3.1.1 (§3.1.2.2)
        int flags = (options.username() != null ? 0x80 : 0)   // User Name Flag (§3.1.2.8)
                | (options.password() != null ? 0x40 : 0)     // Password Flag (§3.1.2.9)
                | (options.cleanSession() ? 0x02 : 0);        // Clean Session (§3.1.2.4); no Will
        body.write(flags);
        writeShort(body, options.keepAliveSeconds());         // Keep Alive (§3.1.2.10)
        writeString(body, options.clientId());                // Payload order (§3.1.3)
        if (options.username() != null) {
            writeString(body, options.username());
        }
        if (options.password() != null) {
            writeString(body, options.password());
        }
        send(CONNECT << 4, body.toByteArray());
        return await(connack, timeout, "CONNACK");
    }

    // ---- SUBSCRIBE / SUBACK (§3.8, §3.9), UNSUBSCRIBE / UNSUBACK (§3.10, §3.11) --------------

    /**
     * Subscribes to one filter and returns the granted return code: 0, 1 or 2, or 0x80 (128) for
     * failure (§3.9.3).
     *
     * @param filter the topic filter; not empty
     * @param qos the requested QoS, 0, 1 or 2
     * @param timeout how long to wait for the SUBACK
     * @return the SUBACK return code for this filter
     * @throws IllegalArgumentException if the filter is empty or the QoS out of range
     * @throws RawMqttException if no SUBACK arrives within {@code timeout} or the connection closes
     */
    public int subscribe(String filter, int qos, Duration timeout) {
        return subscribe(List.of(new Subscription(filter, qos)), timeout).get(0);
    }

    /**
     * Sends one SUBSCRIBE with all {@code subscriptions} and returns the SUBACK return codes in order.
     *
     * @param subscriptions the filters with their requested QoS; at least one
     * @param timeout how long to wait for the SUBACK
     * @return one return code per filter, in order: 0, 1, 2 or 0x80 (128) for failure; unmodifiable
     * @throws IllegalArgumentException if {@code subscriptions} is empty
     * @throws RawMqttException if no SUBACK arrives within {@code timeout} or the connection closes
     */
    public List<Integer> subscribe(List<Subscription> subscriptions, Duration timeout) {
        if (subscriptions.isEmpty()) {
            throw new IllegalArgumentException("a SUBSCRIBE needs at least one filter (§3.8.3)");
        }
        int packetId = nextPacketId();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeShort(body, packetId);
        for (Subscription s : subscriptions) {
            writeString(body, s.filter());
            body.write(s.qos());              // Requested QoS, upper bits reserved 0 (§3.8.3.1)
        }
        CompletableFuture<List<Integer>> answer = new CompletableFuture<>();
        subacks.put(packetId, answer);
        send(SUBSCRIBE << 4 | 0x02, body.toByteArray()); // flags 0010 are mandatory (§3.8.1)
        return await(answer, timeout, "SUBACK for packet id " + packetId);
    }

    /**
     * Unsubscribes from the filters and waits for the UNSUBACK.
     *
     * @param filters the topic filters, exactly as subscribed
     * @param timeout how long to wait for the UNSUBACK
     * @throws RawMqttException if no UNSUBACK arrives within {@code timeout} or the connection closes
     */
    public void unsubscribe(List<String> filters, Duration timeout) {
        int packetId = nextPacketId();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeShort(body, packetId);
        filters.forEach(f -> writeString(body, f));
        CompletableFuture<Void> answer = new CompletableFuture<>();
        unsubacks.put(packetId, answer);
        send(UNSUBSCRIBE << 4 | 0x02, body.toByteArray()); // flags 0010 (§3.10.1)
        await(answer, timeout, "UNSUBACK for packet id " + packetId);
    }

    /**
     * One topic filter with its requested QoS (§3.8.3).
     *
     * @param filter the topic filter, wildcards allowed; not empty
     * @param qos the requested QoS, 0, 1 or 2
     */
    public record Subscription(String filter, int qos) {
        /**
         * Validates the filter and QoS.
         *
         * @param filter the topic filter; not empty
         * @param qos 0, 1 or 2
         * @throws IllegalArgumentException if the filter is null or empty or the QoS out of range
         */
        public Subscription {
            if (filter == null || filter.isEmpty()) {
                throw new IllegalArgumentException("filter must not be empty (§4.7.3)");
            }
            if (qos < 0 || qos > 2) {
                throw new IllegalArgumentException("qos must be 0, 1 or 2, was " + qos);
            }
        }
    }

    // ---- PUBLISH / PUBACK (§3.3, §3.4) --------------------------------------------------------

    /**
     * Publishes {@code payload} without retain; for QoS 1 waits for the PUBACK.
     *
     * @param topic the Topic Name; not {@code null}
     * @param payload the message bytes; not {@code null}
     * @param qos 0 or 1
     * @param timeout how long to wait for the PUBACK (unused for QoS 0)
     * @throws IllegalArgumentException for QoS 2, whose flow this client does not implement
     * @throws RawMqttException if the write fails or no PUBACK arrives within {@code timeout}
     */
    public void publish(String topic, byte[] payload, int qos, Duration timeout) {
        publish(MqttPublish.of(topic, payload, qos), timeout);
    }

    /**
     * Sends the PUBLISH exactly as given (flags, packet id); for QoS 1 waits for the PUBACK with the
     * same packet id. A packet id of 0 on a QoS 1 publish is replaced by the next free one.
     *
     * @param publish the packet to send; not {@code null}
     * @param timeout how long to wait for the PUBACK (unused for QoS 0)
     * @throws IllegalArgumentException for QoS 2, whose flow this client does not implement
     * @throws RawMqttException if the write fails or no PUBACK arrives within {@code timeout}
     */
    public void publish(MqttPublish publish, Duration timeout) {
        if (publish.qos() == 2) {
            throw new IllegalArgumentException("QoS 2 publishing is not implemented; use sendRaw for a raw QoS 2 PUBLISH");
        }
        int packetId = publish.qos() == 1 && publish.packetId() == 0 ? nextPacketId() : publish.packetId();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, publish.topic());          // Topic Name (§3.3.2.1)
        if (publish.qos() > 0) {
            writeShort(body, packetId);              // Packet Identifier (§3.3.2.2)
        }
        body.writeBytes(publish.payload());          // Payload (§3.3.3), no length prefix
        int flags = (publish.dup() ? 0x08 : 0) | publish.qos() << 1 | (publish.retain() ? 0x01 : 0); // §3.3.1
        if (publish.qos() == 0) {
            send(PUBLISH << 4 | flags, body.toByteArray());
            return;
        }
        CompletableFuture<Void> ack = new CompletableFuture<>();
        pubacks.put(packetId, ack);
        send(PUBLISH << 4 | flags, body.toByteArray());
        await(ack, timeout, "PUBACK for packet id " + packetId);
    }

    /**
     * Switches the automatic PUBACK for incoming QoS 1 publishes on (the default) or off.
     *
     * @param on {@code false} leaves acknowledging to {@link #puback(int)}; applies to publishes
     *     read after the call
     */
    public void autoPuback(boolean on) {
        this.autoPuback = on;
    }

    /**
     * Sends a PUBACK for an incoming QoS 1 publish (§3.4), e.g. after {@code autoPuback(false)}.
     *
     * @param packetId the publish's packet id, 1..65535; not checked, so a wrong one can be sent
     * @throws RawMqttException if the connection is closed or the write fails
     */
    public void puback(int packetId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeShort(body, packetId);
        send(PUBACK << 4, body.toByteArray());
    }

    /**
     * Takes the next incoming PUBLISH, waiting up to {@code timeout}.
     *
     * @param timeout how long to wait
     * @return the oldest publish not taken yet
     * @throws RawMqttException naming what was received instead, if none arrives in time
     */
    public MqttPublish takePublish(Duration timeout) {
        MqttPublish publish;
        try {
            publish = publishes.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RawMqttException("interrupted while waiting for a PUBLISH", e);
        }
        if (publish == null) {
            throw new RawMqttException("no PUBLISH from " + peer + " within " + timeout.toMillis() + " ms; "
                    + describeState());
        }
        return publish;
    }

    // ---- PINGREQ / PINGRESP (§3.12, §3.13), DISCONNECT (§3.14) -------------------------------

    /**
     * Sends PINGREQ and waits for PINGRESP.
     *
     * @param timeout how long to wait for the PINGRESP
     * @throws RawMqttException if no PINGRESP arrives within {@code timeout} or the connection closes
     */
    public void ping(Duration timeout) {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        synchronized (pingresps) {
            pingresps.add(answer);
        }
        send(PINGREQ << 4, new byte[0]);
        await(answer, timeout, "PINGRESP");
    }

    /** Sends DISCONNECT (§3.14) and closes the connection, as a well-behaved client does. */
    public void disconnect() {
        try {
            send(DISCONNECT << 4, new byte[0]);
        } finally {
            close();
        }
    }

    /**
     * Writes {@code bytes} as they are, e.g. a malformed packet.
     *
     * @param bytes the bytes to write, copied; no framing is added
     * @throws RawMqttException if the connection is closed or the write fails
     */
    public void sendRaw(byte[] bytes) {
        write(bytes.clone());
    }

    // ---- connection state ---------------------------------------------------------------------

    /**
     * Whether the connection is closed, by the broker or by us.
     *
     * @return {@code true} once closed; never goes back to {@code false}
     */
    public boolean isClosed() {
        return closed.isDone();
    }

    /**
     * Waits until the connection is closed (normally: the broker closed it).
     *
     * @param timeout how long to wait
     * @throws RawMqttException if it is still open after {@code timeout}
     */
    public void awaitClosed(Duration timeout) {
        try {
            closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new RawMqttException("the connection to " + peer + " is still open after "
                    + timeout.toMillis() + " ms; " + describeState());
        } catch (ExecutionException e) {
            throw new RawMqttException("unexpected failure", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RawMqttException("interrupted while waiting for the connection to close", e);
        }
    }

    /** Closes the socket without DISCONNECT (to the broker this looks like a lost connection). */
    @Override
    public void close() {
        markClosed("closed by this client");
        closeQuietly(socket);
    }

    @Override
    public String toString() {
        return "RawMqttClient[" + peer + (isClosed() ? ", closed" : "") + "]";
    }

    // ---- reading ------------------------------------------------------------------------------

    private void readLoop() {
        try {
            while (true) {
                int first = in.read();
                if (first < 0) {
                    markClosed("closed by the broker");
                    return;
                }
                byte[] body = readFully(readRemainingLength());
                dispatch(first >>> 4, first & 0x0F, body);
            }
        } catch (IOException e) {
            markClosed(isClosed() ? "closed by this client" : "connection failed: " + e);
        } catch (RuntimeException e) {
            markClosed("protocol error: " + e.getMessage());
            closeQuietly(socket);
        }
    }

    /** Decodes the variable-length Remaining Length (§2.2.3). */
    private int readRemainingLength() throws IOException {
        int value = 0;
        for (int i = 0, multiplier = 1; i < 4; i++, multiplier *= 128) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of stream inside a Remaining Length");
            }
            value += (b & 0x7F) * multiplier;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalStateException("malformed Remaining Length (more than 4 bytes, §2.2.3)");
    }

    private byte[] readFully(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("end of stream inside a packet body");
        }
        return bytes;
    }

    private void dispatch(int type, int flags, byte[] body) {
        switch (type) {
            case CONNACK -> {
                // Acknowledge Flags bit 0 = Session Present (§3.2.2.2); then the return code (§3.2.2.3).
                Connack c = new Connack((body[0] & 0x01) != 0, body[1] & 0xFF);
                record("CONNACK[rc=" + c.returnCode() + ", sessionPresent=" + c.sessionPresent() + "]");
                connack.complete(c);
            }
            case PUBLISH -> onPublish(flags, body);
            case PUBACK -> {
                int id = readShort(body, 0);
                record("PUBACK[id=" + id + "]");
                complete(pubacks.remove(id), null);
            }
            case SUBACK -> {
                int id = readShort(body, 0);
                List<Integer> codes = new ArrayList<>();
                for (int i = 2; i < body.length; i++) {
                    codes.add(body[i] & 0xFF); // 0x00..0x02 granted QoS, 0x80 failure (§3.9.3)
                }
                record("SUBACK[id=" + id + ", codes=" + codes + "]");
                complete(subacks.remove(id), List.copyOf(codes));
            }
            case UNSUBACK -> {
                int id = readShort(body, 0);
                record("UNSUBACK[id=" + id + "]");
                complete(unsubacks.remove(id), null);
            }
            case PINGRESP -> {
                record("PINGRESP");
                CompletableFuture<Void> waiting;
                synchronized (pingresps) {
                    waiting = pingresps.poll();
                }
                complete(waiting, null);
            }
            case PUBREC, PUBREL, PUBCOMP -> record("packet type " + type + " (QoS 2 flow, ignored)");
            default -> throw new IllegalStateException("a server must not send packet type " + type);
        }
    }

    private void onPublish(int flags, byte[] body) {
        int qos = (flags >>> 1) & 0x03;  // §3.3.1.2
        if (qos == 3) {
            throw new IllegalStateException("PUBLISH with QoS 3 is malformed (§3.3.1.2)");
        }
        int topicLength = readShort(body, 0);
        String topic = new String(body, 2, topicLength, StandardCharsets.UTF_8);
        int position = 2 + topicLength;
        int packetId = 0;
        if (qos > 0) {
            packetId = readShort(body, position);
            position += 2;
        }
        byte[] payload = Arrays.copyOfRange(body, position, body.length);
        MqttPublish publish = new MqttPublish(topic, payload, qos, (flags & 0x01) != 0, (flags & 0x08) != 0, packetId);
        record(publish.toString());
        if (qos == 1 && autoPuback) {
            // §4.3.2: the receiver answers a QoS 1 PUBLISH with PUBACK; sent before the publish is
            // handed out, so a caller that took it knows it was acknowledged.
            puback(packetId);
        }
        publishes.add(publish);
    }

    private static <T> void complete(CompletableFuture<T> future, T value) {
        if (future != null) {
            future.complete(value);
        }
    }

    private void markClosed(String why) {
        if (!closed.complete(why)) {
            return;
        }
        record("connection " + why);
        RawMqttException error = new RawMqttException("the connection to " + peer + " was " + why);
        connack.completeExceptionally(error);
        subacks.values().forEach(f -> f.completeExceptionally(error));
        unsubacks.values().forEach(f -> f.completeExceptionally(error));
        pubacks.values().forEach(f -> f.completeExceptionally(error));
        synchronized (pingresps) {
            pingresps.forEach(f -> f.completeExceptionally(error));
        }
    }

    private void record(String event) {
        synchronized (received) {
            if (received.size() == HISTORY) {
                received.removeFirst();
            }
            received.addLast(event);
        }
    }

    private String describeState() {
        List<String> seen;
        synchronized (received) {
            seen = List.copyOf(received);
        }
        return "received so far (oldest first): " + (seen.isEmpty() ? "nothing" : String.join(", ", seen))
                + "; connection " + (isClosed() ? closed.getNow("closed") : "open");
    }

    // ---- writing ------------------------------------------------------------------------------

    /** Frames {@code body} with the fixed header (§2.2) and writes it in one call. */
    private void send(int firstByte, byte[] body) {
        if (body.length > MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("packet body of " + body.length + " bytes exceeds §2.2.3's maximum");
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream(body.length + 5);
        packet.write(firstByte);
        int length = body.length;
        do { // Remaining Length encoding (§2.2.3)
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.writeBytes(body);
        write(packet.toByteArray());
    }

    private void write(byte[] bytes) {
        if (isClosed()) {
            throw new RawMqttException("cannot send to " + peer + ": " + describeState());
        }
        synchronized (writeLock) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                markClosed("broken while writing: " + e);
                throw new RawMqttException("cannot send to " + peer + ": " + e, e);
            }
        }
    }

    private synchronized int nextPacketId() {
        int id = nextPacketId;
        nextPacketId = id == 0xFFFF ? 1 : id + 1; // non-zero 16-bit ids (§2.3.1)
        return id;
    }

    private <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new RawMqttException("no " + what + " from " + peer + " within " + timeout.toMillis() + " ms; "
                    + describeState());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RawMqttException r
                    ? new RawMqttException("no " + what + ": " + r.getMessage() + "; " + describeState(), r)
                    : new RawMqttException("no " + what + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RawMqttException("interrupted while waiting for " + what, e);
        }
    }

    /** UTF-8 encoded string with a two-byte length prefix (§1.5.3). */
    private static void writeString(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("string longer than 65535 bytes (§1.5.3): " + value.substring(0, 40) + "...");
        }
        writeShort(out, bytes.length);
        out.writeBytes(bytes);
    }

    /** Two-byte big-endian integer (§1.5.2). */
    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8 & 0xFF);
        out.write(value & 0xFF);
    }

    private static int readShort(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 8 | bytes[offset + 1] & 0xFF;
    }

    private static int millis(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing left to do with a socket that cannot even be closed.
        }
    }
}
