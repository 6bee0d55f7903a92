package dev.iotdm.conformance;

import dev.iotdm.testkit.fault.PublishTally;
import dev.iotdm.testkit.platform.DeviceLink;
import dev.iotdm.testkit.scenario.ScenarioException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The platform's link to its devices that can send the next request twice, with the same reqId,
 * as a broker's QoS 1 redelivery would ({@code ScenarioStep.DuplicateDelivery}). The second copy
 * goes once the broker took the first (or a set time later, {@link #copyAfter}); neither broker API
 * lets us set the DUP flag, so the device sees two plain deliveries.
 *
 * <p>The copies are publishes of their own that no platform operation waits for, so the link
 * counts them ({@link #copies()}): a copy is in flight from the moment its request goes until the
 * broker took it, and a step that ends before then would leave the copy, and the device's repeated
 * answer, to the next step.
 *
 * <p>Thread-safe: the counts are guarded by this object's monitor, which is signalled on every
 * change.
 */
final class DuplicatingLink implements DeviceLink {

    private final DeviceLink inner;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final Executor copySender;
    private long copies;
    private long copiesSent;
    private long copiesLost;

    DuplicatingLink(DeviceLink inner) {
        this(inner, Duration.ZERO);
    }

    private DuplicatingLink(DeviceLink inner, Duration copyAfter) {
        this.inner = inner;
        this.copySender = copyAfter.isZero() ? Runnable::run
                : CompletableFuture.delayedExecutor(copyAfter.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * A link whose copies go {@code delay} after the broker took the first: the redelivery arrives
     * after the device answered the original, as a broker's redelivery after a reconnect does.
     */
    static DuplicatingLink copyAfter(DeviceLink inner, Duration delay) {
        return new DuplicatingLink(inner, delay);
    }

    /** The next request (not a response to the device) goes twice. */
    void duplicateNextRequest() {
        armed.set(true);
    }

    @Override
    public CompletableFuture<Void> send(String clientId, String topic, byte[] payload, int qos, Duration timeout) {
        CompletableFuture<Void> first = inner.send(clientId, topic, payload, qos, timeout);
        if (topic.equals("iotdm-1/response") || !armed.compareAndSet(true, false)) {
            return first;
        }
        synchronized (this) {
            copies++;
        }
        return first.thenComposeAsync(sent -> inner.send(clientId, topic, payload, qos, timeout), copySender)
                .whenComplete((sent, error) -> copyDone(error == null));
    }

    private synchronized void copyDone(boolean sent) {
        if (sent) {
            copiesSent++;
        } else {
            copiesLost++;
        }
        notifyAll();
    }

    /** The copies: made, taken by the broker, and lost (the first or the copy failed). */
    synchronized PublishTally copies() {
        return new PublishTally("duplicate copies", copies, copiesSent, copiesLost);
    }

    /**
     * Waits until every copy was taken by the broker or failed.
     *
     * @param deadline a {@link System#nanoTime()} value
     * @throws ScenarioException naming the counts at the deadline
     */
    synchronized void awaitCopiesSent(long deadline) {
        Deadlines.await(this, () -> copies().settled(), deadline,
                () -> "a duplicate copy is still on its way: " + copies());
    }

    @Override
    public void disconnect(String clientId) {
        inner.disconnect(clientId);
    }
}
