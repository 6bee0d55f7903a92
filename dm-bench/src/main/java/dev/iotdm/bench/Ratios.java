package dev.iotdm.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ratio runner: times each variant against its floor in the same JVM, interleaved. Every
 * round runs a few short batches of each variant in turn, the order rotated each round so no
 * variant always follows another (a neighbour's garbage or JIT work lands on everyone in turn).
 * Within a round each variant keeps its fastest batch: on a shared machine a batch is slowed by
 * being descheduled, never sped up, so the fastest is the least disturbed. A variant's ratio is
 * taken against the floor's time of the SAME round; the result is the median ratio over the
 * rounds with its spread (the interquartile range). Absolute times are kept only to derive the ratios.
 *
 * <p>Allocation per operation is read from the JVM's per-thread allocation counter around each
 * batch, the same counter JMH's {@code -prof gc} reads.
 *
 * <p>Thread-safety: one run on one thread.
 */
final class Ratios {

    /** One operation to time; what it returns is kept so the JIT cannot drop the work. */
    @FunctionalInterface
    interface Op {
        Object run() throws Exception;
    }

    /**
     * A named operation.
     *
     * @param name the column it shows in
     * @param op the operation
     */
    record Variant(String name, Op op) {
        /** Requires both. */
        Variant {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(op, "op");
        }
    }

    /**
     * How long a run is.
     *
     * @param warmupRounds rounds run and thrown away (JIT, caches)
     * @param rounds rounds measured
     * @param repeats batches of each variant per round, the fastest kept
     * @param batchNanos about how long one batch of one variant takes
     */
    record Settings(int warmupRounds, int rounds, int repeats, long batchNanos) {
        /** The default: 4 warm-up rounds, 15 measured, 5 batches of 2 ms per variant and round. */
        static final Settings FULL = new Settings(4, 15, 5, 2_000_000L);
        /** Smoke mode: every code path once or twice, numbers meaningless. */
        static final Settings SMOKE = new Settings(1, 2, 1, 200_000L);
    }

    /**
     * The median with its spread over the rounds: the interquartile range, since on a shared
     * machine the extremes say more about the neighbours than about the code.
     *
     * @param median the median
     * @param min the first quartile
     * @param max the third quartile
     */
    record Spread(double median, double min, double max) {
        static Spread of(double[] values) {
            double[] v = values.clone();
            Arrays.sort(v);
            return new Spread(quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75));
        }

        /** Linear interpolation between the closest ranks of sorted values. */
        private static double quantile(double[] sorted, double q) {
            double at = q * (sorted.length - 1);
            int lo = (int) Math.floor(at);
            int hi = Math.min(sorted.length - 1, lo + 1);
            return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
        }

        /** {@code 1.12x [1.05-1.20]}. */
        String ratio() {
            return String.format("%.2fx [%.2f-%.2f]", median, min, max);
        }
    }

    /**
     * What one run measured: per variant, nanoseconds and bytes per operation for each round.
     *
     * @param nanos per variant name, ns/op of each measured round
     * @param bytes per variant name, bytes/op of each measured round
     */
    record Result(Map<String, double[]> nanos, Map<String, double[]> bytes) {

        /** The ratio {@code variant / floor} of each round, summarised. */
        Spread ratio(String variant, String floor) {
            double[] v = require(nanos, variant);
            double[] f = require(nanos, floor);
            double[] r = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                r[i] = v[i] / f[i];
            }
            return Spread.of(r);
        }

        /** The median bytes allocated per operation. */
        double bytesPerOp(String variant) {
            return Spread.of(require(bytes, variant)).median();
        }

        private static double[] require(Map<String, double[]> m, String name) {
            double[] v = m.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no variant named '" + name + "', have " + m.keySet());
            }
            return v;
        }
    }

    /** Where results go so the JIT must compute them; read once at the end. */
    private static Object sink;
    private static volatile int sinkRead;

    private Ratios() {
    }

    /** Runs the variants interleaved, rotating their order each round. */
    static Result run(List<Variant> variants, Settings settings) throws Exception {
        int k = variants.size();
        long[] iterations = new long[k];
        Arrays.fill(iterations, 1);
        Map<String, double[]> nanos = new LinkedHashMap<>();
        Map<String, double[]> bytes = new LinkedHashMap<>();
        for (Variant v : variants) {
            nanos.put(v.name(), new double[settings.rounds()]);
            bytes.put(v.name(), new double[settings.rounds()]);
        }
        int total = settings.warmupRounds() + settings.rounds();
        for (int round = 0; round < total; round++) {
            boolean warmup = round < settings.warmupRounds();
            double[] fastest = new double[k];
            double[] allocated = new double[k];
            Arrays.fill(fastest, Double.MAX_VALUE);
            for (int rep = 0; rep < settings.repeats(); rep++) {
                for (int j = 0; j < k; j++) {
                    int i = (round + j) % k;
                    long[] measured = batch(variants.get(i).op(), iterations[i]);
                    double perOp = (double) measured[0] / iterations[i];
                    fastest[i] = Math.min(fastest[i], perOp);
                    allocated[i] = (double) measured[1] / iterations[i];
                }
            }
            for (int i = 0; i < k; i++) {
                if (warmup) {
                    // Calibrate while warming up: aim each batch at settings.batchNanos.
                    iterations[i] = Math.max(1, (long) (settings.batchNanos() / Math.max(1.0, fastest[i])));
                } else {
                    String name = variants.get(i).name();
                    nanos.get(name)[round - settings.warmupRounds()] = fastest[i];
                    bytes.get(name)[round - settings.warmupRounds()] = allocated[i];
                }
            }
        }
        sinkRead = System.identityHashCode(sink);
        return new Result(nanos, bytes);
    }

    /** Runs {@code op} {@code n} times: elapsed nanoseconds and bytes allocated by this thread. */
    private static long[] batch(Op op, long n) throws Exception {
        long allocatedBefore = allocated();
        long start = System.nanoTime();
        for (long i = 0; i < n; i++) {
            sink = op.run();
        }
        long elapsed = System.nanoTime() - start;
        return new long[] {elapsed, allocated() - allocatedBefore};
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** A fixed-width text table. */
    static String table(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int c = 0; c < row.size(); c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < all.size(); r++) {
            List<String> row = all.get(r);
            b.append('|');
            for (int c = 0; c < row.size(); c++) {
                b.append(' ').append(String.format("%-" + width[c] + "s", row.get(c))).append(" |");
            }
            b.append('\n');
            if (r == 0) {
                b.append('|');
                for (int w : width) {
                    b.append("-".repeat(w + 2)).append('|');
                }
                b.append('\n');
            }
        }
        return b.toString();
    }
}
