package dev.iotdm.pbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worked example of a stateful test: a bounded FIFO queue checked against an
 * {@link ArrayDeque} model. The command list is an ordinary generated value, so a failing run
 * shrinks to the shortest sequence of the simplest commands.
 */
class StatefulTest {

    private static final int CAPACITY = 4;

    /** The system under test: a ring buffer; {@code offByOne} plants a capacity bug. */
    static final class BoundedQueue {
        private final int[] ring;
        private final boolean offByOne;
        private int head;
        private int size;

        BoundedQueue(int capacity, boolean offByOne) {
            this.ring = new int[capacity];
            this.offByOne = offByOne;
        }

        boolean offer(int value) {
            boolean full = offByOne ? size > ring.length : size >= ring.length;
            if (full) {
                return false;
            }
            ring[(head + size) % ring.length] = value;
            size = Math.min(size + 1, ring.length); // the buggy variant overwrites the head
            return true;
        }

        Integer poll() {
            if (size == 0) {
                return null;
            }
            int value = ring[head];
            head = (head + 1) % ring.length;
            size--;
            return value;
        }
    }

    /** The commands: each applies itself to queue and model and checks that they agree. */
    sealed interface Op extends Stateful.Command<BoundedQueue, Deque<Integer>> permits Offer, Poll {
    }

    record Offer(int value) implements Op {
        @Override
        public void run(BoundedQueue queue, Deque<Integer> model) {
            boolean accepted = model.size() < CAPACITY;
            if (accepted) {
                model.addLast(value);
            }
            assertThat(queue.offer(value)).as("offer(%d) accepted", value).isEqualTo(accepted);
        }
    }

    record Poll() implements Op {
        @Override
        public void run(BoundedQueue queue, Deque<Integer> model) {
            assertThat(queue.poll()).as("poll()").isEqualTo(model.pollFirst());
        }
    }

    /** Offers first: shrinking moves toward the first alternative. */
    private static final Gen<List<Op>> OPS = Stateful.commands(
            Gen.oneOf(Gen.integers(0, 99).map(Offer::new), Gen.constant(new Poll())), 40);

    @Test
    void a_correct_queue_agrees_with_its_model_on_any_command_sequence() {
        Property.forAll(OPS).check(ops ->
                Stateful.run(ops, () -> new BoundedQueue(CAPACITY, false), ArrayDeque<Integer>::new));
    }

    @Test
    void a_capacity_bug_shrinks_to_one_offer_more_than_the_capacity() {
        AssertionError e = catchThrowableOfType(AssertionError.class, () -> Property.forAll(OPS).check(ops ->
                Stateful.run(ops, () -> new BoundedQueue(CAPACITY, true), ArrayDeque<Integer>::new)));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("minimal failing value: "
                + List.of(new Offer(0), new Offer(0), new Offer(0), new Offer(0), new Offer(0)));
        assertThat(e.getCause()).isInstanceOf(Stateful.StepFailure.class).hasMessageStartingWith("step 5 of 5");
    }

    @Test
    void commands_whose_precondition_fails_are_skipped() throws Exception {
        record NeverRuns() implements Stateful.Command<StringBuilder, StringBuilder> {
            @Override
            public boolean precondition(StringBuilder model) {
                return false;
            }

            @Override
            public void run(StringBuilder system, StringBuilder model) {
                throw new AssertionError("must be skipped");
            }
        }
        record Append(String s) implements Stateful.Command<StringBuilder, StringBuilder> {
            @Override
            public void run(StringBuilder system, StringBuilder model) {
                system.append(s);
                model.append(s);
                assertThat(system.toString()).isEqualTo(model.toString());
            }
        }

        Stateful.run(List.of(new Append("a"), new NeverRuns(), new Append("b")), StringBuilder::new, StringBuilder::new);
    }
}
