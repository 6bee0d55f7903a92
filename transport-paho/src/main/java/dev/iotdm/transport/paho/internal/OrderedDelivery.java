package dev.iotdm.transport.paho.internal;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the hand-off from Paho's threads to the transport's listener and futures: tasks run one
 * at a time, in the order Paho produced them, on a thread of the transport's own pool, never on
 * a Paho thread. So a listener or a future's continuation may call the transport (even block on
 * it) without stalling Paho's callback thread, and a connect result still precedes the messages
 * that followed its CONNACK.
 *
 * <p>One drain task empties the queue before it ends, so nothing queued while it runs is lost
 * when the pool shuts down. If the pool refuses a new drain (the transport is closed), the
 * caller runs the queue itself, keeping the order.
 *
 * <p>Thread-safety: {@link #execute} may be called from any thread.
 */
public final class OrderedDelivery implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(OrderedDelivery.class);

    private final Executor pool;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean draining;

    /**
     * Deliveries on {@code pool}.
     *
     * @param pool the executor that runs the drain task
     */
    public OrderedDelivery(Executor pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (queue) {
            queue.add(task);
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            drain(); // the pool is shut down: deliver here rather than never
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (queue) {
                next = queue.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.warn("a transport listener or future continuation threw; ignored", e);
            }
        }
    }
}
