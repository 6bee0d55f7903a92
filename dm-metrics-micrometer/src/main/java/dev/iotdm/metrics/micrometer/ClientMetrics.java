package dev.iotdm.metrics.micrometer;

import dev.iotdm.client.ClientEvent;
import dev.iotdm.client.ClientListener;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.session.RequestOutcome;
import dev.iotdm.protocol.session.SessionEvent;
import dev.iotdm.protocol.supervisor.LifecycleEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * One {@link ManagedClient}'s figures in a Micrometer {@link MeterRegistry}. It is a
 * {@link ClientListener} (add it with the builder's {@code listener(..)}) for what the client's
 * events tell, and reads the client's never-blocking accessors for the gauges once
 * {@link #bind(ManagedClient) bound}:
 *
 * <pre>{@code
 * ClientMetrics metrics = new ClientMetrics(registry, Tags.of("device", "sensor-1"));
 * ManagedClient client = ManagedClient.builder(options).listener(metrics).build();
 * metrics.bind(client);
 * }</pre>
 *
 * <table>
 * <caption>The meters, each with the tags given to the constructor</caption>
 * <tr><th>name</th><th>type</th><th>what</th></tr>
 * <tr><td>{@value #REQUESTS}</td><td>timer</td><td>every request the application made, from the call to
 *     its outcome; tags {@code type} ({@code manage}, {@code location update}, {@code event}...),
 *     {@code outcome} ({@code answered}, {@code delivered}, {@code timed_out}, {@code failed}) and
 *     {@code rc} (the platform's code, or {@code none})</td></tr>
 * <tr><td>{@value #PENDING}</td><td>gauge</td><td>requests whose future has not completed</td></tr>
 * <tr><td>{@value #QUEUED}</td><td>gauge</td><td>publishes waiting in the outbound queue for room in the
 *     transport's in-flight window</td></tr>
 * <tr><td>{@value #QUEUE_FULL}</td><td>counter</td><td>publishes that failed because that queue was full</td></tr>
 * <tr><td>{@value #RECONNECTS}</td><td>counter</td><td>connections made after the first one</td></tr>
 * <tr><td>{@value #CONNECTED}</td><td>gauge</td><td>1 while connected and subscribed, else 0</td></tr>
 * <tr><td>{@value #MANAGED}</td><td>gauge</td><td>1 after a manage (the application's or the automatic
 *     one) succeeded, 0 after an unmanage succeeded, once the manage lifetime ran out without a successful
 *     re-manage ({@code ClientEvent.ManageLapsed}), after the client closed, or before the first manage</td></tr>
 * <tr><td>{@value #FIRMWARE_STATE}</td><td>gauge</td><td>{@code mgmt.firmware.state}: 0 idle, 1 downloading,
 *     2 downloaded; -1 before the firmware object has a state</td></tr>
 * <tr><td>{@value #FIRMWARE_UPDATE_STATUS}</td><td>gauge</td><td>{@code mgmt.firmware.updateStatus}: 0 success,
 *     1 in progress, 2-6 the failures of protocol.md; -1 before it has one</td></tr>
 * </table>
 *
 * <p>Give each client of a registry distinct tags (its device id, say): meters with the same name
 * and tags are one meter. {@link #close()} removes this client's meters from the registry.
 *
 * <p>Thread-safety: events may arrive on any thread of the client's callback executor; the
 * meters are Micrometer's, which are thread-safe.
 */
public final class ClientMetrics implements ClientListener, AutoCloseable {

    /** The requests timer's name. */
    public static final String REQUESTS = "iotdm.requests";
    /** The pending requests gauge's name. */
    public static final String PENDING = "iotdm.requests.pending";
    /** The queued publishes gauge's name. */
    public static final String QUEUED = "iotdm.publishes.queued";
    /** The full-queue counter's name. */
    public static final String QUEUE_FULL = "iotdm.publishes.queue.full";
    /** The reconnects counter's name. */
    public static final String RECONNECTS = "iotdm.reconnects";
    /** The connected gauge's name. */
    public static final String CONNECTED = "iotdm.connected";
    /** The managed gauge's name. */
    public static final String MANAGED = "iotdm.managed";
    /** The firmware state gauge's name. */
    public static final String FIRMWARE_STATE = "iotdm.firmware.state";
    /** The firmware update status gauge's name. */
    public static final String FIRMWARE_UPDATE_STATUS = "iotdm.firmware.update.status";

    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter reconnects;
    private final Counter queueFull;
    private final AtomicInteger managed = new AtomicInteger();
    /** Until the first connection, a Connected event is not a reconnect. */
    private final AtomicBoolean connectedOnce = new AtomicBoolean();
    private final AtomicBoolean bound = new AtomicBoolean();
    /** Every meter this instance registered, for {@link #close()}. */
    private final CopyOnWriteArrayList<Meter> meters = new CopyOnWriteArrayList<>();

    /**
     * Registers the event-driven meters (the request timers appear with their first request).
     *
     * @param registry where the meters go
     * @param tags the tags every meter of this client carries, e.g. its device id
     */
    public ClientMetrics(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        this.reconnects = keep(Counter.builder(RECONNECTS).description("connections made after the first one")
                .tags(this.tags).register(registry));
        this.queueFull = keep(Counter.builder(QUEUE_FULL)
                .description("publishes that failed because the outbound queue was full").tags(this.tags)
                .register(registry));
        keep(Gauge.builder(MANAGED, managed, AtomicInteger::get)
                .description("1 while the device is managed, else 0").tags(this.tags).register(registry));
    }

    /**
     * Registers the gauges that read the client: pending requests, queued publishes, connected and
     * the firmware state. The gauges hold the client weakly (a collected client reads as NaN).
     *
     * @param client the client this instance listens to
     * @return this
     * @throws IllegalStateException when already bound
     */
    public ClientMetrics bind(ManagedClient client) {
        Objects.requireNonNull(client, "client");
        if (!bound.compareAndSet(false, true)) {
            throw new IllegalStateException("these metrics are already bound to a client: create one ClientMetrics"
                    + " per client, with tags that tell the clients apart");
        }
        gauge(PENDING, "requests whose future has not completed", client, ManagedClient::pendingRequests);
        gauge(QUEUED, "publishes waiting for room in the transport's in-flight window", client,
                ManagedClient::queuedPublishes);
        gauge(CONNECTED, "1 while connected and subscribed, else 0", client, c -> c.isConnected() ? 1 : 0);
        gauge(FIRMWARE_STATE, "mgmt.firmware.state (0 idle, 1 downloading, 2 downloaded; -1 none)", client,
                c -> firmwareState(c.firmware()));
        gauge(FIRMWARE_UPDATE_STATUS, "mgmt.firmware.updateStatus (protocol.md codes; -1 none)", client,
                c -> updateStatus(c.firmware()));
        return this;
    }

    @Override
    public void onEvent(ClientEvent event) {
        if (event instanceof ClientEvent.RequestCompleted r) {
            requestCompleted(r);
        } else if (event instanceof ClientEvent.OutboundQueueFull) {
            queueFull.increment();
        } else if (event instanceof ClientEvent.Lifecycle l) {
            if (l.event() instanceof LifecycleEvent.Connected && connectedOnce.getAndSet(true)) {
                reconnects.increment();
            } else if (l.event() instanceof LifecycleEvent.Closed) {
                managed.set(0);
            }
        } else if (event instanceof ClientEvent.Session s && s.event() instanceof SessionEvent.AutoManageSucceeded) {
            managed.set(1);
        } else if (event instanceof ClientEvent.ManageLapsed) {
            managed.set(0); // dormant at the platform until a manage succeeds again
        }
    }

    /** Removes this client's meters from the registry. */
    @Override
    public void close() {
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
    }

    private void requestCompleted(ClientEvent.RequestCompleted r) {
        String rc = r.rc().map(c -> Integer.toString(c.code())).orElse("none");
        Timer timer = keep(Timer.builder(REQUESTS).description("requests the application made, call to outcome")
                .tags(tags).tag("type", r.type()).tag("outcome", outcome(r.outcome())).tag("rc", rc)
                .register(registry));
        timer.record(r.latency());
        boolean succeeded = r.rc().map(c -> c.isSuccess()).orElse(false);
        if (succeeded && r.type().equals("manage")) {
            managed.set(1);
        } else if (succeeded && r.type().equals("unmanage")) {
            managed.set(0);
        }
    }

    private static String outcome(RequestOutcome outcome) {
        if (outcome instanceof RequestOutcome.Answered) {
            return "answered";
        }
        if (outcome instanceof RequestOutcome.Delivered) {
            return "delivered";
        }
        if (outcome instanceof RequestOutcome.TimedOut) {
            return "timed_out";
        }
        return "failed";
    }

    private static int firmwareState(FirmwareInfo firmware) {
        return firmware.state().map(s -> s.code()).orElse(-1);
    }

    private static int updateStatus(FirmwareInfo firmware) {
        return firmware.updateStatus().map(s -> s.code()).orElse(-1);
    }

    private void gauge(String name, String description, ManagedClient client,
            ToDoubleFunction<ManagedClient> read) {
        keep(Gauge.builder(name, client, read).description(description).tags(tags).register(registry));
    }

    /** Remembers a meter for {@link #close()}; the registry returns the existing one for a known id. */
    private <M extends Meter> M keep(M meter) {
        meters.addIfAbsent(meter);
        return meter;
    }
}
