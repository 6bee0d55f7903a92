package dev.iotdm.testkit.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Test double of the fake platform: records every broker callback in order and lets a test wait,
 * with a timeout, for the first event matching a condition. Thread-safe (one monitor).
 */
final class RecordingListener implements DevicePublishListener, DeviceConnectionListener {

    /** One recorded callback. */
    sealed interface Event permits Published, Refused, Connected, Disconnected {
        String clientId();
    }

    record Published(DevicePublish publish) implements Event {
        public String clientId() {
            return publish.clientId();
        }
    }

    record Refused(DevicePublish publish, PublishRefusal reason) implements Event {
        public String clientId() {
            return publish.clientId();
        }
    }

    record Connected(String clientId) implements Event {
    }

    record Disconnected(String clientId) implements Event {
    }

    private final List<Event> events = new ArrayList<>();

    @Override
    public synchronized void onPublish(DevicePublish publish) {
        add(new Published(publish));
    }

    @Override
    public synchronized void onRefused(DevicePublish publish, PublishRefusal reason) {
        add(new Refused(publish, reason));
    }

    @Override
    public synchronized void onConnected(String clientId) {
        add(new Connected(clientId));
    }

    @Override
    public synchronized void onDisconnected(String clientId) {
        add(new Disconnected(clientId));
    }

    private void add(Event event) {
        events.add(event);
        notifyAll();
    }

    /** Waits for the first event of {@code type} from {@code clientId}. */
    <E extends Event> E await(Class<E> type, String clientId, Duration timeout) {
        return type.cast(await(e -> type.isInstance(e) && e.clientId().equals(clientId),
                type.getSimpleName() + " of " + clientId, timeout));
    }

    /** Waits for the first event matching {@code condition}; fails listing all events seen. */
    synchronized Event await(Predicate<Event> condition, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Event e : events) {
                if (condition.test(e)) {
                    return e;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + what + " within " + timeout.toMillis() + " ms; events: " + events);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, ex);
            }
        }
    }

    /** The events of one client so far, in order. */
    synchronized List<Event> eventsOf(String clientId) {
        return events.stream().filter(e -> e.clientId().equals(clientId)).toList();
    }
}
