package dev.iotdm.transport.paho;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Looks for live threads, waiting a bounded time for them to end. */
final class Threads {

    private Threads() {
    }

    /** Live threads of transports: their executors' threads, and Paho's names for the loops run on them. */
    static Set<Thread> ofTransports() {
        return matching(Threads::isTransportThread);
    }

    /** Whether the thread belongs to a transport, judged by its name. */
    static boolean isTransportThread(Thread t) {
        return t.getName().startsWith("iotdm-paho-") || t.getName().startsWith("MQTT ");
    }

    /** Live threads that match. */
    static Set<Thread> matching(Predicate<Thread> filter) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(filter)
                .collect(Collectors.toSet());
    }

    /**
     * Polls (every 20 ms) until no live thread matches, or {@code within} has passed.
     *
     * @return the threads still matching at the end: empty on success
     */
    static Set<Thread> awaitNone(Predicate<Thread> filter, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Set<Thread> left = matching(filter);
            if (left.isEmpty() || System.nanoTime() > deadline) {
                return left;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** The names, sorted, for assertion messages. */
    static String names(Set<Thread> threads) {
        return threads.stream().map(Thread::getName).sorted().toList().toString();
    }
}
