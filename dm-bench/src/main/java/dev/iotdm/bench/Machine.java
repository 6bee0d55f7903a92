package dev.iotdm.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Prints what the numbers ran on: JVM, cores, heap, the open-file limit, the load. */
final class Machine {

    private Machine() {
    }

    static void describe(PrintStream out, boolean smoke) {
        Runtime rt = Runtime.getRuntime();
        out.printf("dm-bench%s on %s %s, %s %s, %d cores, max heap %d MiB, open-file limit %s, load average %s%n",
                smoke ? " (SMOKE MODE: numbers meaningless)" : "", System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.vm.name"), System.getProperty("java.version"),
                rt.availableProcessors(), rt.maxMemory() >> 20, openFileLimit(), loadAverage());
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg: what else ran beside the numbers. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The soft and hard limit on open files of this process ({@code ulimit -n}), from /proc. */
    static String openFileLimit() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/limits"));
            for (String l : lines) {
                if (l.startsWith("Max open files")) {
                    String[] f = l.substring("Max open files".length()).trim().split("\\s+");
                    return f[0] + " (hard " + f[1] + ")";
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }
}
