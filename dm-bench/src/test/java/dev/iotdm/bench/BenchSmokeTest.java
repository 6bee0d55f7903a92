package dev.iotdm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.testkit.broker.Mosquitto;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Every benchmark runs once in smoke mode so none rots. The numbers are never asserted: only
 * that each suite ran to its table.
 */
class BenchSmokeTest {

    @Test
    void every_ratio_suite_runs_to_its_table_in_smoke_mode() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Bench.ratios(new PrintStream(bytes, true, StandardCharsets.UTF_8), "--smoke");

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("SMOKE MODE", "P1 decode", "P1 encode", "P4 firmware", "P2 round trip",
                "P3 fleet", "| paho", "| netty");
        if (Mosquitto.installedOrFailOnCi()) { // CI installs it; a developer machine may lack it
            assertThat(out).contains("P2 round trip on mosquitto", "P3 fleet on mosquitto");
        }
    }

    @Test
    void every_jmh_benchmark_runs_once_in_process() throws Exception {
        Options options = new OptionsBuilder()
                .include(CodecBenchmark.class.getSimpleName())
                .param("payload", "addLog-zoneless")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(5))
                .shouldFailOnError(true)
                .build();

        java.util.Collection<RunResult> results = new Runner(options).run();

        assertThat(results).hasSize(10);
    }
}
