package dev.iotdm.pbt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ListShrinkTest {

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

        assertThat(Shrinker.shrinkList(input, fails, Shrinker.DEFAULT_MAX_ATTEMPTS).minimal()).containsExactly(3, 7);
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

        assertThat(Shrinker.shrinkList(List.of(5, 1, 5, 5, 2, 2, 5, 1, 1, 5), fails, Shrinker.DEFAULT_MAX_ATTEMPTS).minimal()).containsExactly(1, 2, 1);
    }

    @Test
    void returns_the_input_when_nothing_can_be_deleted() {
        assertThat(Shrinker.shrinkList(List.of(1, 2), list -> list.size() == 2, Shrinker.DEFAULT_MAX_ATTEMPTS).minimal()).containsExactly(1, 2);
    }

    @Test
    void the_budget_counts_attempts_so_a_cut_short_shrink_repeats_exactly() {
        List<Integer> input = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            input.add(i % 17);
        }
        Predicate<List<Integer>> fails = list -> list.stream().filter(x -> x == 16).count() >= 3;

        Shrinker.ListShrink<Integer> first = Shrinker.shrinkList(input, fails, 25);
        Shrinker.ListShrink<Integer> second = Shrinker.shrinkList(input, fails, 25);

        assertThat(first.budgetSpent()).isTrue();
        assertThat(first.attempts()).isEqualTo(25);
        assertThat(second).isEqualTo(first);
        assertThat(first.minimal()).hasSizeLessThan(input.size());
    }

    @Test
    void a_zero_budget_returns_the_input_unchanged() {
        Shrinker.ListShrink<Integer> result = Shrinker.shrinkList(List.of(1, 2, 3), list -> true, 0);

        assertThat(result.minimal()).containsExactly(1, 2, 3);
        assertThat(result.attempts()).isZero();
    }
}
