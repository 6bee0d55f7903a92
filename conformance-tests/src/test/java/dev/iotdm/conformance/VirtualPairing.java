package dev.iotdm.conformance;

import dev.iotdm.protocol.session.DeviceSession;
import dev.iotdm.protocol.session.DeviceState;
import dev.iotdm.protocol.session.DeviceStateStore;
import dev.iotdm.protocol.session.SessionAction;
import dev.iotdm.protocol.session.SessionConfig;
import dev.iotdm.protocol.session.SessionEvent;
import dev.iotdm.testkit.platform.OperationOutcome;
import dev.iotdm.testkit.platform.OperationToken;
import dev.iotdm.testkit.platform.PlatformAction;
import dev.iotdm.testkit.platform.PlatformEngine;
import dev.iotdm.testkit.platform.PlatformEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A device engine and the platform engine paired in memory on one virtual clock: no broker, no
 * socket, no thread. Lifetimes, request timeouts, manage retries and operation deadlines all run
 * in virtual time, so a test can cross an hour of protocol life in microseconds, and every run is
 * the same. Both sides are the real sans-I/O engines ({@link DeviceSession} and
 * {@link PlatformEngine}, which shares no logic with it); this class only moves their outputs to
 * each other's inputs, the way a broker would, including holding platform messages until the
 * device has subscribed.
 *
 * <p>Thread-safety: not thread-safe; one test thread drives it.
 */
public final class VirtualPairing {

    private final PlatformEngine platform;
    private final SessionConfig sessionConfig;
    private final DeviceStateStore store;
    private final String clientId;
    private final Consumer<PlatformEvent> observer;

    private Instant now;
    private DeviceSession device;
    private boolean connected;
    private boolean subscribed;
    private final List<PlatformAction.SendToDevice> held = new ArrayList<>();
    private final List<SessionEvent> deviceEvents = new ArrayList<>();
    private final Map<OperationToken, OperationOutcome> outcomes = new HashMap<>();
    /** Messages on a slow link, in the order they were sent; each arrives at its due time. */
    private final List<InFlight> inFlight = new ArrayList<>();
    private Duration delay = Duration.ZERO;
    private boolean duplicateNextRequest;

    /** A message on its way: delivered by {@code arrive} at {@code due}. */
    private record InFlight(Instant due, Runnable arrive) {
    }

    /**
     * A pairing of a registered device with the platform.
     *
     * @param start the virtual time at the start
     * @param platform the platform engine; the device must be registered in it
     * @param clientId the device's client id
     * @param sessionConfig the device engine's configuration
     * @param store where the device keeps its state across {@link #restartDevice()}
     * @param observer receives everything the platform observes (e.g. a transcript)
     */
    public VirtualPairing(Instant start, PlatformEngine platform, String clientId, SessionConfig sessionConfig,
            DeviceStateStore store, Consumer<PlatformEvent> observer) {
        this.now = Objects.requireNonNull(start, "start");
        this.platform = Objects.requireNonNull(platform, "platform");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.sessionConfig = Objects.requireNonNull(sessionConfig, "sessionConfig");
        this.store = Objects.requireNonNull(store, "store");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.device = new DeviceSession(sessionConfig, store.load().orElse(DeviceState.INITIAL));
    }

    /** The virtual time. */
    public Instant now() {
        return now;
    }

    /** The device engine, for application calls (pass {@link #now()}); call {@link #pump()} after. */
    public DeviceSession device() {
        return device;
    }

    /** The platform engine, for operations (pass {@link #now()}); call {@link #pump()} after. */
    public PlatformEngine platform() {
        return platform;
    }

    /** Connects the device: CONNACK, then the subscriptions, as a broker would answer them. */
    public void connect() {
        connected = true;
        // The broker's news of the connection travels the link too, so a delayed publish never
        // reaches the platform after the disconnect that followed it.
        send(() -> platform.deviceConnected(now, clientId));
        device.connected(now, false);
        pump();
    }

    /** Cuts the connection on both sides, as a network failure would. */
    public void dropConnection() {
        if (!connected) {
            return;
        }
        connected = false;
        subscribed = false;
        device.connectionLost(now);
        send(() -> platform.deviceDisconnected(now, clientId));
        pump();
    }

    /** Stops the device and starts a new engine from its saved state (a reboot or a crash). */
    public void restartDevice() {
        dropConnection();
        device.close(now);
        device.pollActions();
        device = new DeviceSession(sessionConfig, store.load().orElse(DeviceState.INITIAL));
    }

    /**
     * From now on every message takes {@code by} to reach the other side, in virtual time (a
     * slow link); {@link Duration#ZERO} makes the link instant again. Order is kept.
     */
    public void delay(Duration by) {
        this.delay = Objects.requireNonNull(by, "by");
    }

    /**
     * The platform's next request reaches the device twice with the same reqId, as a broker's
     * QoS 1 redelivery would (the engine has no DUP input: the payload is all it sees).
     */
    public void duplicateNextRequest() {
        duplicateNextRequest = true;
    }

    /** When the next message on the slow link arrives; empty when none is on its way. */
    public Optional<Instant> nextArrival() {
        return inFlight.stream().map(InFlight::due).min(Instant::compareTo);
    }

    /** Moves virtual time forward, firing every timer of both sides and every arrival in time order. */
    public void advance(Duration by) {
        Instant target = now.plus(by);
        while (true) {
            Optional<Instant> next = earliest(earliest(device.nextTimer(), platform.nextTimer()), nextArrival());
            if (next.isEmpty() || next.get().isAfter(target)) {
                break;
            }
            if (next.get().isAfter(now)) {
                now = next.get();
            }
            arrive();
            device.tick(now);
            platform.tick(now);
            pump();
        }
        now = target;
        pump();
    }

    /** Delivers, in sending order, the messages due by now (a later one never overtakes an earlier one). */
    private void arrive() {
        while (!inFlight.isEmpty() && !inFlight.get(0).due().isAfter(now)) {
            inFlight.remove(0).arrive().run();
            pump();
        }
    }

    /** Runs {@code arrival} now on an instant link, else queues it behind what is already on its way. */
    private void send(Runnable arrival) {
        if (delay.isZero() && inFlight.isEmpty()) {
            arrival.run();
        } else {
            Instant due = now.plus(delay);
            if (!inFlight.isEmpty() && inFlight.get(inFlight.size() - 1).due().isAfter(due)) {
                due = inFlight.get(inFlight.size() - 1).due(); // order is kept when the delay shrinks
            }
            inFlight.add(new InFlight(due, arrival));
        }
    }

    /** Moves both engines' outputs to each other until neither has anything left to say. */
    public void pump() {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (SessionAction a : device.pollActions()) {
                progress = true;
                deviceAction(a);
            }
            for (PlatformAction a : platform.pollActions()) {
                progress = true;
                platformAction(a);
            }
        }
    }

    /** Events the device engine emitted for its application, in order. */
    public List<SessionEvent> deviceEvents() {
        return List.copyOf(deviceEvents);
    }

    /** Takes the device's events of a type, oldest first, removing them. */
    public <T extends SessionEvent> List<T> takeDeviceEvents(Class<T> type) {
        List<T> taken = new ArrayList<>();
        deviceEvents.removeIf(e -> {
            if (type.isInstance(e)) {
                taken.add(type.cast(e));
                return true;
            }
            return false;
        });
        return taken;
    }

    /** The outcome of a platform operation, once it completed. */
    public Optional<OperationOutcome> outcome(OperationToken token) {
        return Optional.ofNullable(outcomes.get(token));
    }

    private void deviceAction(SessionAction a) {
        if (a instanceof SessionAction.Subscribe) {
            subscribed = true;
            device.subscribed(now, List.of(true, true));
            List<PlatformAction.SendToDevice> waiting = new ArrayList<>(held);
            held.clear();
            waiting.forEach(this::deliver);
        } else if (a instanceof SessionAction.Publish p) {
            if (connected) {
                // The broker has it (PUBACK now); the platform gets it over the link.
                send(() -> platform.devicePublished(now, clientId, p.topic(), p.payload(), p.qos(), false));
                device.publishCompleted(now, p.id());
            } else {
                device.publishFailed(now, p.id(), dev.iotdm.protocol.session.PublishFailure.NOT_CONNECTED);
            }
        } else if (a instanceof SessionAction.Persist p) {
            store.save(p.state());
        } else if (a instanceof SessionAction.Emit e) {
            deviceEvents.add(e.event());
        } else if (a instanceof SessionAction.Disconnect) {
            dropConnection();
        }
    }

    private void platformAction(PlatformAction a) {
        if (a instanceof PlatformAction.SendToDevice s) {
            send(() -> deliver(s));
        } else if (a instanceof PlatformAction.DisconnectDevice) {
            dropConnection();
        } else if (a instanceof PlatformAction.OperationCompleted c) {
            outcomes.put(c.token(), c.outcome());
        } else if (a instanceof PlatformAction.Observed o) {
            observer.accept(o.event());
        }
    }

    /** Delivers now, or holds until the device subscribes (a broker's NOT_SUBSCRIBED retry). */
    private void deliver(PlatformAction.SendToDevice s) {
        if (connected && subscribed) {
            device.messageArrived(now, s.topic(), s.payload());
            if (duplicateNextRequest && !s.topic().equals("iotdm-1/response")) {
                duplicateNextRequest = false;
                device.messageArrived(now, s.topic(), s.payload());
            }
        } else {
            held.add(s);
        }
    }

    /** The earlier of two optional instants. */
    static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().isBefore(b.get()) ? a : b;
    }
}
