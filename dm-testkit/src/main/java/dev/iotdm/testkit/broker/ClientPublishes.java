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
 * <p>It also counts the QoS 1 publishes written to each client and the PUBACKs the client sent
 * back: a client's MQTT library acknowledges once it handed the message to its application, so
 * "every one acknowledged, or its connection closed" means nothing is left on the wire or in a
 * socket buffer either.
 *
 * <p>Thread-safe: one monitor guards the counts and is signalled on every change.
 */
final class ClientPublishes {

    /** Counts of one client; guarded by the enclosing instance's monitor. */
    private static final class Counts {
        long queued;
        long written;
        long lost;
        long qos1Written;
        long acknowledged;
        long unacknowledgedAtClose;
    }

    private final Map<String, Counts> counts = new HashMap<>();

    synchronized void queued(String clientId) {
        counts(clientId).queued++;
        notifyAll();
    }

    /** A PUBLISH is being written to the client; {@code qos1}: the client owes a PUBACK for it. */
    synchronized void written(String clientId, boolean qos1) {
        Counts c = counts(clientId);
        c.written++;
        c.qos1Written += qos1 ? 1 : 0;
        notifyAll();
    }

    /** The client sent a PUBACK. */
    synchronized void acknowledged(String clientId) {
        counts(clientId).acknowledged++;
        notifyAll();
    }

    /**
     * The client's connection closed: whatever was queued and not written is lost, and so is
     * whatever was written and not acknowledged (a clean session is not redelivered).
     */
    synchronized void closed(String clientId) {
        Counts c = counts(clientId);
        c.lost = Math.max(c.lost, c.queued - c.written);
        c.unacknowledgedAtClose = Math.max(c.unacknowledgedAtClose, c.qos1Written - c.acknowledged);
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

    /** The QoS 1 publishes written to the client: taken = written, handed on = acknowledged. */
    synchronized PublishTally acknowledgements(String clientId) {
        Counts c = counts.getOrDefault(clientId, new Counts());
        long acked = Math.min(c.acknowledged, c.qos1Written);
        return new PublishTally("acks from " + clientId, c.qos1Written, acked,
                Math.min(c.unacknowledgedAtClose, c.qos1Written - acked));
    }

    /**
     * Waits until every publish queued for {@code clientId} was written or is known lost.
     *
     * @throws IllegalStateException naming the counts when {@code timeout} passes first, or when interrupted
     */
    synchronized void awaitSettled(String clientId, Duration timeout) {
        await(clientId, timeout, this::tally, "holds publishes for ");
    }

    /**
     * Waits until {@code clientId} acknowledged every QoS 1 publish written to it, or its connection
     * closed.
     *
     * @throws IllegalStateException naming the counts when {@code timeout} passes first, or when interrupted
     */
    synchronized void awaitAcknowledged(String clientId, Duration timeout) {
        await(clientId, timeout, this::acknowledgements, "waits for the acknowledgements of ");
    }

    /** One wait for both: the interrupt becomes the same unchecked failure, with the flag kept. */
    private void await(String clientId, Duration timeout, java.util.function.Function<String, PublishTally> count,
            String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!count.apply(clientId).settled()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("the broker still " + what + clientId + " after "
                        + timeout.toMillis() + " ms (" + count.apply(clientId) + ")");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the broker " + what + clientId + " ("
                        + count.apply(clientId) + ")", e);
            }
        }
    }

    private Counts counts(String clientId) {
        return counts.computeIfAbsent(clientId, k -> new Counts());
    }
}
