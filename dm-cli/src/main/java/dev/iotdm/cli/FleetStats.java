package dev.iotdm.cli;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code dm-cli fleet} counted: per operation the latencies of the ones that succeeded (a
 * growing array, sorted once at the end: a run of minutes holds a few million longs at most) and
 * the errors, plus the reconnects seen on the devices' event streams.
 *
 * <p>Thread-safety: every method is synchronized; completions arrive on many threads.
 */
final class FleetStats {

    /** The operations of the traffic mix, and the connect+manage of each device. */
    enum Op {
        /** {@code ManagedClient.connect()} then {@code manage(...)}, once per device. */
        CONNECT_MANAGE("connect+manage"),
        /** {@code setLocation}: the platform answers 200. */
        SET_LOCATION("setLocation"),
        /** {@code addErrorCode}. */
        ADD_ERROR_CODE("addErrorCode"),
        /** {@code clearErrorCodes}. */
        CLEAR_ERROR_CODES("clearErrorCodes"),
        /** {@code addLog}. */
        ADD_LOG("addLog"),
        /** {@code publishEvent} at QoS 1: complete on PUBACK. */
        EVENT_QOS1("event (QoS 1)");

        private final String label;

        Op(String label) {
            this.label = label;
        }

        /** The name in the table. */
        String label() {
            return label;
        }
    }

    private final Map<Op, long[]> latencies = new EnumMap<>(Op.class);
    private final Map<Op, Integer> counts = new EnumMap<>(Op.class);
    private final Map<Op, Integer> errors = new EnumMap<>(Op.class);
    private int reconnects;
    private String firstError;

    /** Records one success of {@code op} that took {@code nanos}. */
    synchronized void succeeded(Op op, long nanos) {
        long[] values = latencies.computeIfAbsent(op, o -> new long[1024]);
        int n = counts.getOrDefault(op, 0);
        if (n == values.length) {
            values = Arrays.copyOf(values, n * 2);
            latencies.put(op, values);
        }
        values[n] = nanos;
        counts.put(op, n + 1);
    }

    /** Records one failure of {@code op}, keeping the first cause for the report. */
    synchronized void failed(Op op, Throwable cause) {
        errors.merge(op, 1, Integer::sum);
        if (firstError == null) {
            firstError = op.label() + ": " + DmCli.describe(cause);
        }
    }

    /** Records a connection the client lost (it reconnects by itself). */
    synchronized void reconnected() {
        reconnects++;
    }

    /** Successes so far of the traffic mix (connect+manage not counted). */
    synchronized long trafficOps() {
        long n = 0;
        for (Map.Entry<Op, Integer> e : counts.entrySet()) {
            if (e.getKey() != Op.CONNECT_MANAGE) {
                n += e.getValue();
            }
        }
        return n;
    }

    /** Errors so far, every operation. */
    synchronized long errors() {
        return errors.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** Connections lost so far. */
    synchronized int reconnects() {
        return reconnects;
    }

    /** The first failure seen, if any. */
    synchronized String firstError() {
        return firstError;
    }

    /** Successes of {@code op}. */
    synchronized int count(Op op) {
        return counts.getOrDefault(op, 0);
    }

    /** Errors of {@code op}. */
    synchronized int errors(Op op) {
        return errors.getOrDefault(op, 0);
    }

    /** The {@code q} quantile (0..1) of {@code op}'s latencies in milliseconds, NaN when none. */
    synchronized double quantileMillis(Op op, double q) {
        int n = counts.getOrDefault(op, 0);
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(latencies.get(op), n);
        Arrays.sort(sorted);
        return sorted[Math.min(n - 1, Math.max(0, (int) Math.ceil(q * n) - 1))] / 1e6;
    }

    /** A millisecond figure for the table. */
    static String millis(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }
}
