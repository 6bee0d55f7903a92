package dev.iotdm.conformance.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.testkit.broker.Persistence;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.transport.MqttVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix of issue #10 over real sockets: {@link NetworkFault} x {@link Flow} on every
 * transport row (Paho MQTT 5, Netty MQTT 3.1.1, Netty MQTT 5), each cell a fresh device behind its
 * own fault proxy in front of the row's embedded HiveMQ broker (file persistence, so that a kept
 * session survives the broker's restart).
 *
 * <p>By default a covering subset runs: on every row each fault once and each flow at least once
 * (the pairing rotates with the row, so the rows cover different cells). With
 * {@code -Dfault.matrix=full} the full product runs. Either way the run prints a table: cell,
 * tried, converged, lost events, duplicates, unanswered. Every cell must converge.
 */
class FaultMatrixTest {

    /** The system property that selects the full product instead of the covering subset. */
    static final String MODE_PROPERTY = "fault.matrix";
    /** The system property that runs one row only ({@code paho-5}, {@code netty-3.1.1}, {@code netty-5}), for a quick look. */
    static final String ROW_PROPERTY = "fault.matrix.row";

    private static final ConcurrentLinkedQueue<CellResult> RESULTS = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger DEVICES = new AtomicInteger();

    @TempDir
    static Path stateDir;

    private record Row(String transport, MqttVersion version) {
        String name() {
            return transport + "-" + (version == MqttVersion.MQTT_5 ? "5" : "3.1.1");
        }
    }

    private static final List<Row> ROWS = List.of(new Row("paho", MqttVersion.MQTT_5),
            new Row("netty", MqttVersion.MQTT_3_1_1), new Row("netty", MqttVersion.MQTT_5));

    @TestFactory
    Stream<DynamicNode> every_cell_converges_with_nothing_lost() {
        boolean full = "full".equals(System.getProperty(MODE_PROPERTY, "subset").toLowerCase(Locale.ROOT));
        List<DynamicNode> rows = new ArrayList<>();
        String only = System.getProperty(ROW_PROPERTY, "");
        for (int r = 0; r < ROWS.size(); r++) {
            Row row = ROWS.get(r);
            if (!only.isEmpty() && !row.name().equals(only)) {
                continue;
            }
            List<DynamicTest> cells = new ArrayList<>();
            RowPlatform shared = new RowPlatform();
            for (NetworkFault fault : NetworkFault.values()) {
                for (Flow flow : Flow.values()) {
                    if (full || covers(r, fault, flow)) {
                        cells.add(DynamicTest.dynamicTest(fault + " during " + flow,
                                () -> runCell(shared, row, fault, flow)));
                    }
                }
            }
            if (r == 0) {
                // The graceful close over real sockets, on this row's platform (see CloseFlush).
                cells.add(DynamicTest.dynamicTest("close() after a 202 and an immediate restart loses nothing",
                        () -> CloseFlush.a_reboot_handler_that_restarts_the_device_at_once_loses_no_202(shared.get(),
                                Files.createDirectories(stateDir.resolve("flush-restart")))));
                cells.add(DynamicTest.dynamicTest("close() on a stalled broker keeps its bound and reports the 202",
                        () -> CloseFlush.a_stalled_broker_costs_close_no_more_than_its_bound_and_the_202_is_reported(
                                shared.get(), Files.createDirectories(stateDir.resolve("flush-stall")))));
            }
            cells.add(DynamicTest.dynamicTest("close the row's platform", shared::close));
            rows.add(DynamicContainer.dynamicContainer(row.name(), cells));
        }
        return rows.stream();
    }

    /** The covering subset: fault i meets flow (i + row) mod 5, so each fault runs once and each flow at least once. */
    private static boolean covers(int row, NetworkFault fault, Flow flow) {
        return (fault.ordinal() + row) % Flow.values().length == flow.ordinal();
    }

    private static void runCell(RowPlatform shared, Row row, NetworkFault fault, Flow flow) throws Exception {
        FaultCell cell = new FaultCell(shared.get(), row.transport(), row.version(), fault, flow, stateDir,
                "cell" + DEVICES.incrementAndGet());
        CellResult result = cell.run();
        RESULTS.add(result);
        System.out.printf(Locale.ROOT, "fault matrix: %s %s in %d ms %s%n", result.cell(),
                result.converged() ? "converged" : "FAILED", result.millis(), result.detail());
        assertThat(result.converged()).as("%s: %s", result.cell(), result.detail()).isTrue();
    }

    @AfterAll
    static void printTable() {
        List<CellResult> results = new ArrayList<>(RESULTS);
        results.sort(Comparator.comparing(CellResult::cell));
        StringBuilder table = new StringBuilder("\nFault matrix (issue #10): ")
                .append(results.size()).append(" cells\n")
                .append(String.format(Locale.ROOT, "%-58s %5s %9s %4s %4s %10s %6s  %s%n", "cell", "tried", "converged",
                        "lost", "dups", "unanswered", "ms", "detail"));
        for (CellResult c : results) {
            table.append(String.format(Locale.ROOT, "%-58s %5d %9d %4d %4d %10d %6d  %s%n", c.cell(), 1,
                    c.converged() ? 1 : 0, c.eventsLost(), c.duplicates(), c.unanswered(), c.millis(), c.detail()));
        }
        long converged = results.stream().filter(CellResult::converged).count();
        table.append("total: tried ").append(results.size()).append(", converged ").append(converged)
                .append(", lost events ").append(results.stream().mapToInt(CellResult::eventsLost).sum())
                .append(", duplicates ").append(results.stream().mapToInt(CellResult::duplicates).sum())
                .append(", unanswered ").append(results.stream().mapToInt(CellResult::unanswered).sum()).append('\n');
        System.out.print(table);
        writeReport(table.toString());
    }

    /** Also leaves the table in target/ so that CI keeps it next to the surefire reports. */
    private static void writeReport(String table) {
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                Files.writeString(target.resolve("fault-matrix.txt"), table);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write target/fault-matrix.txt", e);
        }
    }

    /** The row's platform, started by its first cell (so that a subset run starts only the rows it needs). */
    private static final class RowPlatform implements AutoCloseable {
        private FakePlatform platform;

        synchronized FakePlatform get() {
            if (platform == null) {
                platform = FakePlatform.builder().brokerOptions(b -> b.persistence(Persistence.FILE)).build();
            }
            return platform;
        }

        @Override
        public synchronized void close() {
            if (platform != null) {
                platform.close();
                platform = null;
            }
        }
    }
}
