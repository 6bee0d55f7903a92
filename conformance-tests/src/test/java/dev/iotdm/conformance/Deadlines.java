package dev.iotdm.conformance;

import dev.iotdm.testkit.scenario.ScenarioException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits of a scenario step, all bounded by the step's deadline (a {@link System#nanoTime()} value):
 * the counters a step settles on signal their monitor on every change, so a wait re-checks only then.
 */
final class Deadlines {

    private Deadlines() {
    }

    /** The time left until {@code deadline}, never negative. */
    static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /**
     * Waits on {@code monitor}, which the caller holds, until {@code done} holds.
     *
     * @param monitor the object whose monitor guards what {@code done} reads; signalled on every change
     * @param done the condition
     * @param deadline a {@link System#nanoTime()} value
     * @param what what is still open, for the exception
     * @throws ScenarioException naming {@code what} at the deadline, or when interrupted
     */
    static void await(Object monitor, BooleanSupplier done, long deadline, Supplier<String> what) {
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ScenarioException(what.get() + " at the step's deadline");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ScenarioException("interrupted while waiting: " + what.get(), e);
            }
        }
    }
}
