package dev.iotdm.protocol.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class SequenceShrinkerTest {

    @Test
    void shrinks_to_the_elements_that_make_the_property_fail() {
        List<Integer> input = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            input.add(random.nextInt(10, 100));
        }
        input.add(57, 3);
        input.add(140, 7);
        Predicate<List<Integer>> fails = list -> list.contains(3) && list.indexOf(7) > list.indexOf(3);

        assertThat(SequenceShrinker.shrink(input, fails)).containsExactly(3, 7);
    }

    @Test
    void keeps_order_dependent_failures_in_order() {
        // fails when a 1 is followed (not necessarily at once) by 2 and then by 1 again
        Predicate<List<Integer>> fails = list -> {
            int stage = 0;
            for (int x : list) {
                if ((stage == 0 && x == 1) || (stage == 1 && x == 2) || (stage == 2 && x == 1)) {
                    stage++;
                }
            }
            return stage == 3;
        };

        assertThat(SequenceShrinker.shrink(List.of(5, 1, 5, 5, 2, 2, 5, 1, 1, 5), fails)).containsExactly(1, 2, 1);
    }

    @Test
    void returns_the_input_when_nothing_can_be_deleted() {
        assertThat(SequenceShrinker.shrink(List.of(1, 2), list -> list.size() == 2)).containsExactly(1, 2);
    }
}
