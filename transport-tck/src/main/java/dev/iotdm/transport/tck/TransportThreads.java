package dev.iotdm.transport.tck;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Finds live threads by name prefix and waits, bounded, for them to end: the leak checks' tool.
 *
 * <p>Thread-safety: stateless; call from any thread.
 */
public final class TransportThreads {

    private TransportThreads() {
    }

    /**
     * The threads a transport started, found by the names it gives them.
     *
     * @param prefixes thread name prefixes, e.g. a transport's executor name
     * @return the live threads whose name starts with one of {@code prefixes}, a snapshot
     */
    public static Set<Thread> named(List<String> prefixes) {
        return matching(t -> prefixes.stream().anyMatch(p -> t.getName().startsWith(p)));
    }

    /**
     * The live threads a filter picks.
     *
     * @param filter which threads count
     * @return the live threads that match {@code filter}, a snapshot
     */
    public static Set<Thread> matching(Predicate<Thread> filter) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(filter)
                .collect(Collectors.toSet());
    }

    /**
     * Polls every 20 ms until no live thread matches or {@code within} has passed. Threads end
     * asynchronously after a close, so a check must give them a (bounded) moment.
     *
     * @param filter which threads count
     * @param within how long to wait at most
     * @return the threads still matching at the end: empty on success
     */
    public static Set<Thread> awaitNone(Predicate<Thread> filter, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Set<Thread> left = matching(filter);
            if (left.isEmpty() || System.nanoTime() > deadline) {
                return left;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /**
     * Names threads for an assertion message.
     *
     * @param threads the threads, e.g. what {@link #awaitNone} left
     * @return their names, sorted, as a list's text
     */
    public static String names(Set<Thread> threads) {
        return threads.stream().map(Thread::getName).sorted().toList().toString();
    }
}
