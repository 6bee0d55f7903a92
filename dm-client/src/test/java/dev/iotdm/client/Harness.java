package dev.iotdm.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.client.testing.FakeTransport;
import dev.iotdm.client.testing.FakeTransport.Published;
import dev.iotdm.protocol.testing.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * One {@link ManagedClient} under test with its {@link FakeTransport} (broker and platform) and
 * {@link VirtualTime}. By default the session runs on a direct executor (so every step the test
 * triggers is finished when the triggering call returns) and callbacks on one thread named
 * {@value #CALLBACK_THREAD_PREFIX}-1, which {@link #settle()} drains.
 */
final class Harness implements AutoCloseable {

    static final String CALLBACK_THREAD_PREFIX = "test-callback";
    static final Duration WAIT = FakeTransport.WAIT;

    static final String MANAGE = "iotdevice-1/mgmt/manage";
    static final String RESPONSE = "iotdevice-1/response";
    static final String NOTIFY = "iotdevice-1/notify";

    final FakeTransport transport = new FakeTransport();
    final VirtualTime time = VirtualTime.startingAt2026();
    final ExecutorService callbackPool = Executors.newSingleThreadExecutor(named(CALLBACK_THREAD_PREFIX));
    final List<ClientEvent> events = new CopyOnWriteArrayList<>();
    final ManagedClient client;

    private Harness(UnaryOperator<ManagedClient.Builder> customise, boolean virtual, long seed) {
        // The fake transport acknowledges only what a test tells it to: close waits for nothing
        // unless a test of the graceful close asks for a flush timeout.
        ManagedClient.Builder b = ManagedClient.builder(options()).transport(transport).listener(events::add)
                .closeFlushTimeout(Duration.ZERO);
        if (virtual) {
            b.clock(time).scheduler(time).executor(Runnable::run).callbackExecutor(callbackPool)
                    .random(new SplittableRandom(seed)).connectTimeout(Duration.ofDays(1));
        }
        this.client = customise.apply(b).build();
    }

    /** A client on virtual time, a direct session executor and one callback thread. */
    static Harness virtual(UnaryOperator<ManagedClient.Builder> customise) {
        return new Harness(customise, true, 42);
    }

    /** Like {@link #virtual(UnaryOperator)} with this seed for the backoff jitter. */
    static Harness virtual(long seed, UnaryOperator<ManagedClient.Builder> customise) {
        return new Harness(customise, true, seed);
    }

    /** A client on the real clock and the client's own shared pools. */
    static Harness sharedPools(UnaryOperator<ManagedClient.Builder> customise) {
        return new Harness(customise, false, 0);
    }

    /** Handlers for every capability a manage may declare, so that manage() accepts any parameters. */
    static ManagedClient.Builder handlingEverything(ManagedClient.Builder b) {
        return b.deviceActionHandler((kind, reqId) -> CompletableFuture.completedFuture(ActionResponse.accepted()))
                .firmwareHandler(new FirmwareHandler() {
                    @Override
                    public java.util.concurrent.CompletionStage<Void> download(
                            dev.iotdm.protocol.message.FirmwareInfo image) {
                        return CompletableFuture.completedFuture(null);
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<Void> install(
                            dev.iotdm.protocol.message.FirmwareInfo image) {
                        return CompletableFuture.completedFuture(null);
                    }
                })
                .anyCustomActionHandler(action -> CompletableFuture.completedFuture(ActionResponse.done()));
    }

    static DeviceOptions options() {
        return DeviceOptions.builder().org("abc123").typeId("sensor").deviceId("dev-1").token("s3cret-token").build();
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Connects: CONNACK, then SUBACK for both filters. */
    void connect() {
        CompletableFuture<Void> ready = client.connect();
        transport.acceptConnectAndSubscribe(false);
        await(ready);
    }

    /** Connects and manages without capabilities: what location, error-code and log requests need. */
    void connectAndManage() {
        connect();
        manage(ManageParams.of(3600, false, false)).ack();
    }

    /** Manages with these parameters and lets the platform answer 200; returns the manage sent. */
    Published manage(ManageParams params) {
        CompletableFuture<PlatformResponse> managed = client.manage(params);
        Published sent = transport.nextPublish(MANAGE);
        transport.respond(sent, 200);
        assertThat(await(managed).rc().code()).isEqualTo(200);
        return sent;
    }

    /** The device's response to the platform request {@code reqId}, waiting for it. */
    Published responseTo(String reqId) {
        return transport.nextPublish(p -> p.topic().equals(RESPONSE) && p.reqId().equals(reqId),
                "the response to " + reqId);
    }

    /** Waits until the callback thread has run everything handed to it so far. */
    void settle() {
        try {
            callbackPool.submit(() -> { }).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the callback thread did not settle within " + WAIT, e);
        }
    }

    /** The future's value, waiting at most {@link #WAIT}. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("the future failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + WAIT, e);
        }
    }

    /** Why the future failed, waiting at most {@link #WAIT}. */
    static Throwable failure(CompletableFuture<?> future) {
        try {
            Object value = future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, the future completed with " + value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + WAIT, e);
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            transport.close();
            callbackPool.shutdownNow();
            try {
                callbackPool.awaitTermination(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
