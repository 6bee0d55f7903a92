package dev.iotdm.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.pbt.Choices;
import dev.iotdm.pbt.Seeds;
import dev.iotdm.testkit.rules.RuleBook;
import dev.iotdm.testkit.rules.RuleLevel;
import dev.iotdm.testkit.scenario.CoverageReport;
import dev.iotdm.testkit.scenario.RowResult;
import dev.iotdm.testkit.scenario.ScenarioResult;
import dev.iotdm.testkit.scenario.ScenarioRow;
import dev.iotdm.testkit.scenario.ScenarioRunner;
import dev.iotdm.testkit.scenario.ScenarioStep;
import dev.iotdm.testkit.scenario.Scenarios;
import dev.iotdm.transport.MqttVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite over the transport matrix: the same seeded random scenarios on every row,
 * the invariants after each, and the rule coverage table printed at the end (CI log).
 *
 * <p>Rows and their faults: in-memory (drop, device restart, duplicate delivery, slow link), Paho
 * and Netty over the embedded HiveMQ (drop, device restart, duplicate delivery; on the Paho row a
 * few scenarios with one broker restart each, and broker restarts among the generated faults with
 * {@value #BROKER_RESTARTS}), Paho and Netty over mosquitto through the fault proxy (drop, device
 * restart, duplicate delivery, stall). A step over sockets ends on the publish counters of the
 * device's transport, the broker and the proxy (ScenarioRunner), so a seed's scenarios repeat. A
 * socket row's failure is shrunk in memory first when it reproduces there, else on the row with
 * {@value #SOCKET_SHRINK_ATTEMPTS} replays on short deadlines.
 *
 * <p>{@code -Dconformance.scenarios=N} runs N scenarios on the in-memory row instead of its fixed
 * budget, and N / {@value #SOCKET_SHARE} (at least their fixed budget) on each socket row, where a
 * scenario costs real seconds; {@code -Dpbt.seed=N} replays a reported failure.
 */
class ConformanceMatrixTest {

    /** Scenarios per row in the normal build: the budget that keeps the suite within minutes on 2 cores. */
    private static final int IN_MEMORY_BUDGET = 200;
    private static final int SOCKET_BUDGET = 16;
    /** The mosquitto rows repeat the embedded rows' scenarios on another broker: a smaller share of the build's time. */
    private static final int MOSQUITTO_BUDGET = 10;
    /**
     * {@code -Dconformance.socketShrinkAttempts=N}: the replays a socket row's shrink may spend
     * (attempts, not time, so a shrink repeats), 20 by default. Each replay over sockets costs
     * seconds (a hang at most the row's short replay deadline), so the default keeps a failing
     * build within minutes.
     */
    static final String SOCKET_SHRINK_ATTEMPTS = "conformance.socketShrinkAttempts";
    private static final int SOCKET_SHRINK_REPLAYS = Seeds.positiveInt(SOCKET_SHRINK_ATTEMPTS, 20);
    private static final int MAX_STEPS = 25;
    /** Scenarios per coverage top-up round (see run). */
    private static final int TOP_UP = 2;
    /**
     * {@code -Dconformance.brokerRestarts=true} adds broker restarts to the Paho row's generated
     * faults: about 70 s more for the row's 16 scenarios on 2 cores, so they are off in the
     * README's test command, which runs {@link #RESTART_SCENARIOS} scenarios with one restart each
     * instead.
     */
    static final String BROKER_RESTARTS = "conformance.brokerRestarts";
    /** {@code -Dconformance.restartScenarios=N}: scenarios with one broker restart each on the Paho row (2 by default). */
    static final String RESTART_SCENARIOS = "conformance.restartScenarios";
    /**
     * A socket row runs this many times fewer scenarios than {@code -Dconformance.scenarios} asks:
     * CI's 2000 give each socket row 100 (about 3 to 4 minutes a row on 2 cores). The failure the
     * paho-5/mosquitto row once showed at 100 did not come back once steps settle on the publish
     * counters and a stall ends before the closing re-manage (issue 11).
     */
    static final int SOCKET_SHARE = 20;

    /** Rules that cannot apply to a row, with the reason; printed with the table. */
    private static final Map<String, Map<String, String>> NOT_APPLICABLE = Map.of("in-memory", noSubscribeEvents(),
            "paho-5/hivemq", socketRow(false), "netty-3_1_1/hivemq", socketRow(false),
            "netty-5/hivemq", socketRow(false), "paho-5/mosquitto", socketRow(true),
            "netty-3_1_1/mosquitto", socketRow(true));

    private static final List<RowResult> RESULTS = new ArrayList<>();

    @Test
    void in_memory_pairing_keeps_every_invariant() {
        run(new InMemoryRow(), ScenarioRunner.scenarios(IN_MEMORY_BUDGET), ScenarioRunner.DEFAULT_SHRINK_ATTEMPTS);
    }

    /** Rules only a misbehaving platform or a failing cancel exercises: our platform and device never do. */
    private static Map<String, String> ourPlatformOnly() {
        return Map.of(
                "DM-UNMANAGE-1", "exercised only by a DM request sent to an unmanaged device; the platform engine"
                        + " refuses such operations before sending",
                "DM-CANCEL-1", "exercised only by a cancel answered with an rc other than 200; our device answers 200 (R12.27)",
                "R12.12-NO-REPLY-WITHOUT-REQID", "needs a device/update push without reqId; the platform engine always sends one",
                "R12.31-UNKNOWN-TOPIC-404", "needs a raw publish on an unknown iotdm-1 topic; the platform engine sends only §4 requests");
    }

    /** Where no broker reports SUBSCRIBEs (the in-memory pairing, mosquitto), two rules cannot be judged. */
    private static Map<String, String> noSubscribeEvents() {
        Map<String, String> reasons = new TreeMap<>(ourPlatformOnly());
        reasons.put("DM-SUB-1", "checked where the broker reports each SUBSCRIBE (the embedded HiveMQ rows, dm-cli"
                + " conformance); this row's broker does not");
        reasons.put("DM-MANAGE-4", "checked where the broker reports each SUBSCRIBE (the embedded HiveMQ rows, dm-cli"
                + " conformance); this row's broker does not");
        return reasons;
    }

    @Test
    void paho_over_the_embedded_broker_keeps_every_invariant() {
        try (TransportRow row = new TransportRow("paho", MqttVersion.MQTT_5, Boolean.getBoolean(BROKER_RESTARTS))) {
            run(row, socketBudget(SOCKET_BUDGET), SOCKET_SHRINK_REPLAYS);
        }
    }

    /**
     * A few scenarios of the Paho row with one broker restart each, at a seeded position: the
     * embedded broker loses every session (in-memory persistence), the client reconnects and
     * manages again, and the invariants hold. Kept to a few because a restart costs seconds.
     */
    @Test
    void paho_over_the_embedded_broker_keeps_every_invariant_across_a_broker_restart() {
        long seed = Seeds.runSeed();
        int maxSteps = 8; // the other Paho scenarios run the long ones; these are for the restart
        try (TransportRow row = new TransportRow("paho", MqttVersion.MQTT_5, true)) {
            ScenarioRunner runner = new ScenarioRunner(row, maxSteps);
            SplittableRandom master = new SplittableRandom(seed);
            for (int i = 1; i <= Seeds.positiveInt(RESTART_SCENARIOS, 2); i++) {
                SplittableRandom random = master.split();
                List<ScenarioStep> steps = new ArrayList<>(Scenarios.scenarios(maxSteps, row::supports)
                        .generate(Choices.random(random)));
                steps.add(random.nextInt(steps.size() + 1), new ScenarioStep.RestartBroker());

                ScenarioResult result = runner.runOne(steps);

                assertThat(result.problems()).as("scenario %d with a broker restart on row %s (%s): %s%n%s", i,
                        row.name(), Seeds.replayHint(seed), steps, result.transcript()).isEmpty();
            }
        }
    }

    @Test
    void netty_on_mqtt_3_1_1_over_the_embedded_broker_keeps_every_invariant() {
        try (TransportRow row = new TransportRow("netty", MqttVersion.MQTT_3_1_1, false)) {
            run(row, socketBudget(SOCKET_BUDGET), SOCKET_SHRINK_REPLAYS);
        }
    }

    @Test
    void netty_on_mqtt_5_over_the_embedded_broker_keeps_every_invariant() {
        try (TransportRow row = new TransportRow("netty", MqttVersion.MQTT_5, false)) {
            run(row, socketBudget(SOCKET_BUDGET), SOCKET_SHRINK_REPLAYS);
        }
    }

    @Test
    void paho_on_mqtt_5_over_mosquitto_keeps_every_invariant() {
        try (MosquittoRow row = MosquittoRow.startOrSkip("paho", MqttVersion.MQTT_5)) {
            run(row, socketBudget(MOSQUITTO_BUDGET), SOCKET_SHRINK_REPLAYS);
        }
    }

    @Test
    void netty_on_mqtt_3_1_1_over_mosquitto_keeps_every_invariant() {
        try (MosquittoRow row = MosquittoRow.startOrSkip("netty", MqttVersion.MQTT_3_1_1)) {
            run(row, socketBudget(MOSQUITTO_BUDGET), SOCKET_SHRINK_REPLAYS);
        }
    }

    /**
     * Regression (seed 5440322516251670317 on netty-3_1_1/mosquitto): a stall as the last step
     * held the closing re-manage after an unmanage until its 90 s deadline; it now ends before it.
     * On the row's replay deadlines, so a regression fails in seconds.
     */
    @Test
    void a_stall_as_the_last_step_ends_before_the_closing_remanage_on_mosquitto() {
        try (MosquittoRow row = MosquittoRow.startOrSkip("netty", MqttVersion.MQTT_3_1_1)) {
            ScenarioResult result = new ScenarioRunner(row.forReplays(), MAX_STEPS)
                    .runOne(List.of(new ScenarioStep.Unmanage(), new ScenarioStep.Stall()));

            assertThat(result.problems()).isEmpty();
            assertThat(result.transcript()).contains("iotdevice-1/mgmt/manage");
        }
    }

    /**
     * Steps end on counters, not on timing, so one seed's scenarios give the same messages on
     * every run over sockets: per scenario, the same multiset of (direction, topic) in the
     * transcript (their interleaving within a step, and reqIds and times, may differ).
     */
    @Test
    void the_same_seed_gives_the_same_transcript_shape_over_sockets() {
        long seed = 20261206L;
        try (MosquittoRow row = MosquittoRow.startOrSkip("paho", MqttVersion.MQTT_5)) {
            int maxSteps = 10; // short scenarios: each runs twice
            ScenarioRunner runner = new ScenarioRunner(row, maxSteps);
            List<List<ScenarioStep>> scenarios = new ArrayList<>();
            SplittableRandom master = new SplittableRandom(seed);
            for (int i = 0; i < 2; i++) {
                scenarios.add(Scenarios.scenarios(maxSteps, row::supports).generate(Choices.random(master.split())));
            }
            for (List<ScenarioStep> steps : scenarios) {
                ScenarioResult first = runner.runOne(steps);
                ScenarioResult again = runner.runOne(steps);

                System.out.println("transcript shape of a scenario of seed " + seed + " on " + row.name() + ": "
                        + shape(first));
                assertThat(shape(again)).as("shape of the second run; first run's transcript:%n%s%nsecond run's:%n%s",
                        first.transcript(), again.transcript()).isEqualTo(shape(first));
            }
        }
    }

    /**
     * How many messages went each way on each topic; an identical second answer to one reqId (a
     * redelivery, informational DM-RESP-4) counts once. A failed scenario fails the test here.
     */
    private static Map<String, Long> shape(ScenarioResult result) {
        assertThat(result.problems()).as("problems of the scenario").isEmpty();
        // A transcript line is "time arrow clientId topic qos ... payload" or "time KIND clientId ...".
        java.util.Set<String> answers = new java.util.HashSet<>();
        return result.transcript().lines().map(line -> line.split(" ", 2)[1])
                .filter(line -> !line.contains(" iotdevice-1/response ") || answers.add(line.replace(" DUP ", " ")))
                .map(line -> line.split(" ")).collect(Collectors.groupingBy(
                        parts -> parts.length > 3 ? parts[0] + " " + parts[2] : parts[0], TreeMap::new,
                        Collectors.counting()));
    }

    /** The scenarios of a socket row: its fixed budget, or its share of {@code -Dconformance.scenarios}. */
    private static int socketBudget(int fixed) {
        return Math.max(fixed, ScenarioRunner.scenarios(fixed) / SOCKET_SHARE);
    }

    /** A socket row runs in real time: no scenario waits out a manage lifetime. */
    private static Map<String, String> socketRow(boolean plainBroker) {
        Map<String, String> reasons = new TreeMap<>(plainBroker ? noSubscribeEvents() : ourPlatformOnly());
        reasons.put("C13.6-REMANAGE-BEFORE-EXPIRY", "needs a manage lifetime (at least an hour, R12.13) to run out;"
                + " only the in-memory row's virtual clock crosses one");
        return reasons;
    }

    private static void run(ScenarioRow row, int budget, int shrinkReplays) {
        ScenarioRunner runner = new ScenarioRunner(row, MAX_STEPS, shrinkReplays);
        // A socket row's failure is shrunk in memory first when it reproduces there (a replay costs
        // microseconds there, seconds here), then confirmed on the socket row.
        ScenarioRunner chosen = row instanceof InMemoryRow ? runner : runner.shrinkingFirstOn(new InMemoryRow());
        long seed = Seeds.runSeed();
        RowResult result = chosen.run(seed, budget);
        // A small random budget sometimes leaves a rule unexercised (a log call only while
        // managed, a firmware update after a good download): top up, a few scenarios at a time
        // from seeds derived from the run seed (so -Dpbt.seed replays them), at most the budget again.
        SplittableRandom topUps = new SplittableRandom(seed);
        for (int extra = 0; extra < budget && !missing(result).isEmpty(); extra += TOP_UP) {
            result = result.plus(chosen.run(topUps.nextLong(), TOP_UP));
        }
        synchronized (RESULTS) {
            RESULTS.add(result);
        }
        // Informational findings (an identical second answer: a QoS 1 redelivery after a dropped
        // connection, DM-RESP-4) fail nobody (Verdict); the coverage table shows them.
        assertThat(result.violated()).filteredOn(id -> RuleBook.standard().require(id).level() != RuleLevel.INFORMATIONAL)
                .as("rules violated on row %s", row.name()).isEmpty();
        assertThat(missing(result)).as("applicable rules no scenario exercised on row %s (%s and its top-ups)",
                row.name(), Seeds.replayHint(result.seed())).isEmpty();
    }

    private static java.util.Set<String> missing(RowResult result) {
        return CoverageReport.of(RuleBook.standard(), List.of(result), NOT_APPLICABLE).missing(result);
    }

    @AfterAll
    static void printCoverage() {
        System.out.println(CoverageReport.of(RuleBook.standard(), RESULTS, NOT_APPLICABLE).toText());
    }
}
