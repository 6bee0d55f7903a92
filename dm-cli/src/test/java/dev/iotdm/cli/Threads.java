package dev.iotdm.cli;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What a run leaves behind: non-daemon threads keep the JVM of {@code java -jar} from ending. */
final class Threads {

    private Threads() {
    }

    /** The live non-daemon threads now. */
    static Set<Thread> nonDaemon() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    /**
     * The non-daemon threads started since {@code before} that are still alive after each was given
     * up to {@code timeout} to end (closing may finish just after the run returns).
     */
    static List<String> leftSince(Set<Thread> before, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : nonDaemon()) {
            if (!before.contains(t)) {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
        return nonDaemon().stream().filter(t -> !before.contains(t)).map(Thread::getName).sorted().toList();
    }
}
