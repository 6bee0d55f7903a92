package dev.iotdm.testkit.fault;

import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * Bytes read from one side of a connection, waiting in a {@link java.util.concurrent.DelayQueue}
 * until they are due for the other side; {@code bytes == null} marks end of stream. Ordered by due
 * time, then by sequence number, so equal due times keep arrival order. {@code publishes} is the
 * number of MQTT PUBLISH packets whose last byte is in {@code bytes}, {@code qos1} the QoS 1 ones among
 * them (see {@link PublishFramer}).
 */
record Chunk(byte[] bytes, long dueNanos, long sequence, int publishes, int qos1) implements Delayed {

    boolean isEndOfStream() {
        return bytes == null;
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
        Chunk o = (Chunk) other;
        // Subtraction, not Long.compare: nanoTime values may wrap (System.nanoTime contract).
        long byDue = dueNanos - o.dueNanos;
        if (byDue != 0) {
            return byDue < 0 ? -1 : 1;
        }
        return Long.compare(sequence, o.sequence);
    }
}
