package dev.iotdm.transport.tck;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits on transport futures with a bound, failing the test with what happened instead.
 *
 * <p>Thread-safety: stateless; call from any thread (the test thread, normally).
 */
public final class Futures {

    private Futures() {
    }

    /**
     * The value of {@code future}; its failure is rethrown as the exception it failed with.
     *
     * @param <T> the future's value type
     * @param future the future to wait for
     * @param within how long to wait at most
     * @return the value the future completed with
     * @throws Exception the exception the future failed with (its cause, unwrapped from the
     *     {@link ExecutionException}), or {@link InterruptedException} if the wait is interrupted
     * @throws AssertionError if it does not complete within {@code within}
     */
    public static <T> T await(CompletableFuture<T> future, Duration within) throws Exception {
        try {
            return future.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + within, e);
        }
    }

    /**
     * Why {@code future} failed.
     *
     * @param future the future expected to fail
     * @param within how long to wait at most
     * @return the exception it failed with, unwrapped from the {@link ExecutionException}
     * @throws InterruptedException if the wait is interrupted
     * @throws AssertionError if it completes normally, or not at all within {@code within}
     */
    public static Throwable failureOf(CompletableFuture<?> future, Duration within) throws InterruptedException {
        try {
            Object value = future.get(within.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected the future to fail, but it completed with " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + within, e);
        }
    }
}
