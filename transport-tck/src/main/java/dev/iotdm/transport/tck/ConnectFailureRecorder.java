package dev.iotdm.transport.tck;

import dev.iotdm.transport.MqttTransport;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Keeps why each connect attempt of a transport failed, so a DM-flow test can tell why a
 * {@code ManagedClient} that keeps retrying did not connect. The transport is seen through a
 * dynamic proxy that forwards every call unchanged (methods the SPI gains later included) and
 * only watches the futures {@code connect} returns.
 *
 * <p>Thread-safety: safe for use by several threads.
 */
final class ConnectFailureRecorder {

    private final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();

    /** {@code transport}, with its connect attempts watched. */
    MqttTransport observe(MqttTransport transport) {
        InvocationHandler forward = (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(transport, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (method.getName().equals("connect") && result instanceof CompletableFuture<?> attempt) {
                attempt.whenComplete((ok, error) -> {
                    if (error != null) {
                        failures.add(error instanceof CompletionException c && c.getCause() != null
                                ? c.getCause() : error);
                    }
                });
            }
            return result;
        };
        return (MqttTransport) Proxy.newProxyInstance(MqttTransport.class.getClassLoader(),
                new Class<?>[] {MqttTransport.class}, forward);
    }

    /** Why the next connect attempt failed, failing the test if none failed within {@code timeout}. */
    Throwable awaitFailure(Duration timeout) throws InterruptedException {
        Throwable t = failures.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (t == null) {
            throw new AssertionError("no connect attempt failed within " + timeout);
        }
        return t;
    }
}
