package dev.iotdm.bench;

import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.testkit.broker.Mosquitto;
import dev.iotdm.testkit.fleet.Footprint;
import dev.iotdm.testkit.platform.FakePlatform;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * P3: fleets of idle devices in this JVM against a broker in ANOTHER process (so the heap and
 * threads counted are the devices' own): heap and threads per idle device, and the rate they come
 * up at. Two brokers:
 * <ul>
 *   <li>the fake platform on its embedded HiveMQ in a child JVM: each device connects and
 *       manages (the platform answers); as many Netty devices as {@link #PLATFORM_DEVICES_PROPERTY}
 *       asks (default {@value #PLATFORM_DEVICES}), a few hundred Paho ones;</li>
 *   <li>mosquitto (the {@code Mosquitto} fixture, a child process, when installed): each device
 *       connects and subscribes only, since a plain broker has no per-device topics and a platform
 *       answer would reach every device; as many Netty devices as {@link #MOSQUITTO_DEVICES_PROPERTY}
 *       asks (default {@value #MOSQUITTO_DEVICES}), a few hundred Paho ones (four threads each).</li>
 * </ul>
 * Reports the open-file limit of both processes (mosquitto inherits this one's).
 */
final class FleetRatios {

    static final String ORG = "bench";
    static final String TYPE = "fleet";
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Connects in flight at once while the fleet comes up. */
    static final int IN_FLIGHT = 64;
    /** The system property that sets how many Netty devices the mosquitto row brings up. */
    static final String MOSQUITTO_DEVICES_PROPERTY = "iotdm.bench.p3.devices";
    /** How many Netty devices the mosquitto row brings up by default. */
    static final int MOSQUITTO_DEVICES = 15_000;
    /** The system property that sets how many Netty devices the platform row brings up. */
    static final String PLATFORM_DEVICES_PROPERTY = "iotdm.bench.p3.platform.devices";
    /** How many Netty devices the platform row brings up by default (enough to leave the JIT's warm-up behind). */
    static final int PLATFORM_DEVICES = 1_000;
    /**
     * The system property that names the transports measured, comma-separated (default: every
     * row); e.g. {@code netty} to profile the Netty rows alone.
     */
    static final String TRANSPORTS_PROPERTY = "iotdm.bench.p3.transports";
    /**
     * The system property that, when {@code true}, prints beside each row the CPU each group of
     * this JVM's threads spent per device (JIT and GC threads and kernel time included).
     */
    static final String THREADS_PROPERTY = "iotdm.bench.p3.threads";
    /**
     * The system property that sets how many devices of a row come up (and manage) and close
     * again before the measured fleet, with the measured fleet's ids (at most the row's size;
     * default 1): the JIT compiles the connect path meanwhile, which a cold row pays per device.
     */
    static final String WARMUP_PROPERTY = "iotdm.bench.p3.warmup";

    private FleetRatios() {
    }

    static String token(int i) {
        return "fleet-token-" + i;
    }

    static void run(PrintStream out, boolean smoke) throws Exception {
        int paho = smoke ? 3 : 300;
        int netty = smoke ? 3 : Integer.getInteger(PLATFORM_DEVICES_PROPERTY, PLATFORM_DEVICES);
        List<List<String>> rows = new ArrayList<>();
        String brokerLimit;
        Process server = startPlatformProcess(paho + 1 + netty + 1);
        CompletableFuture<String> ready = new CompletableFuture<>();
        // The platform process logs to its standard output too: read it all (a full pipe would
        // stall the broker), pick out the PORT line.
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("PORT ")) {
                        ready.complete(line);
                    }
                }
                ready.completeExceptionally(new IllegalStateException("the platform process ended without a port"));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        }, "dm-bench-platform-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String[] parts = ready.get(2, TimeUnit.MINUTES).split(" ", 3);
            int port = Integer.parseInt(parts[1]);
            brokerLimit = parts[2];
            int offset = 0;
            for (Row row : rows()) {
                int n = row.transport().equals("paho") ? paho : netty;
                rows.add(measure(row, port, offset, n, true, server.toHandle()));
                offset += n + 1;
            }
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        out.printf("P3 fleet: idle managed devices in this JVM; platform and broker in another process"
                + " (the fake platform on HiveMQ CE); open-file limit: devices %s, broker %s%n", Machine.openFileLimit(),
                brokerLimit);
        out.print(Ratios.table(header("connect+manage"), rows));
        if (Files.isExecutable(Mosquitto.BINARY)) {
            onMosquitto(out, smoke);
        } else {
            out.println("P3 on mosquitto: skipped, " + Mosquitto.BINARY + " is not installed");
        }
    }

    /** The idle fleets on mosquitto: connect+subscribe, no manage (see the class comment). */
    private static void onMosquitto(PrintStream out, boolean smoke) throws Exception {
        int netty = smoke ? 3 : Integer.getInteger(MOSQUITTO_DEVICES_PROPERTY, MOSQUITTO_DEVICES);
        int paho = smoke ? 3 : 300;
        List<List<String>> rows = new ArrayList<>();
        try (Mosquitto broker = Mosquitto.start(TIMEOUT)) {
            ProcessHandle process = ProcessHandle.current().children()
                    .filter(h -> h.info().command().map(c -> c.equals(Mosquitto.BINARY.toString())).orElse(false))
                    .findFirst().orElse(null);
            int offset = 0;
            for (Row row : rows()) {
                int n = row.transport().equals("paho") ? paho : netty;
                rows.add(measure(row, broker.port(), offset, n, false, process));
                offset += n + 1;
            }
        }
        out.printf("P3 fleet on mosquitto %s (another process, open-file limit %s as inherited): idle devices"
                + " connected and subscribed, not managed (a plain broker cannot route the platform's answers)%n",
                mosquittoVersion(), Machine.openFileLimit());
        out.print(Ratios.table(header("connect+subscribe"), rows));
    }

    /** The rows {@link #TRANSPORTS_PROPERTY} asks for, in {@link Row#ALL}'s order. */
    private static List<Row> rows() {
        String asked = System.getProperty(TRANSPORTS_PROPERTY);
        if (asked == null) {
            return Row.ALL;
        }
        List<String> names = List.of(asked.split(","));
        List<Row> rows = Row.ALL.stream().filter(r -> names.contains(r.transport())).toList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(TRANSPORTS_PROPERTY + "=" + asked + " names no transport of " + Row.ALL);
        }
        return rows;
    }

    private static String mosquittoVersion() {
        try {
            Process p = new ProcessBuilder(Mosquitto.BINARY.toString(), "-h").redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("");
            p.waitFor(10, TimeUnit.SECONDS);
            int at = first.indexOf("version ");
            return at < 0 ? "" : first.substring(at).trim();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * The columns of a P3 table. Beside the rate on this (shared) machine, the CPU time each
     * device's coming up cost this JVM and the broker's process: unlike the rate it hardly
     * depends on what else runs, and it gives the rate the CPU allows when both have every core.
     */
    private static List<String> header(String what) {
        return List.of("transport", "devices", "heap KiB / idle device", "threads / idle device", what + " / s",
                "CPU ms / device: devices", "CPU ms / device: broker",
                what + " / s the CPU allows on " + Runtime.getRuntime().availableProcessors() + " cores");
    }

    /** CPU time a process has used so far, in nanoseconds; -1 when unknown. */
    private static long cpuNanos(ProcessHandle p) {
        return p == null ? -1 : p.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    private static List<String> measure(Row row, int port, int offset, int n, boolean manage, ProcessHandle broker)
            throws Exception {
        // One device up and down first, so class loading and shared pools are not counted per device.
        List<ManagedClient> first = up(row, port, offset, 1, manage);
        first.forEach(ManagedClient::close);
        int warmup = Math.min(n, Integer.getInteger(WARMUP_PROPERTY, 1) - 1);
        if (warmup > 0) {
            closeAll(up(row, port, offset + 1, warmup, manage));
        }
        Footprint before = Footprint.now();
        List<ManagedClient> clients = new ArrayList<>(n);
        try {
            ThreadCpu threadsBefore = ThreadCpu.now();
            long cpuBefore = cpuNanos(ProcessHandle.current());
            long brokerBefore = cpuNanos(broker);
            long start = System.nanoTime();
            clients.addAll(up(row, port, offset + 1, n, manage));
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMs = (cpuNanos(ProcessHandle.current()) - cpuBefore) / 1e6 / n;
            if (Boolean.getBoolean(THREADS_PROPERTY)) {
                System.out.printf("CPU of this JVM's threads while %d %s devices came up:%n%s", n, row.label(),
                        ThreadCpu.now().since(threadsBefore, n));
            }
            long brokerAfter = cpuNanos(broker);
            double brokerMs = brokerBefore < 0 || brokerAfter < 0 ? Double.NaN : (brokerAfter - brokerBefore) / 1e6 / n;
            Footprint added = Footprint.now().minus(before);
            return List.of(row.label(), Integer.toString(n), String.format("%.1f", added.heapKiBPer(n)),
                    String.format("%.2f", added.threadsPer(n)),
                    String.format("%.1f", n / seconds), String.format("%.2f", cpuMs), String.format("%.2f", brokerMs),
                    String.format("%.0f", Runtime.getRuntime().availableProcessors() * 1000 / (cpuMs + brokerMs)));
        } finally {
            closeAll(clients);
        }
    }

    /** Closes the devices, {@link #IN_FLIGHT} at a time. */
    private static void closeAll(List<ManagedClient> clients) throws Exception {
        ExecutorService closer = Executors.newFixedThreadPool(IN_FLIGHT);
        try {
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            for (ManagedClient c : clients) {
                closing.add(CompletableFuture.runAsync(c::close, closer));
            }
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        } finally {
            closer.shutdown();
        }
    }

    /**
     * Connects (and manages, if asked) devices {@code from..from+n-1}, keeping {@link #IN_FLIGHT}
     * of them coming up at once.
     */
    private static List<ManagedClient> up(Row row, int port, int from, int n, boolean manage) throws Exception {
        List<ManagedClient> clients = new ArrayList<>(n);
        Semaphore window = new Semaphore(IN_FLIGHT);
        CompletableFuture<Void> failed = new CompletableFuture<>();
        try {
            for (int i = 0; i < n && !failed.isDone(); i++) {
                int k = from + i;
                DeviceOptions options = DeviceOptions.builder().org(ORG).typeId(TYPE).deviceId("fleet-" + k)
                        .token(token(k)).host("127.0.0.1").port(port).withoutTls().mqttVersion(row.mqttVersion())
                        .build();
                ManagedClient c = ManagedClient.builder(options).transport(row.transport()).requestTimeout(TIMEOUT)
                        .connectTimeout(TIMEOUT).build();
                clients.add(c);
                if (!window.tryAcquire(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("no device came up within " + TIMEOUT + " after " + i);
                }
                CompletableFuture<?> coming = manage ? c.connect().thenCompose(ok -> c.manage(0, false, false))
                        : c.connect();
                coming.whenComplete((ok, err) -> {
                    window.release();
                    if (err != null) {
                        failed.completeExceptionally(new IllegalStateException(
                                "device " + k + " did not come up after " + clients.size() + " devices: " + err, err));
                    }
                });
            }
            if (!window.tryAcquire(IN_FLIGHT, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the last devices did not come up within " + TIMEOUT);
            }
            if (failed.isDone()) {
                failed.join();
            }
        } catch (Exception e) {
            clients.forEach(ManagedClient::close);
            throw e;
        }
        return clients;
    }

    private static Process startPlatformProcess(int devices) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Bench.class.getName(),
                "platform", Integer.toString(devices))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /**
     * The other process: the fake platform on an embedded broker with the fleet registered; prints
     * {@code PORT <port> <open-file limit>} and serves until its standard input closes.
     */
    static void servePlatform(int devices) throws IOException {
        try (FakePlatform platform = FakePlatform.start()) {
            for (int i = 0; i < devices; i++) {
                platform.registerDevice(ORG, TYPE, "fleet-" + i, token(i));
            }
            System.out.println("PORT " + platform.broker().port() + " " + Machine.openFileLimit());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the parent closes our input
            }
        }
    }
}
