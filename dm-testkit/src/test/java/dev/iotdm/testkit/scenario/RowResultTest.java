package dev.iotdm.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RowResultTest {

    @Test
    void top_up_scenarios_add_their_counts_and_rules_to_the_rows_result() {
        RowResult first = new RowResult("row", 7L, 10, Set.of("A", "B"), Set.of(), Map.of("Reboot", 3),
                Map.of("why", 1));
        RowResult more = new RowResult("row", 8L, 2, Set.of("C"), Set.of("B"), Map.of("Reboot", 1, "Stall", 2),
                Map.of());

        assertThat(first.plus(more)).isEqualTo(new RowResult("row", 7L, 12, Set.of("A", "B", "C"), Set.of("B"),
                Map.of("Reboot", 4, "Stall", 2), Map.of("why", 1)));
    }

    @Test
    void another_rows_results_cannot_be_added() {
        RowResult first = new RowResult("row", 7L, 1, Set.of(), Set.of(), Map.of(), Map.of());
        RowResult other = new RowResult("other", 7L, 1, Set.of(), Set.of(), Map.of(), Map.of());

        assertThatThrownBy(() -> first.plus(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other");
    }
}
