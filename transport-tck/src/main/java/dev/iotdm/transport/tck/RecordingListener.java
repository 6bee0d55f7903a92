package dev.iotdm.transport.tck;

import dev.iotdm.transport.Qos;
import dev.iotdm.transport.TransportListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TransportListener} that records what arrives, with waits that time out. A
 * {@link #holding() holding} listener keeps the transport inside {@code messageArrived} until
 * {@link #release()}, so a test can see what the transport does (and does not do) meanwhile.
 *
 * <p>Thread-safety: the listener methods may run on any thread; the waits are for the test thread.
 */
public final class RecordingListener implements TransportListener {

    /** How long a held {@code messageArrived} waits for {@link #release()} before giving up. */
    private static final Duration HOLD_AT_MOST = Duration.ofSeconds(60);

    /**
     * One message as the listener saw it.
     *
     * @param topic the topic name
     * @param payload the payload
     * @param qos the delivered QoS
     * @param duplicate the DUP flag
     * @param thread the name of the thread that called the listener
     */
    public record Arrived(String topic, byte[] payload, Qos qos, boolean duplicate, String thread) {
        /**
         * The payload as text, for JSON assertions.
         *
         * @return the payload decoded as UTF-8
         */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final BlockingQueue<Arrived> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<Throwable> losses = new LinkedBlockingQueue<>();
    private final AtomicInteger lossCount = new AtomicInteger();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released;

    private RecordingListener(boolean hold) {
        this.released = new CountDownLatch(hold ? 1 : 0);
    }

    /** A listener that records and returns at once. */
    public RecordingListener() {
        this(false);
    }

    /**
     * A listener whose every {@code messageArrived} waits (at most a minute) for {@link #release()}.
     *
     * @return a new holding listener
     */
    public static RecordingListener holding() {
        return new RecordingListener(true);
    }

    @Override
    public void messageArrived(String topic, byte[] payload, Qos qos, boolean duplicate) {
        messages.add(new Arrived(topic, payload, qos, duplicate, Thread.currentThread().getName()));
        entered.countDown();
        try {
            // Blocking here breaks the listener rule on purpose: it shows when the transport acks.
            released.await(HOLD_AT_MOST.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        lossCount.incrementAndGet();
        losses.add(cause);
    }

    /**
     * Waits until the transport is inside {@code messageArrived} for the first time.
     *
     * @param timeout how long to wait at most
     * @throws InterruptedException if the wait is interrupted
     * @throws AssertionError if {@code messageArrived} is not called within {@code timeout}
     */
    public void awaitEntered(Duration timeout) throws InterruptedException {
        if (!entered.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("messageArrived was not called within " + timeout);
        }
    }

    /** Lets held and later {@code messageArrived} calls return. */
    public void release() {
        released.countDown();
    }

    /**
     * Takes the next message, in arrival order.
     *
     * @param timeout how long to wait at most
     * @return the oldest message not taken yet
     * @throws InterruptedException if the wait is interrupted
     * @throws AssertionError if none arrives within {@code timeout}
     */
    public Arrived awaitMessage(Duration timeout) throws InterruptedException {
        Arrived a = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (a == null) {
            throw new AssertionError("no message arrived within " + timeout);
        }
        return a;
    }

    /**
     * Takes the next connection loss.
     *
     * @param timeout how long to wait at most
     * @return the cause the transport passed to {@code connectionLost}
     * @throws InterruptedException if the wait is interrupted
     * @throws AssertionError if no loss is reported within {@code timeout}
     */
    public Throwable awaitLoss(Duration timeout) throws InterruptedException {
        Throwable t = losses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (t == null) {
            throw new AssertionError("connectionLost was not called within " + timeout);
        }
        return t;
    }

    /**
     * Counts losses, taken or not, e.g. to check that a disconnect reports none.
     *
     * @return how often {@code connectionLost} was called
     */
    public int lossCount() {
        return lossCount.get();
    }

    /**
     * Counts what arrived and was not taken, e.g. to check that nothing more arrived.
     *
     * @return the number of messages not yet taken with {@link #awaitMessage}
     */
    public int waitingMessages() {
        return messages.size();
    }
}
