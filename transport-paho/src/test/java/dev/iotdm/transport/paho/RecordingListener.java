package dev.iotdm.transport.paho;

import dev.iotdm.transport.Qos;
import dev.iotdm.transport.TransportListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link TransportListener} that records what arrives, with waits that time out. */
final class RecordingListener implements TransportListener {

    /** One message as the listener saw it. */
    record Arrived(String topic, byte[] payload, Qos qos, boolean duplicate, String thread) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final BlockingQueue<Arrived> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<Throwable> losses = new LinkedBlockingQueue<>();
    private final AtomicInteger lossCount = new AtomicInteger();

    @Override
    public void messageArrived(String topic, byte[] payload, Qos qos, boolean duplicate) {
        messages.add(new Arrived(topic, payload, qos, duplicate, Thread.currentThread().getName()));
    }

    @Override
    public void connectionLost(Throwable cause) {
        lossCount.incrementAndGet();
        losses.add(cause);
    }

    /** The next message, failing the test if none arrives within {@code timeout}. */
    Arrived awaitMessage(Duration timeout) throws InterruptedException {
        Arrived a = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (a == null) {
            throw new AssertionError("no message arrived within " + timeout);
        }
        return a;
    }

    /** The cause of the next connection loss, failing the test if none is reported within {@code timeout}. */
    Throwable awaitLoss(Duration timeout) throws InterruptedException {
        Throwable t = losses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (t == null) {
            throw new AssertionError("connectionLost was not called within " + timeout);
        }
        return t;
    }

    /** How often connectionLost was called. */
    int lossCount() {
        return lossCount.get();
    }

    /** Messages not yet taken with {@link #awaitMessage}. */
    int waitingMessages() {
        return messages.size();
    }
}
