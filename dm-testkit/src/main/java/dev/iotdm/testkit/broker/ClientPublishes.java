package dev.iotdm.testkit.broker;

import dev.iotdm.testkit.fault.PublishTally;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Counts, per client, the platform's publishes the broker queued for it, wrote to it (its PUBLISH
 * outbound interceptor ran) and knows lost: what was queued and not written when the client's
 * connection closed or the broker stopped is gone, since devices connect with a clean session.
 * That is what lets a test wait until "everything the platform sent is delivered or known lost"
 * instead of waiting out an idle period.
 *
 * <p>Thread-safe: one monitor guards the counts and is signalled on every change.
 */
final class ClientPublishes {

    /** Counts of one client; guarded by the enclosing instance's monitor. */
    private static final class Counts {
        long queued;
        long written;
        long lost;
    }

    private final Map<String, Counts> counts = new HashMap<>();

    synchronized void queued(String clientId) {
        counts(clientId).queued++;
        notifyAll();
    }

    synchronized void written(String clientId) {
        counts(clientId).written++;
        notifyAll();
    }

    /** The client's connection closed: whatever was queued and not written is lost. */
    synchronized void closed(String clientId) {
        Counts c = counts(clientId);
        c.lost = Math.max(c.lost, c.queued - c.written);
        notifyAll();
    }

    /** The broker stopped: every client's unwritten publishes are lost. */
    synchronized void closedAll() {
        counts.keySet().forEach(this::closed);
    }

    synchronized PublishTally tally(String clientId) {
        Counts c = counts.getOrDefault(clientId, new Counts());
        return new PublishTally("broker to " + clientId, c.queued, c.written, c.lost);
    }

    /**
     * Waits until every publish queued for {@code clientId} was written or is known lost.
     *
     * @throws IllegalStateException naming the counts when {@code timeout} passes first
     */
    synchronized void awaitSettled(String clientId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!tally(clientId).settled()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("the broker still holds publishes for " + clientId + " after "
                        + timeout.toMillis() + " ms (" + tally(clientId) + ")");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private Counts counts(String clientId) {
        return counts.computeIfAbsent(clientId, k -> new Counts());
    }
}
