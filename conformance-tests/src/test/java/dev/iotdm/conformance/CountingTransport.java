package dev.iotdm.conformance;

import dev.iotdm.testkit.fault.PublishTally;
import dev.iotdm.testkit.scenario.ScenarioException;
import dev.iotdm.transport.ForwardingMqttTransport;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.Qos;
import java.util.concurrent.CompletableFuture;

/**
 * The device's transport, counting its publishes: each one the client hands over is in flight
 * until the transport completes it (QoS 1: the broker's PUBACK; QoS 0: written) or fails it; once
 * the world closed the transport (a device restart), those still open are known lost. This is the
 * device's side of a step's settle condition: nothing the device published is still on its way.
 *
 * <p>Thread-safe: counts under this object's monitor, which is signalled on every change.
 */
final class CountingTransport extends ForwardingMqttTransport {

    private long made;
    private long done;
    private long failed;
    private boolean closed;

    CountingTransport(MqttTransport delegate) {
        super(delegate);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos) {
        synchronized (this) {
            made++;
        }
        CompletableFuture<Void> result;
        try {
            result = super.publish(topic, payload, qos);
        } catch (RuntimeException e) {
            count(false);
            throw e;
        }
        result.whenComplete((ok, error) -> count(error == null));
        return result;
    }

    private synchronized void count(boolean ok) {
        if (ok) {
            done++;
        } else {
            failed++;
        }
        notifyAll();
    }

    /** The device's publishes: handed to the transport, completed, failed (or open when it was closed). */
    synchronized PublishTally tally() {
        return new PublishTally("device transport", made, done, closed ? made - done : failed);
    }

    /**
     * Waits until every publish the device made has an outcome.
     *
     * @throws ScenarioException naming the counts at {@code deadline} (System.nanoTime)
     */
    synchronized void awaitSettled(long deadline) {
        Deadlines.await(this, () -> tally().settled(), deadline,
                () -> "the device's publishes still have no outcome: " + tally());
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        super.close();
    }
}
