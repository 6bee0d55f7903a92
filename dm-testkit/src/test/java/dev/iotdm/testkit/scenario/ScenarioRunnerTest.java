package dev.iotdm.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iotdm.testkit.platform.DeviceView;
import dev.iotdm.testkit.rules.CheckReport;
import dev.iotdm.testkit.transcript.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The runner on a scripted world that breaks an invariant only when a reboot follows a firmware
 * download: the failure is shrunk to those two steps, printed with its seed, and repeats.
 */
class ScenarioRunnerTest {

    @Test
    void a_failing_scenario_is_shrunk_to_its_minimal_steps_and_printed_with_its_seed() {
        ScenarioFailure failure = catchThrowableOfType(ScenarioFailure.class,
                () -> new ScenarioRunner(new ScriptedRow(), 25).run(7L, 200));

        assertThat(failure.minimal().steps()).hasSize(2);
        assertThat(failure.minimal().steps().get(0)).isInstanceOf(ScenarioStep.FirmwareDownload.class);
        assertThat(failure.minimal().steps().get(1)).isInstanceOf(ScenarioStep.Reboot.class);
        assertThat(failure.getMessage()).contains("-Dpbt.seed=7").contains("minimal scenario:")
                .contains("no outcome").contains("on row scripted");
    }

    @Test
    void a_socket_failure_that_reproduces_in_memory_is_shrunk_there_and_confirmed_on_its_row() {
        ScriptedRow socket = new ScriptedRow(true, "socket");
        ScriptedRow memory = new ScriptedRow(true, "memory");
        ScenarioFailure failure = catchThrowableOfType(ScenarioFailure.class,
                () -> new ScenarioRunner(socket, 25, 3).shrinkingFirstOn(memory).run(7L, 200));

        assertThat(failure.minimal().steps()).hasSize(2);
        assertThat(failure.getMessage()).contains("failed on row socket", "replays on row memory",
                "the minimal scenario fails the same way on row socket");
        assertThat(memory.worlds).isGreaterThan(socket.worlds); // the replays ran in memory
    }

    @Test
    void a_socket_failure_that_does_not_reproduce_in_memory_is_shrunk_on_its_row() {
        ScriptedRow socket = new ScriptedRow(true, "socket");
        ScriptedRow memory = new ScriptedRow(false, "memory");
        ScenarioFailure failure = catchThrowableOfType(ScenarioFailure.class,
                () -> new ScenarioRunner(socket, 25).shrinkingFirstOn(memory).run(7L, 200));

        assertThat(failure.minimal().steps()).hasSize(2);
        assertThat(failure.getMessage()).contains("replays on row socket",
                "it does not fail the same way on row memory: shrunk on row socket");
        assertThat(memory.worlds).isEqualTo(1);
    }

    @Test
    void the_same_seed_gives_the_same_minimal_scenario() {
        String first = catchThrowableOfType(ScenarioFailure.class,
                () -> new ScenarioRunner(new ScriptedRow(), 25).run(11L, 200)).getMessage();
        String again = catchThrowableOfType(ScenarioFailure.class,
                () -> new ScenarioRunner(new ScriptedRow(), 25).run(11L, 200)).getMessage();

        assertThat(again).isEqualTo(first);
    }

    @Test
    void steps_a_row_cannot_run_are_counted_as_skipped_with_the_reason() {
        RowResult result = new ScenarioRunner(new ScriptedRow(false), 25).run(3L, 20);

        assertThat(result.scenarios()).isEqualTo(20);
        assertThat(result.skipped()).containsOnlyKeys("the device did not make the call (external, or unmanaged)",
                "the device's handlers cannot be steered");
        assertThat(result.steps()).doesNotContainKey("RestartBroker");
    }

    @Test
    void the_scenario_budget_property_must_be_a_positive_number() {
        System.setProperty(ScenarioRunner.SCENARIOS_PROPERTY, "many");
        try {
            assertThatThrownBy(() -> ScenarioRunner.scenarios(5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("conformance.scenarios");
        } finally {
            System.clearProperty(ScenarioRunner.SCENARIOS_PROPERTY);
        }
    }

    /** A row whose world fails "unanswered request" when a reboot comes after a firmware download. */
    private static final class ScriptedRow implements ScenarioRow {
        private final boolean broken;
        private final String name;
        int worlds;

        ScriptedRow() {
            this(true);
        }

        ScriptedRow(boolean broken) {
            this(broken, "scripted");
        }

        ScriptedRow(boolean broken, String name) {
            this.broken = broken;
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ScenarioWorld newWorld() {
            worlds++;
            return new ScriptedWorld(broken);
        }

        @Override
        public boolean supports(ScenarioStep.Fault fault) {
            return fault instanceof ScenarioStep.DropConnection;
        }
    }

    /**
     * Platform operations only: its device is an {@link ExternalDevice}, which makes no calls,
     * cannot be steered and shows no snapshot, so the record invariant stays out and the failure
     * comes from an outcome.
     */
    private static final class ScriptedWorld implements ScenarioWorld {
        private final boolean broken;
        private final DeviceUnderTest device = new ExternalDevice("d:org1:t:d1");
        private final List<ScenarioStep.PlatformOp> ops = new ArrayList<>();

        ScriptedWorld(boolean broken) {
            this.broken = broken;
        }

        @Override
        public DeviceUnderTest device() {
            return device;
        }

        @Override
        public Pending start(ScenarioStep.PlatformOp op) {
            boolean downloaded = ops.stream().anyMatch(ScenarioStep.FirmwareDownload.class::isInstance);
            ops.add(op);
            boolean answered = !(broken && downloaded && op instanceof ScenarioStep.Reboot);
            boolean refused = op instanceof ScenarioStep.FirmwareDownload d && !d.verifies();
            return done(op + (answered ? "" : " unanswered"), refused ? "Failed" : "Succeeded");
        }

        @Override
        public void inject(ScenarioStep.Fault fault) {
        }

        @Override
        public void settle(List<Pending> started) {
        }

        @Override
        public Optional<DeviceView> platformRecord() {
            return Optional.empty();
        }

        @Override
        public CheckReport rules() {
            return new CheckReport(List.of(), Set.of(), Set.of());
        }

        @Override
        public Transcript transcript() {
            return new Transcript();
        }

        @Override
        public void close() {
        }

        private static Pending done(String what, String outcome) {
            return new Pending() {
                @Override
                public Optional<String> outcome() {
                    return what.endsWith("unanswered") ? Optional.empty() : Optional.of(outcome);
                }

                @Override
                public String describe() {
                    return what;
                }
            };
        }
    }
}
