package dev.iotdm.pbt;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Stateful (model-based) testing: a generated sequence of commands runs against the system under
 * test and against a simple model, and each command checks that the two agree.
 *
 * <p>No special shrinker is needed: the command list is an ordinary {@link Gen} value, so a
 * failing sequence shrinks like any list (commands are dropped, their arguments simplified).
 *
 * <pre>{@code
 * sealed interface Op extends Stateful.Command<BoundedQueue, Deque<Integer>> permits Offer, Poll {}
 * record Offer(int value) implements Op {
 *     public void run(BoundedQueue queue, Deque<Integer> model) {
 *         boolean expected = model.size() < CAPACITY;
 *         if (expected) model.addLast(value);
 *         assertThat(queue.offer(value)).isEqualTo(expected);
 *     }
 * }
 * ...
 * Property.forAll(Stateful.commands(Gen.oneOf(Gen.integers(0, 9).map(Offer::new), Gen.constant(new Poll())), 30))
 *         .check(ops -> Stateful.run(ops, () -> new BoundedQueue(CAPACITY), ArrayDeque::new));
 * }</pre>
 *
 * <p>Commands should be records (their {@code toString()} is the printed counterexample) and
 * must not depend on state captured at generation time: a command that needs an existing key
 * should carry an index and resolve it against the model when it runs, or say
 * {@link Command#precondition} false so the run skips it. See {@code StatefulTest} for a full
 * example.
 *
 * <p>Thread-safety: stateless.
 */
public final class Stateful {

    private Stateful() {
    }

    /**
     * Command lists of 1 to {@code maxLength} commands, about half of {@code maxLength} on
     * average; order the alternatives of {@code command} simplest first, since shrinking moves
     * toward the first.
     *
     * @param command the generator of one command, not null
     * @param maxLength the most commands in a list, at least 1
     * @param <C> the command type
     * @return a generator of unmodifiable command lists
     * @throws IllegalArgumentException if {@code maxLength} is less than 1
     */
    public static <C> Gen<List<C>> commands(Gen<C> command, int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength: must be positive, was " + maxLength);
        }
        return Gen.listOf(command, 1, maxLength, Math.max(1.0, maxLength / 2.0));
    }

    /**
     * Runs {@code commands} in order against a new system and a new model, skipping commands whose
     * precondition does not hold; closes the system afterwards if it is {@link AutoCloseable}.
     *
     * @param commands the commands, in order, not null
     * @param newSystem makes the system under test, called once
     * @param newModel makes the model, called once
     * @param <S> the system type
     * @param <M> the model type
     * @throws StepFailure if a command throws, naming the step; the command's throwable is the cause
     * @throws Exception if closing the system throws
     */
    public static <S, M> void run(List<? extends Command<? super S, ? super M>> commands,
            Supplier<? extends S> newSystem, Supplier<? extends M> newModel) throws Exception {
        Objects.requireNonNull(commands, "commands");
        S system = newSystem.get();
        M model = newModel.get();
        try {
            int step = 0;
            for (Command<? super S, ? super M> command : commands) {
                step++;
                if (!command.precondition(model)) {
                    continue;
                }
                try {
                    command.run(system, model);
                } catch (Exception | AssertionError e) {
                    throw new StepFailure("step " + step + " of " + commands.size() + ", " + command + ": " + e, e);
                }
            }
        } finally {
            if (system instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    /**
     * One step of a stateful test.
     *
     * @param <S> the system under test
     * @param <M> the model
     */
    public interface Command<S, M> {

        /**
         * Whether the command applies in the model's current state; skipped when not.
         *
         * @param model the model before this command
         * @return true (the default) to run the command, false to skip it
         */
        default boolean precondition(M model) {
            return true;
        }

        /**
         * Applies the command to both the system and the model and asserts they agree.
         *
         * @param system the system under test
         * @param model the model, updated by the command as the system should be
         * @throws Exception anything the system throws; it fails the run as a {@link StepFailure}
         */
        void run(S system, M model) throws Exception;
    }

    /** A command of a stateful run failed; the message names the step, the cause says why. */
    public static final class StepFailure extends AssertionError {
        private static final long serialVersionUID = 1L;

        StepFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
