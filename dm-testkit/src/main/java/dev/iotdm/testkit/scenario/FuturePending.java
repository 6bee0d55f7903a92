package dev.iotdm.testkit.scenario;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Something a step started whose future gives its outcome: a platform operation of a
 * {@code FakePlatform}, a device request of a client. A failed future is an outcome too
 * ({@code "Failed: <cause>"}); the invariants judge it.
 *
 * @param describe what it is, for reports
 * @param future completes with the outcome
 */
public record FuturePending(String describe, CompletableFuture<?> future) implements Pending {

    /**
     * Requires both parts.
     *
     * @param describe what it is; not {@code null}
     * @param future the outcome's future; not {@code null}
     */
    public FuturePending {
        Objects.requireNonNull(describe, "describe");
        Objects.requireNonNull(future, "future");
    }

    @Override
    public Optional<String> outcome() {
        if (!future.isDone()) {
            return Optional.empty();
        }
        try {
            return Optional.of(String.valueOf(future.join()));
        } catch (RuntimeException e) {
            return Optional.of("Failed: " + e.getCause());
        }
    }
}
