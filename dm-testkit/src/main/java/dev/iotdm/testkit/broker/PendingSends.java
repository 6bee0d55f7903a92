package dev.iotdm.testkit.broker;

import com.hivemq.extension.sdk.api.services.publish.Publish;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.publish.PublishToClientResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Owns the sends to one client that wait for that client to subscribe.
 *
 * <p>{@code publishToClient} answers {@code NOT_SUBSCRIBED} when no subscription of the client
 * matches the topic. Such a send waits here and is tried again each time the broker sends that
 * client a SUBACK (its subscriptions are stored by then), until its timeout. No polling.
 *
 * <p>Lost wake-ups are avoided with a per-client subscription generation: a send remembers the
 * generation before it asks the broker, and if the generation moved while the broker answered
 * {@code NOT_SUBSCRIBED}, it asks again at once instead of waiting.
 *
 * <p>Thread-safe: one lock guards the two maps; the broker is never called under the lock.
 */
final class PendingSends {

    private final Object lock = new Object();
    private final Map<String, Long> generations = new HashMap<>();
    private final Map<String, List<Send>> waiting = new HashMap<>();
    private final Supplier<PublishService> publishService;
    private final ScheduledExecutorService timer;
    private final ClientPublishes publishes;

    PendingSends(Supplier<PublishService> publishService, ScheduledExecutorService timer, ClientPublishes publishes) {
        this.publishService = publishService;
        this.timer = timer;
        this.publishes = publishes;
    }

    /** Starts a send; the future completes when the broker has queued it for a subscription. */
    CompletableFuture<Void> send(String clientId, Publish publish, Duration timeout) {
        Send send = new Send(clientId, publish);
        ScheduledFuture<?> deadline = timer.schedule(() -> send.future.completeExceptionally(
                new TimeoutException("sendToDevice to client '" + clientId + "' on topic '" + publish.getTopic()
                        + "' timed out after " + timeout.toMillis() + " ms: no subscription of that client"
                        + " matched the topic (or the broker did not answer)")),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        // One clean-up path for success, failure, timeout and cancellation by the caller.
        send.future.whenComplete((ok, error) -> {
            deadline.cancel(false);
            forget(send);
        });
        send.attempt();
        return send.future;
    }

    /** The broker sent {@code clientId} a SUBACK: wake that client's waiting sends. */
    void subscribed(String clientId) {
        List<Send> woken;
        synchronized (lock) {
            generations.merge(clientId, 1L, Long::sum);
            woken = waiting.remove(clientId);
        }
        if (woken != null) {
            woken.forEach(Send::attempt);
        }
    }

    /** Fails every waiting send, e.g. because the broker stops. */
    void failAll(String why) {
        List<Send> all = new ArrayList<>();
        synchronized (lock) {
            waiting.values().forEach(all::addAll);
            waiting.clear();
            generations.clear();
        }
        all.forEach(s -> s.future.completeExceptionally(new IllegalStateException(
                "sendToDevice to client '" + s.clientId + "' on topic '" + s.publish.getTopic() + "' failed: " + why)));
    }

    private long generation(String clientId) {
        return generations.getOrDefault(clientId, 0L);
    }

    private void forget(Send send) {
        synchronized (lock) {
            List<Send> list = waiting.get(send.clientId);
            if (list != null) {
                list.remove(send);
                if (list.isEmpty()) {
                    waiting.remove(send.clientId);
                }
            }
        }
    }

    /** One send in flight: its target, its message and the future handed to the caller. */
    private final class Send {
        final String clientId;
        final Publish publish;
        final CompletableFuture<Void> future = new CompletableFuture<>();

        Send(String clientId, Publish publish) {
            this.clientId = clientId;
            this.publish = publish;
        }

        void attempt() {
            if (future.isDone()) {
                return;
            }
            long before;
            synchronized (lock) {
                before = generation(clientId);
            }
            CompletableFuture<PublishToClientResult> result;
            try {
                result = publishService.get().publishToClient(publish, clientId);
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
                return;
            }
            result.whenComplete((answer, error) -> {
                if (error != null) {
                    future.completeExceptionally(error);
                } else if (answer == PublishToClientResult.SUCCESSFUL) {
                    publishes.queued(clientId);
                    future.complete(null);
                } else if (!waitForSubscription(before)) {
                    attempt();
                }
            });
        }

        /** Parks this send until the next SUBACK; false if one came meanwhile (then retry now). */
        private boolean waitForSubscription(long before) {
            synchronized (lock) {
                if (future.isDone()) {
                    return true;
                }
                if (generation(clientId) != before) {
                    return false;
                }
                waiting.computeIfAbsent(clientId, k -> new ArrayList<>()).add(this);
                return true;
            }
        }
    }
}
