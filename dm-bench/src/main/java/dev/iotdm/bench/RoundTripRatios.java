package dev.iotdm.bench;

import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.testkit.broker.Mosquitto;
import dev.iotdm.testkit.platform.FakePlatform;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * P2: sequential device requests (addErrorCode, answered with 200) from a {@link ManagedClient}
 * over each transport of {@link Row#ALL}, against the floor: a bare Paho MQTT 5 client speaking
 * the same DM JSON on the same broker. Each round runs a block of requests on each side, the order
 * alternating; p50 and p99 are taken per round and their ratios summarised over the rounds.
 * Connect+manage time is measured the same way. Two brokers:
 * <ul>
 *   <li>the fake platform on its embedded HiveMQ CE (in this JVM), which answers per device;</li>
 *   <li>mosquitto (the {@code Mosquitto} fixture, another process, when installed) with a
 *       {@link Responder} answering every request: a plain broker has no per-device topics, so a
 *       device would also receive the other side's answers; each block there runs on a device
 *       connected (and managed) for that block alone, before the clock starts.</li>
 * </ul>
 */
final class RoundTripRatios {

    static final String ORG = "bench";
    static final String TYPE = "rt";
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private RoundTripRatios() {
    }

    /** One device that sends addErrorCode and waits for the answer. */
    interface Device extends AutoCloseable {
        void connectAndManage() throws Exception;

        void addErrorCode(int code) throws Exception;

        @Override
        void close() throws Exception;
    }

    static void run(PrintStream out, boolean smoke) throws Exception {
        int rounds = smoke ? 1 : 5;
        int perRound = smoke ? 20 : 1000;
        int connects = smoke ? 1 : 8;
        List<String> header = List.of("device", "p50 / bare (<=1.15)", "p99 / bare (<=1.3)", "ops/s / bare",
                "connect+manage / bare");
        try (FakePlatform platform = FakePlatform.start()) {
            Target target = Target.of(platform);
            List<List<String>> rows = new ArrayList<>();
            for (Row row : Row.ALL) {
                rows.add(measure(target, row, false, rounds, perRound, connects));
            }
            out.printf("P2 round trip: sequential addErrorCode -> 200, %d rounds x %d requests per side,"
                    + " embedded HiveMQ CE on 127.0.0.1; floor = bare Paho MQTT 5 client, same JSON%n",
                    rounds, perRound);
            out.print(Ratios.table(header, rows));
        }
        if (!Files.isExecutable(Mosquitto.BINARY)) {
            out.println("P2 on mosquitto: skipped, " + Mosquitto.BINARY + " is not installed");
            return;
        }
        try (Mosquitto broker = Mosquitto.start(TIMEOUT); Responder responder = Responder.start(broker)) {
            Target target = Target.of(broker);
            List<List<String>> rows = new ArrayList<>();
            for (Row row : Row.ALL) {
                rows.add(measure(target, row, true, rounds, perRound, connects));
            }
            out.printf("P2 round trip on mosquitto (another process): sequential addErrorCode -> 200 from a"
                    + " bare responder, %d rounds x %d requests per side, one device connected at a time;"
                    + " floor = bare Paho MQTT 5 client, same JSON%n", rounds, perRound);
            out.print(Ratios.table(header, rows));
        }
    }

    /**
     * Where devices connect and how they get their credentials.
     *
     * @param host the broker's host
     * @param port the broker's port
     * @param registry registers a device id with its token and returns its client id
     */
    record Target(String host, int port, BiFunction<String, String, String> registry) {

        static Target of(FakePlatform platform) {
            return new Target(platform.broker().host(), platform.broker().port(),
                    (id, token) -> platform.registerDevice(ORG, TYPE, id, token));
        }

        /** mosquitto lets anyone in: the client id is all a device needs. */
        static Target of(Mosquitto broker) {
            return new Target(broker.host(), broker.port(), (id, token) -> "d:" + ORG + ":" + TYPE + ":" + id);
        }
    }

    /** Runs a block of sequential requests and returns each one's latency. */
    @FunctionalInterface
    private interface Blocks {
        long[] run(int n) throws Exception;
    }

    private static final AtomicLong IDS = new AtomicLong();

    private static List<String> measure(Target target, Row transport, boolean fresh, int rounds, int perRound,
            int connects) throws Exception {
        double[] p50 = new double[rounds];
        double[] p99 = new double[rounds];
        double[] rate = new double[rounds];
        List<Device> open = new ArrayList<>();
        try {
            Blocks bare;
            Blocks managed;
            if (fresh) {
                bare = n -> freshBlock(() -> bare(target), n);
                managed = n -> freshBlock(() -> managed(target, transport), n);
            } else {
                Device b = bare(target);
                open.add(b);
                Device m = managed(target, transport);
                open.add(m);
                b.connectAndManage();
                m.connectAndManage();
                bare = n -> block(b, n);
                managed = n -> block(m, n);
            }
            // Warm-up: JIT and broker paths on both sides (a smoke run only checks that it runs).
            if (rounds > 1) {
                bare.run(Math.max(10, perRound / 5));
                managed.run(Math.max(10, perRound / 5));
            }
            for (int r = 0; r < rounds; r++) {
                long[] b;
                long[] m;
                if (r % 2 == 0) {
                    b = bare.run(perRound);
                    m = managed.run(perRound);
                } else {
                    m = managed.run(perRound);
                    b = bare.run(perRound);
                }
                p50[r] = percentile(m, 0.50) / percentile(b, 0.50);
                p99[r] = percentile(m, 0.99) / percentile(b, 0.99);
                rate[r] = (double) sum(b) / sum(m);
            }
        } finally {
            for (Device d : open) {
                d.close();
            }
        }
        double[] connect = new double[connects];
        for (int r = 0; r < connects; r++) {
            long b = timeConnect(() -> bare(target));
            long m = timeConnect(() -> managed(target, transport));
            connect[r] = (double) m / b;
        }
        return List.of(transport.label(), Ratios.Spread.of(p50).ratio(), Ratios.Spread.of(p99).ratio(),
                Ratios.Spread.of(rate).ratio(), Ratios.Spread.of(connect).ratio());
    }

    /** A block on a device connected (and managed) for it alone; only the requests are timed. */
    private static long[] freshBlock(DeviceFactory factory, int n) throws Exception {
        try (Device d = factory.create()) {
            d.connectAndManage();
            return block(d, n);
        }
    }

    @FunctionalInterface
    private interface DeviceFactory {
        Device create() throws Exception;
    }

    private static long timeConnect(DeviceFactory factory) throws Exception {
        long start = System.nanoTime();
        try (Device d = factory.create()) {
            d.connectAndManage();
            return System.nanoTime() - start;
        }
    }

    private static long[] block(Device d, int n) throws Exception {
        long[] latencies = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            d.addErrorCode(i);
            latencies[i] = System.nanoTime() - start;
        }
        return latencies;
    }

    private static double percentile(long[] values, double q) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[Math.min(v.length - 1, (int) Math.ceil(q * v.length) - 1)];
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }

    static Device managed(Target target, Row row) {
        String id = "managed-" + IDS.incrementAndGet();
        String token = "token-" + id;
        target.registry().apply(id, token);
        DeviceOptions options = DeviceOptions.builder().org(ORG).typeId(TYPE).deviceId(id).token(token)
                .host(target.host()).port(target.port()).withoutTls()
                .mqttVersion(row.mqttVersion()).build();
        ManagedClient client = ManagedClient.builder(options).transport(row.transport()).requestTimeout(TIMEOUT)
                .build();
        return new Device() {
            @Override
            public void connectAndManage() throws Exception {
                ManagedClient.await(client.connect(), TIMEOUT);
                ManagedClient.await(client.manage(0, false, false), TIMEOUT);
            }

            @Override
            public void addErrorCode(int code) throws Exception {
                ManagedClient.await(client.addErrorCode(code), TIMEOUT);
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /** The floor: Paho's async MQTT 5 client, the DM JSON written and read by hand. */
    static Device bare(Target target) throws MqttException {
        String id = "bare-" + IDS.incrementAndGet();
        String token = "token-" + id;
        String clientId = target.registry().apply(id, token);
        MqttAsyncClient client = new MqttAsyncClient("tcp://" + target.host() + ":" + target.port(), clientId,
                new MemoryPersistence());
        Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
        client.setCallback(new PahoCallbacks() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                String json = new String(message.getPayload(), StandardCharsets.UTF_8);
                String reqId = field(json, "reqId");
                CompletableFuture<String> f = reqId == null ? null : pending.remove(reqId);
                if (f != null) {
                    f.complete(json);
                }
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
                pending.values().forEach(f -> f.completeExceptionally(
                        new IllegalStateException("bare client disconnected: " + response)));
            }
        });
        return new Device() {
            @Override
            public void connectAndManage() throws Exception {
                MqttConnectionOptions o = new MqttConnectionOptions();
                o.setUserName(DeviceOptions.TOKEN_USERNAME);
                o.setPassword(token.getBytes(StandardCharsets.UTF_8));
                o.setCleanStart(true);
                o.setAutomaticReconnect(false);
                o.setSocketFactory(new NoDelaySocketFactory());
                client.connect(o).waitForCompletion(TIMEOUT.toMillis());
                client.subscribe("iotdm-1/#", 1).waitForCompletion(TIMEOUT.toMillis());
                request("iotdevice-1/mgmt/manage", "{\"d\":{\"supports\":{\"deviceActions\":false,"
                        + "\"firmwareActions\":false}},\"reqId\":\"%s\"}");
            }

            @Override
            public void addErrorCode(int code) throws Exception {
                request("iotdevice-1/add/diag/errorCodes", "{\"d\":{\"errorCode\":" + code + "},\"reqId\":\"%s\"}");
            }

            private void request(String topic, String template) throws Exception {
                String reqId = Long.toString(IDS.incrementAndGet());
                CompletableFuture<String> answer = new CompletableFuture<>();
                pending.put(reqId, answer);
                client.publish(topic, String.format(template, reqId).getBytes(StandardCharsets.UTF_8), 1, false);
                String json = answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (!"200".equals(field(json, "rc"))) {
                    throw new IllegalStateException("platform answered " + json);
                }
            }

            @Override
            public void close() throws MqttException {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(TIMEOUT.toMillis());
                }
                client.close();
            }
        };
    }

    /** The text of a top-level string or number member, as a hand-rolled DM client reads it. */
    static String field(String json, String name) {
        String key = "\"" + name + "\":";
        int at = json.indexOf(key);
        if (at < 0) {
            return null;
        }
        int start = at + key.length();
        if (json.charAt(start) == '"') {
            int end = json.indexOf('"', start + 1);
            return end < 0 ? null : json.substring(start + 1, end);
        }
        int end = start;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return json.substring(start, end);
    }
}
