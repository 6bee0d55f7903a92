package dev.iotdm.cli;

import dev.iotdm.cli.FleetStats.Op;
import dev.iotdm.client.ClientEvent;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LogSeverity;
import dev.iotdm.protocol.supervisor.LifecycleEvent;
import dev.iotdm.testkit.fleet.Footprint;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Qos;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One run of {@code dm-cli fleet}: starts the embedded platform unless an external broker was
 * given, brings every device up (connect+manage, a bounded number at a time), measures the heap
 * and threads the idle fleet added, then issues the traffic mix open-loop at the given rate
 * (each operation on a random device, whether or not earlier ones have finished), prints a
 * progress line every second and finally the table. Latencies and errors come from the futures
 * the client returns; reconnects from its event stream.
 *
 * <p>Owns the platform it started, the clients and its ticker thread; closes them all.
 *
 * <p>Thread-safety: one run, driven from one thread; completions arrive on the clients' threads.
 */
final class FleetRun {

    /** Connects and manages in flight at once while the fleet comes up. */
    static final int CONNECTS_IN_FLIGHT = 64;
    /** How often the ticker issues the operations that have come due. */
    static final Duration TICK = Duration.ofMillis(10);
    /** The mix: weights of the traffic operations, in {@link Op} order after CONNECT_MANAGE. */
    private static final Op[] MIX = {
        Op.SET_LOCATION, Op.SET_LOCATION, Op.SET_LOCATION,
        Op.ADD_ERROR_CODE, Op.ADD_ERROR_CODE,
        Op.CLEAR_ERROR_CODES,
        Op.ADD_LOG, Op.ADD_LOG,
        Op.EVENT_QOS1, Op.EVENT_QOS1,
    };

    /**
     * What the command line asked for.
     *
     * @param devices how many devices
     * @param rate operations per second over the fleet
     * @param duration how long the traffic runs
     * @param transport the transport provider's name
     * @param version the MQTT version
     * @param org the devices' organisation
     * @param type the devices' type
     * @param broker an external broker, or null for the embedded platform
     * @param token the devices' token on the external broker, null otherwise
     * @param timeout how long one operation may take
     */
    record Settings(int devices, int rate, Duration duration, String transport, MqttVersion version, String org,
            String type, FleetCommand.HostPort broker, String token, Duration timeout) {

        /** Never prints the token. */
        @Override
        public String toString() {
            return "Settings[devices=" + devices + ", rate=" + rate + ", duration=" + duration + ", transport="
                    + transport + ", broker=" + broker + "]";
        }
    }

    private final PrintStream out;
    private final Settings settings;
    private final FleetStats stats = new FleetStats();
    private final SplittableRandom random = new SplittableRandom();
    private final Object idle = new Object();
    /** Operations issued and not yet finished; guarded by {@link #idle}. */
    private long inFlight;
    private volatile boolean counting;

    FleetRun(PrintStream out, Settings settings) {
        this.out = Objects.requireNonNull(out, "out");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Runs and returns the exit code. */
    int run() throws Exception {
        FakePlatform platform = settings.broker() == null ? FakePlatform.start() : null;
        List<ManagedClient> clients = new ArrayList<>(settings.devices());
        try {
            String host = platform != null ? platform.broker().host() : settings.broker().host();
            int port = platform != null ? platform.broker().port() : settings.broker().port();
            out.printf(Locale.ROOT, "fleet: %d devices over %s (%s) to %s:%d (%s), %d ops/s for %d s%n",
                    settings.devices(), settings.transport(), label(settings.version()), host, port,
                    platform != null ? "embedded fake platform" : "external broker", settings.rate(),
                    settings.duration().toSeconds());
            Footprint before = Footprint.now();
            long upStart = System.nanoTime();
            up(platform, host, port, clients);
            double upSeconds = (System.nanoTime() - upStart) / 1e9;
            Footprint after = Footprint.now();
            int managed = stats.count(Op.CONNECT_MANAGE);
            out.printf(Locale.ROOT, "up: %d of %d devices managed in %.1f s (%.0f per second)%n", managed,
                    settings.devices(), upSeconds, managed / upSeconds);
            if (managed > 0) {
                traffic(clients);
            }
            printTable(managed, after.minus(before), after.threads(), platform != null);
        } finally {
            counting = false;
            closeAll(clients);
            if (platform != null) {
                platform.close();
            }
        }
        boolean ok = stats.errors() == 0 && stats.count(Op.CONNECT_MANAGE) == settings.devices();
        out.println(ok ? "FLEET OK: " + stats.trafficOps() + " operations, no errors"
                : "FLEET FAILED: " + stats.errors() + " errors; first: " + stats.firstError());
        return ok ? DmCli.OK : DmCli.FAILED;
    }

    /** Connects and manages every device, {@link #CONNECTS_IN_FLIGHT} at a time. */
    private void up(FakePlatform platform, String host, int port, List<ManagedClient> clients)
            throws InterruptedException {
        Semaphore slots = new Semaphore(CONNECTS_IN_FLIGHT);
        counting = true;
        for (int i = 0; i < settings.devices(); i++) {
            String id = "fleet-" + i;
            String token = settings.token() != null ? settings.token() : "fleet-token-" + i;
            if (platform != null) {
                platform.registerDevice(settings.org(), settings.type(), id, token);
            }
            DeviceOptions options = DeviceOptions.builder().org(settings.org()).typeId(settings.type()).deviceId(id)
                    .token(token).host(host).port(port).withoutTls().mqttVersion(settings.version()).build();
            ManagedClient client = ManagedClient.builder(options).transport(settings.transport())
                    .requestTimeout(settings.timeout()).connectTimeout(settings.timeout())
                    .listener(this::onEvent).build();
            clients.add(client);
            slots.acquire();
            long start = System.nanoTime();
            client.connect().thenCompose(ok -> client.manage(0, false, false))
                    .whenComplete((ok, err) -> {
                        slots.release();
                        record(Op.CONNECT_MANAGE, start, err);
                    });
        }
        if (!slots.tryAcquire(CONNECTS_IN_FLIGHT, settings.timeout().toMillis() * 2, TimeUnit.MILLISECONDS)) {
            out.println("up: not every device answered within " + settings.timeout().multipliedBy(2));
        }
    }

    /** A lost connection is a reconnect to come: the client reconnects by itself. */
    private void onEvent(ClientEvent event) {
        if (counting && event instanceof ClientEvent.Lifecycle l && l.event() instanceof LifecycleEvent.Disconnected) {
            stats.reconnected();
        }
    }

    /** Issues the mix at the rate for the duration, printing progress, then waits for the stragglers. */
    private void traffic(List<ManagedClient> clients) throws InterruptedException {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "iotdm-fleet-ticker");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        long end = start + settings.duration().toNanos();
        long[] issued = {0};
        long[] nextReport = {start + TimeUnit.SECONDS.toNanos(1)};
        CompletableFuture<Void> done = new CompletableFuture<>();
        ticker.scheduleAtFixedRate(() -> {
            long now = Math.min(System.nanoTime(), end);
            long due = (long) ((now - start) / 1e9 * settings.rate());
            for (; issued[0] < due; issued[0]++) {
                issue(clients.get(random.nextInt(clients.size())), MIX[random.nextInt(MIX.length)]);
            }
            if (now >= nextReport[0] || now == end) {
                progress((now - start) / 1e9);
                nextReport[0] += TimeUnit.SECONDS.toNanos(1);
            }
            if (now == end) {
                done.complete(null);
            }
        }, 0, TICK.toNanos(), TimeUnit.NANOSECONDS);
        try {
            done.get(settings.duration().toMillis() + settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            out.println("traffic: the ticker did not finish: " + DmCli.describe(e));
        } finally {
            ticker.shutdownNow();
        }
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        synchronized (idle) {
            while (inFlight > 0 && System.nanoTime() < deadline) {
                idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress(seconds);
    }

    private void issue(ManagedClient c, Op op) {
        synchronized (idle) {
            inFlight++;
        }
        long start = System.nanoTime();
        CompletableFuture<?> f;
        try {
            f = call(c, op).get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((ok, err) -> {
            record(op, start, err);
            synchronized (idle) {
                if (--inFlight == 0) {
                    idle.notifyAll();
                }
            }
        });
    }

    private Supplier<CompletableFuture<?>> call(ManagedClient c, Op op) {
        return switch (op) {
            case SET_LOCATION -> () -> c.setLocation(Location.of(random.nextDouble(-90, 90), random.nextDouble(-180, 180)));
            case ADD_ERROR_CODE -> () -> c.addErrorCode(random.nextInt(1, 100));
            case CLEAR_ERROR_CODES -> c::clearErrorCodes;
            case ADD_LOG -> () -> c.addLog("fleet log entry", LogSeverity.INFORMATIONAL);
            case EVENT_QOS1 -> () -> c.publishEvent("fleet", new JsonString("tick"), Qos.AT_LEAST_ONCE);
            case CONNECT_MANAGE -> throw new IllegalArgumentException("connect+manage is not part of the mix");
        };
    }

    private void record(Op op, long start, Throwable err) {
        if (err == null) {
            stats.succeeded(op, System.nanoTime() - start);
        } else {
            stats.failed(op, err instanceof CompletionException && err.getCause() != null
                    ? err.getCause() : err);
        }
    }

    private void progress(double seconds) {
        long ops;
        synchronized (idle) {
            ops = inFlight;
        }
        out.printf(Locale.ROOT, "[%5.1f s] %d ops done (%.0f/s), %d in flight, %d errors, %d reconnects%n", seconds,
                stats.trafficOps(), stats.trafficOps() / Math.max(seconds, 1e-3), ops, stats.errors(),
                stats.reconnects());
        out.flush();
    }

    private void printTable(int managed, Footprint added, int threadsInAll, boolean embedded) {
        double seconds = settings.duration().toNanos() / 1e9;
        List<String> header = List.of("operation", "ok", "ops/s", "p50 ms", "p99 ms", "errors");
        List<List<String>> rows = new ArrayList<>();
        for (Op op : Op.values()) {
            rows.add(List.of(op.label(), Integer.toString(stats.count(op)),
                    op == Op.CONNECT_MANAGE ? "-" : String.format(Locale.ROOT, "%.1f", stats.count(op) / seconds),
                    FleetStats.millis(stats.quantileMillis(op, 0.50)), FleetStats.millis(stats.quantileMillis(op, 0.99)),
                    Integer.toString(stats.errors(op))));
        }
        out.println();
        out.print(table(header, rows));
        out.printf(Locale.ROOT, "total: %d operations, %.1f ops/s, %d errors, %d reconnects%n", stats.trafficOps(),
                stats.trafficOps() / seconds, stats.errors(), stats.reconnects());
        if (managed > 0) {
            out.printf(Locale.ROOT, "per idle device: %.1f KiB heap, %.3f threads (%d threads in the JVM)%s%n",
                    added.heapKiBPer(managed), added.threadsPer(managed), threadsInAll,
                    embedded ? "; the embedded broker's share is included: use --broker for the devices alone" : "");
        }
        if (stats.firstError() != null) {
            out.println("first error: " + stats.firstError());
        }
    }

    /** A plain-text table with columns padded to their widest cell. */
    static String table(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> r : all) {
            for (int i = 0; i < width.length; i++) {
                String cell = r.get(i);
                // the operation left-aligned, the figures right-aligned
                sb.append("  ").append(String.format(i == 0 ? "%-" + width[i] + "s" : "%" + width[i] + "s", cell));
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    private void closeAll(List<ManagedClient> clients) throws InterruptedException {
        ExecutorService closer = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "iotdm-fleet-close");
            t.setDaemon(true);
            return t;
        });
        try {
            clients.forEach(c -> closer.execute(c::close));
        } finally {
            closer.shutdown();
            if (!closer.awaitTermination(60, TimeUnit.SECONDS)) {
                out.println("close: some devices did not close within 60 s");
            }
        }
    }

    private static String label(MqttVersion v) {
        return v == MqttVersion.MQTT_5 ? "MQTT 5" : "MQTT 3.1.1";
    }
}
