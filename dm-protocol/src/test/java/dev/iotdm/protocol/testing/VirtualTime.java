package dev.iotdm.protocol.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A clock and a scheduler that move only when the test says so: timers (request timeouts,
 * lifetime re-manage, reconnect backoff) become deterministic and cost no wall-clock time.
 *
 * <p>Scheduled tasks run on the thread that calls {@link #advance(Duration)} or
 * {@link #advanceToNextTask()}, in order of their due instant (ties in scheduling order), each
 * with the clock set to exactly its due instant. {@link #execute(Runnable)} schedules for "now":
 * it runs at the next advance. Periodic scheduling is not supported (the code under test does not
 * use it).
 *
 * <p>Thread-safety: safe for concurrent use; scheduling from any thread is fine, but only one
 * thread should advance time at a time.
 */
public final class VirtualTime extends AbstractExecutorService implements InstantSource, ScheduledExecutorService {

    private final Object lock = new Object();
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private volatile Instant now;
    private long sequence;
    private boolean shutdown;

    /** A virtual clock starting at {@code start}. */
    public VirtualTime(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** A virtual clock starting at an arbitrary fixed instant. */
    public static VirtualTime startingAt2026() {
        return new VirtualTime(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public Instant instant() {
        return now;
    }

    /**
     * Moves the clock forward by {@code step}, running every task that falls due on the way.
     *
     * @return how many tasks ran
     */
    public int advance(Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("step must not be negative: " + step);
        }
        Instant target = now.plus(step);
        int ran = 0;
        while (true) {
            Task<?> next;
            synchronized (lock) {
                next = queue.peek();
                if (next == null || next.due.isAfter(target)) {
                    now = target;
                    return ran;
                }
                queue.poll();
                if (next.due.isAfter(now)) {
                    now = next.due;
                }
            }
            next.run();
            ran++;
        }
    }

    /** Moves the clock to {@code instant} (not backwards), running what falls due. */
    public int advanceTo(Instant instant) {
        return advance(Duration.between(now, instant).isNegative() ? Duration.ZERO : Duration.between(now, instant));
    }

    /**
     * Moves the clock to the earliest scheduled task and runs every task due then.
     *
     * @return the instant the clock moved to
     * @throws AssertionError when nothing is scheduled
     */
    public Instant advanceToNextTask() {
        Instant due = nextDue().orElseThrow(() -> new AssertionError("no task is scheduled"));
        advanceTo(due);
        return due;
    }

    /** Runs the tasks due now without moving the clock. */
    public int runDue() {
        return advance(Duration.ZERO);
    }

    /** When the earliest task is due, if any is scheduled. */
    public Optional<Instant> nextDue() {
        synchronized (lock) {
            return Optional.ofNullable(queue.peek()).map(t -> t.due);
        }
    }

    /** The due instants of all scheduled tasks, earliest first. */
    public List<Instant> scheduled() {
        synchronized (lock) {
            List<Task<?>> copy = new ArrayList<>(queue);
            copy.sort(null);
            return copy.stream().map(t -> t.due).toList();
        }
    }

    // ---- ScheduledExecutorService ---------------------------------------------------------------

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        return enqueue(() -> {
            command.run();
            return null;
        }, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(Objects.requireNonNull(callable, "callable"), delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("periodic tasks are not supported by VirtualTime");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("periodic tasks are not supported by VirtualTime");
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
        synchronized (lock) {
            shutdown = true;
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        synchronized (lock) {
            shutdown = true;
            List<Runnable> left = new ArrayList<>(queue);
            queue.clear();
            return left;
        }
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        synchronized (lock) {
            return shutdown && queue.isEmpty();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private <V> ScheduledFuture<V> enqueue(Callable<V> callable, long delay, TimeUnit unit) {
        long nanos = Math.max(0, unit.toNanos(delay));
        synchronized (lock) {
            if (shutdown) {
                throw new RejectedExecutionException("VirtualTime was shut down");
            }
            Task<V> task = new Task<>(callable, now.plusNanos(nanos), sequence++);
            queue.add(task);
            return task;
        }
    }

    /** A scheduled task: a future that runs its callable when time reaches {@code due}. */
    private final class Task<V> implements ScheduledFuture<V>, Runnable {
        private final Callable<V> callable;
        private final Instant due;
        private final long seq;
        private final CompletableFuture<V> result = new CompletableFuture<>();

        Task(Callable<V> callable, Instant due, long seq) {
            this.callable = callable;
            this.due = due;
            this.seq = seq;
        }

        @Override
        public void run() {
            if (result.isDone()) {
                return;
            }
            try {
                result.complete(callable.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
                if (e instanceof Error err) {
                    throw err;
                }
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(now, due));
        }

        @Override
        public int compareTo(Delayed other) {
            if (other instanceof VirtualTime.Task<?> t) {
                int byDue = due.compareTo(t.due);
                return byDue != 0 ? byDue : Long.compare(seq, t.seq);
            }
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = result.cancel(false);
            if (cancelled) {
                synchronized (lock) {
                    queue.remove(this);
                }
            }
            return cancelled;
        }

        @Override
        public boolean isCancelled() {
            return result.isCancelled();
        }

        @Override
        public boolean isDone() {
            return result.isDone();
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            return result.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return result.get(timeout, unit);
        }
    }
}
