package dev.iotdm.transport.paho;

import static dev.iotdm.transport.paho.TestBroker.WAIT;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits on futures with the tests' timeout. */
final class Futures {

    private Futures() {
    }

    /** The value, or the failure as an exception; a timeout fails the test. */
    static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + WAIT, e);
        }
    }

    /** Why the future failed; completing normally or not at all fails the test. */
    static Throwable failureOf(CompletableFuture<?> future) throws InterruptedException {
        try {
            Object value = future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected the future to fail, but it completed with " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + WAIT, e);
        }
    }
}
