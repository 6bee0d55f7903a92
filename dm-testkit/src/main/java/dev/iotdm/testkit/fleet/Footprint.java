package dev.iotdm.testkit.fleet;

import java.lang.management.ManagementFactory;

/**
 * The heap in use and the live threads of this JVM at one moment; the difference of two, taken
 * before and after a fleet comes up, is what the fleet costs ({@link #minus}, {@link #heapKiBPer},
 * {@link #threadsPer}).
 *
 * <p>{@link #now()} reads the heap only after the collector has had its say: a few full GCs
 * ({@link System#gc()}) until the figure stops shrinking, so garbage left by the start-up is not
 * counted as the devices' own. It is meant for measurements, never for a hot path.
 *
 * @param heapBytes heap in use, in bytes (a difference may be negative)
 * @param threads live threads (a difference may be negative)
 */
public record Footprint(long heapBytes, int threads) {

    /** How many full GCs {@link #now()} asks for at most. */
    private static final int MAX_GCS = 5;

    /**
     * This JVM's settled heap in use and its live thread count, now.
     *
     * @return the footprint
     */
    public static Footprint now() {
        return new Footprint(settledHeap(), ManagementFactory.getThreadMXBean().getThreadCount());
    }

    /**
     * What was added since {@code before}.
     *
     * @param before the footprint taken earlier
     * @return this minus {@code before}, field by field
     */
    public Footprint minus(Footprint before) {
        return new Footprint(heapBytes - before.heapBytes, threads - before.threads);
    }

    /**
     * The heap per device, in KiB.
     *
     * @param devices how many devices share this footprint (at least 1)
     * @return heap KiB per device
     * @throws IllegalArgumentException if {@code devices} is less than 1
     */
    public double heapKiBPer(int devices) {
        return heapBytes / 1024.0 / positive(devices);
    }

    /**
     * The threads per device.
     *
     * @param devices how many devices share this footprint (at least 1)
     * @return threads per device
     * @throws IllegalArgumentException if {@code devices} is less than 1
     */
    public double threadsPer(int devices) {
        return (double) threads / positive(devices);
    }

    private static int positive(int devices) {
        if (devices < 1) {
            throw new IllegalArgumentException("devices must be at least 1, was " + devices);
        }
        return devices;
    }

    /** Heap in use after a few full GCs, once a GC no longer shrinks it. */
    private static long settledHeap() {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < MAX_GCS; i++) {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (used >= last) {
                return used;
            }
            last = used;
        }
        return last;
    }
}
