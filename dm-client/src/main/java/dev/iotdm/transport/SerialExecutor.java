package dev.iotdm.transport;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on an underlying executor that may be shared:
 * the one ordering mechanism of iotdm, used on both sides of the transport SPI.
 * <ul>
 *   <li>The client runs each session on one, over a pool shared by many clients: the one owner
 *       of a session without a thread per device.</li>
 *   <li>A transport whose library calls back from several threads keeps the
 *       {@link TransportListener} promise (one call at a time, in order) with one over a direct
 *       executor ({@code Runnable::run}) and no thread of its own: the calling thread runs the
 *       task at once, unless another thread is running tasks of this executor, which then runs
 *       it after its current one. No thread ever waits for another.</li>
 * </ul>
 *
 * <p>Fairness: after {@link #BATCH} tasks in a row it hands the pool thread back and continues
 * in a fresh pool task, so one busy client cannot hold a shared thread while others wait. On a
 * direct executor the hand-back continues in the same loop instead of recursing.
 *
 * <p>A task that throws is logged and the next one runs: tasks report their own failures.
 *
 * <p>Thread-safety: {@link #execute} may be called from any thread.
 */
public final class SerialExecutor implements Executor {

    /** How many tasks run before the pool thread is handed back. */
    static final int BATCH = 64;

    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;
    /** The thread inside {@link #drain()}, to recognise a direct pool running the hand-back inline. */
    private volatile Thread drainer;
    /** Set by a nested drain() call on the draining thread: the pool ran the hand-back inline. */
    private boolean ranInline;

    /**
     * A serial executor on {@code pool}.
     *
     * @param pool runs the drain task; {@code Runnable::run} runs it on the submitting thread
     */
    public SerialExecutor(Executor pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        pool.execute(this::drain);
    }

    private void drain() {
        Thread me = Thread.currentThread();
        if (drainer == me) {
            ranInline = true; // a direct pool: the loop below continues instead
            return;
        }
        drainer = me;
        try {
            while (runBatch()) {
                ranInline = false;
                try {
                    pool.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    continue; // the pool takes nothing more: finish the work here
                }
                if (!ranInline) {
                    return; // another pool task carries on
                }
            }
        } finally {
            if (drainer == me) {
                drainer = null;
            }
        }
    }

    /** Runs up to {@link #BATCH} tasks; returns whether tasks are left (and {@code running} stays set). */
    private boolean runBatch() {
        for (int i = 0; i < BATCH; i++) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return false;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                // A task must not kill the drain loop; tasks report their own errors.
                LOG.error("a serial task threw; the next one runs", e);
            }
        }
        return true;
    }
}
