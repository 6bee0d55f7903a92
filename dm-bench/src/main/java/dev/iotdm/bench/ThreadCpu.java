package dev.iotdm.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this process's threads grouped by name (digits folded, so {@code iotdm-netty-1-2}
 * and {@code iotdm-netty-1-3} count together), user and kernel time apart, read from Linux's
 * {@code /proc/self/task}. Unlike a sampling profiler it sees every thread, the JIT's compiler
 * threads and the GC's included, and the time each spent in the kernel (sockets).
 *
 * @param ticks user and kernel clock ticks per thread group (index 0 user, 1 kernel)
 */
record ThreadCpu(Map<String, long[]> ticks) {

    /** Clock ticks per second of {@code /proc} ({@code USER_HZ}, 100 on every Linux we run on). */
    static final int TICKS_PER_SECOND = 100;

    /** Now; empty when {@code /proc} cannot be read (not Linux). */
    static ThreadCpu now() {
        Map<String, long[]> ticks = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                add(ticks, task);
            }
        } catch (IOException | RuntimeException e) {
            ticks.clear();
        }
        return new ThreadCpu(ticks);
    }

    private static void add(Map<String, long[]> ticks, Path task) {
        String stat;
        try {
            stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
            return; // the thread ended meanwhile
        }
        // pid (comm) state ppid ... : comm may hold spaces and parentheses, so split at the last ')'.
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close).replaceAll("[0-9]+", "N");
        String[] f = stat.substring(close + 2).split(" ");
        // After the comm: state is field 3 of the man page, utime 14 and stime 15.
        long[] t = ticks.computeIfAbsent(name, k -> new long[2]);
        t[0] += Long.parseLong(f[11]);
        t[1] += Long.parseLong(f[12]);
    }

    /**
     * What each thread group used since {@code before}, as {@code name user+kernel ms per device}
     * lines, the largest first; threads that ended in between are not counted.
     */
    String since(ThreadCpu before, int devices) {
        StringBuilder out = new StringBuilder();
        ticks.entrySet().stream()
                .map(e -> {
                    long[] b = before.ticks.getOrDefault(e.getKey(), new long[2]);
                    return Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
                })
                .filter(e -> e.getValue()[0] + e.getValue()[1] > 0)
                .sorted((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
                .forEach(e -> out.append(String.format("  %-16s user %6.3f  kernel %6.3f  CPU ms / device%n",
                        e.getKey(), ms(e.getValue()[0], devices), ms(e.getValue()[1], devices))));
        return out.toString();
    }

    private static double ms(long ticks, int devices) {
        return ticks * 1000.0 / TICKS_PER_SECOND / devices;
    }
}
