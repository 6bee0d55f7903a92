package dev.iotdm.transport.paho.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Owns every thread of one transport: the executor handed to Paho's {@code MqttAsyncClient}
 * and used by the transport itself for teardown and deliveries.
 *
 * <p>Why not a plain {@link ScheduledThreadPoolExecutor}: Paho runs its receiver, sender and
 * callback loops as never-ending tasks on this executor and busy-waits (sleep and re-check) for
 * each to start, so a task must never wait in a queue behind them. {@code execute} and
 * {@code submit} therefore go to an unbounded pool that starts a thread whenever none is idle
 * (idle threads end after {@link #IDLE_SECONDS}); only {@code schedule} (Paho's keep-alive
 * check, the transport's connect timeout) uses the one timer thread.
 *
 * <p>Every thread is a daemon named {@code <prefix>-<n>} (the timer {@code <prefix>-timer});
 * Paho renames a thread while it runs one of its loops ({@code MQTT Rec: <client id>} and so
 * on), and this executor restores the name when the task ends. {@link #shutdown()} and
 * {@link #shutdownNow()} end both pools, so a closed transport leaves no thread behind.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class PahoExecutor extends AbstractExecutorService implements ScheduledExecutorService {

    /** How long an idle worker thread lives. */
    static final long IDLE_SECONDS = 10;

    /** The executor whose thread is running the current code, if any. */
    private static final ThreadLocal<PahoExecutor> OWNER = new ThreadLocal<>();

    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    /**
     * An executor whose threads are named after {@code prefix}.
     *
     * @param prefix the thread name prefix, e.g. {@code iotdm-paho-3}
     */
    public PahoExecutor(String prefix) {
        AtomicInteger count = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), factory(() -> prefix + "-" + count.incrementAndGet()));
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, factory(() -> prefix + "-timer"));
        t.setRemoveOnCancelPolicy(true);
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        t.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
        t.allowCoreThreadTimeOut(true);
        this.timer = t;
    }

    private ThreadFactory factory(Supplier<String> names) {
        return runnable -> {
            Thread thread = new Thread(() -> {
                OWNER.set(this);
                threads.add(Thread.currentThread());
                try {
                    runnable.run();
                } finally {
                    threads.remove(Thread.currentThread());
                }
            }, names.get());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * The threads of this executor that are still alive, e.g. to report the ones that did not end.
     *
     * @return a snapshot copy
     */
    public List<Thread> liveThreads() {
        return List.copyOf(threads);
    }

    /**
     * Whether the calling thread belongs to this executor, e.g. to refuse a blocking wait on it.
     *
     * @return true on one of this executor's worker or timer threads
     */
    public boolean isOwnThread() {
        return OWNER.get() == this;
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        workers.execute(() -> {
            Thread thread = Thread.currentThread();
            String name = thread.getName();
            try {
                command.run();
            } finally {
                thread.setName(name); // Paho names the thread after its loop and never resets it
            }
        });
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return timer.schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return timer.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return timer.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
            TimeUnit unit) {
        return timer.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    @Override
    public void shutdown() {
        timer.shutdown();
        workers.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> never = new ArrayList<>(timer.shutdownNow());
        never.addAll(workers.shutdownNow());
        return never;
    }

    @Override
    public boolean isShutdown() {
        return timer.isShutdown() && workers.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return timer.isTerminated() && workers.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        return timer.awaitTermination(timeout, unit)
                && workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
