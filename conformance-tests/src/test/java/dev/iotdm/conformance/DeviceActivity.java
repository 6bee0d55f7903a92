package dev.iotdm.conformance;

import dev.iotdm.testkit.scenario.ScenarioException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The work a device's {@code ManagedClient} has on hand: every task it gives its session executor
 * or its callback executor runs through {@link #executor()}, which counts the tasks given and
 * finished. A message the device's transport acknowledged has been handed to the session as such a
 * task, so "every acknowledged message processed" is "no task left", and whatever the device
 * publishes in answer (a redelivery's repeated answer, say) is made before the last task ends.
 *
 * <p>Thread-safe: counts under this object's monitor, which is signalled when a task ends.
 */
final class DeviceActivity {

    /** Shared by every world: daemon threads, created as needed and let go after a minute idle. */
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scenario-device");
        t.setDaemon(true);
        return t;
    });

    private final Executor executor = this::execute;
    private final Executor runner;
    private long given;
    private long finished;

    /** Runs the device's tasks as soon as a thread is free. */
    DeviceActivity() {
        this(POOL);
    }

    private DeviceActivity(Executor runner) {
        this.runner = runner;
    }

    /**
     * Runs each task {@code lag} after it was given: a slow device, which widens every window
     * between a message's acknowledgement and the device's answer to it.
     */
    static DeviceActivity lagging(Duration lag) {
        return new DeviceActivity(CompletableFuture.delayedExecutor(lag.toNanos(), TimeUnit.NANOSECONDS, POOL));
    }

    /** The counting executor to give the client, for both its session and its callbacks. */
    Executor executor() {
        return executor;
    }

    /** Tasks given so far: a count that moves whenever the device takes on work. */
    synchronized long given() {
        return given;
    }

    private void execute(Runnable task) {
        synchronized (this) {
            given++;
        }
        try {
            runner.execute(() -> {
                try {
                    task.run();
                } finally {
                    finished();
                }
            });
        } catch (RejectedExecutionException e) {
            finished();
            throw e;
        }
    }

    private synchronized void finished() {
        finished++;
        notifyAll();
    }

    /**
     * Waits until every task given has ended.
     *
     * @param deadline a {@link System#nanoTime()} value
     * @throws ScenarioException naming the open tasks at the deadline
     */
    synchronized void awaitIdle(long deadline) {
        Deadlines.await(this, () -> finished == given, deadline,
                () -> "the device still has " + (given - finished) + " task(s) running or queued");
    }
}
