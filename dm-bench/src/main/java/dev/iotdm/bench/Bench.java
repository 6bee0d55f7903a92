package dev.iotdm.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of dm-bench.
 *
 * <pre>
 *   java -jar dm-bench/target/dm-bench.jar ratios [--smoke] [p1] [p2] [p3] [p4]
 *   java -jar dm-bench/target/dm-bench.jar jmh [JMH options, e.g. -prof gc CodecBenchmark]
 * </pre>
 *
 * <p>{@code ratios} runs the ratio suites (all of them when none is named) and prints one table
 * each; {@code jmh} hands over to JMH's own command line for the single-operation benchmarks.
 */
public final class Bench {

    /** The suites, in the order they run. */
    static final List<String> SUITES = List.of("p1", "p4", "p2", "p3");

    private Bench() {
    }

    /** Runs the command line; exits 2 on bad usage. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            usage(System.out);
            return;
        }
        switch (args[0]) {
            case "ratios" -> {
                ratios(System.out, Arrays.copyOfRange(args, 1, args.length));
                // A bare Paho client's sender thread (not a daemon) sometimes outlives its close()
                // and would keep the JVM up after the last table.
                System.exit(0);
            }
            case "jmh" -> org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            // The other process of P3, started by FleetRatios itself.
            case "platform" -> FleetRatios.servePlatform(Integer.parseInt(args[1]));
            default -> {
                System.err.println("unknown command '" + args[0] + "'");
                usage(System.err);
                System.exit(2);
            }
        }
    }

    /** Runs the named ratio suites (every suite when none is named). */
    static void ratios(PrintStream out, String... args) throws Exception {
        boolean smoke = false;
        Set<String> suites = new LinkedHashSet<>();
        for (String a : args) {
            if (a.equals("--smoke")) {
                smoke = true;
            } else if (SUITES.contains(a)) {
                suites.add(a);
            } else {
                throw new IllegalArgumentException("unknown suite or option '" + a + "'; suites: " + SUITES
                        + ", option: --smoke");
            }
        }
        if (suites.isEmpty()) {
            suites.addAll(SUITES);
        }
        Machine.describe(out, smoke);
        for (String s : SUITES) {
            if (!suites.contains(s)) {
                continue;
            }
            out.println();
            switch (s) {
                case "p1" -> CodecRatios.run(out, smoke ? Ratios.Settings.SMOKE : Ratios.Settings.FULL);
                case "p4" -> FirmwareRatios.run(out, smoke);
                case "p2" -> RoundTripRatios.run(out, smoke);
                case "p3" -> FleetRatios.run(out, smoke);
                default -> throw new IllegalStateException(s);
            }
        }
        out.println();
        out.println("load average at the end: " + Machine.loadAverage());
    }

    private static void usage(PrintStream out) {
        out.println("usage: dm-bench ratios [--smoke] [" + String.join("] [", SUITES) + "]");
        out.println("       dm-bench jmh [JMH options]   e.g. jmh -prof gc CodecBenchmark");
    }
}
