package dev.iotdm.testkit.fault;

import java.time.Duration;

/**
 * A network fault that a {@link FaultProxy} can inject with {@link FaultProxy#apply(Fault)}.
 *
 * <p>Two kinds exist, told apart by {@link #persistent()}:
 * <ul>
 *   <li><b>conditions</b> ({@link Stall}, {@link Delay}, {@link HalfOpen},
 *       {@link RefuseNewConnections}) hold from {@code apply} until {@link FaultProxy#clear()}
 *       and affect current and new connections alike;</li>
 *   <li><b>actions</b> ({@link DropConnections}, {@link CutOneDirection}) happen once, at
 *       {@code apply}, to the connections open at that moment; they cannot be undone and leave new
 *       connections alone.</li>
 * </ul>
 *
 * <p>All implementations are immutable records validated on construction, so they are
 * thread-safe.
 */
public sealed interface Fault
        permits Fault.Stall, Fault.DropConnections, Fault.Delay, Fault.HalfOpen,
        Fault.CutOneDirection, Fault.RefuseNewConnections {

    /**
     * Whether this fault is a condition lasting until cleared; false for a one-shot action.
     *
     * @return {@code true} for a condition, {@code false} for an action
     */
    boolean persistent();

    /**
     * Condition: bytes flowing in {@code direction} are read but held, in order, until the fault
     * is cleared, then delivered; TCP stays up and nothing is closed (an end-of-stream is held
     * too).
     *
     * @param direction the flow to hold
     */
    record Stall(Direction direction) implements Fault {
        /**
         * Validates the direction.
         *
         * @param direction the flow to hold; not {@code null}
         * @throws IllegalArgumentException if {@code direction} is null
         */
        public Stall {
            requireDirection(direction);
        }

        /** A stall of both directions. */
        public Stall() {
            this(Direction.BOTH);
        }

        @Override
        public boolean persistent() {
            return true;
        }
    }

    /**
     * Action: every open connection is closed on both sides (device and broker) at once.
     *
     * @param mode RST ({@link CloseMode#RESET}) or FIN ({@link CloseMode#FIN})
     */
    record DropConnections(CloseMode mode) implements Fault {
        /**
         * Validates the mode.
         *
         * @param mode how both sides are closed; not {@code null}
         * @throws IllegalArgumentException if {@code mode} is null
         */
        public DropConnections {
            if (mode == null) {
                throw new IllegalArgumentException("mode must not be null");
            }
        }

        /** An abortive drop: both peers get a RST. */
        public DropConnections() {
            this(CloseMode.RESET);
        }

        @Override
        public boolean persistent() {
            return false;
        }
    }

    /**
     * Condition: each chunk read in {@code direction} is written {@code delay} after the proxy
     * read it; order is preserved (a chunk never overtakes an earlier one, even when the delay
     * changes or is cleared).
     *
     * @param direction the flow to delay
     * @param delay     how long each chunk waits; zero or positive, at most one hour
     */
    record Delay(Direction direction, Duration delay) implements Fault {
        private static final Duration MAX = Duration.ofHours(1);

        /**
         * Validates direction and delay.
         *
         * @param direction the flow to delay; not {@code null}
         * @param delay zero to one hour
         * @throws IllegalArgumentException if an argument is null or the delay out of range
         */
        public Delay {
            requireDirection(direction);
            if (delay == null) {
                throw new IllegalArgumentException("delay must not be null");
            }
            if (delay.isNegative() || delay.compareTo(MAX) > 0) {
                throw new IllegalArgumentException(
                        "delay must be between 0 and " + MAX + ", was " + delay);
            }
        }

        @Override
        public boolean persistent() {
            return true;
        }
    }

    /**
     * Condition: a dead peer. Connections stay open and nothing is closed, but every byte read
     * either way is discarded (so it is lost for good, unlike {@link Stall}); connections accepted
     * meanwhile are never connected to the broker and stay black holes after the fault is
     * cleared.
     */
    record HalfOpen() implements Fault {
        @Override
        public boolean persistent() {
            return true;
        }
    }

    /**
     * Action: one direction of every open connection is cut for good, the other keeps working.
     * {@link Direction#DOWNSTREAM}: the device's socket is shut down for output, so the device
     * reads end of stream while its own writes still reach the broker; later broker bytes are
     * discarded. {@link Direction#UPSTREAM}: the proxy stops reading from the device (its input is
     * shut down) and the broker sees neither more bytes nor an end of stream, while broker bytes
     * still reach the device. {@link Direction#BOTH}: both.
     *
     * @param direction the flow to cut
     */
    record CutOneDirection(Direction direction) implements Fault {
        /**
         * Validates the direction.
         *
         * @param direction the flow to cut; not {@code null}
         * @throws IllegalArgumentException if {@code direction} is null
         */
        public CutOneDirection {
            requireDirection(direction);
        }

        @Override
        public boolean persistent() {
            return false;
        }
    }

    /**
     * Condition: new connections are accepted and immediately closed; open ones are untouched.
     *
     * @param mode how each refused connection is closed
     */
    record RefuseNewConnections(CloseMode mode) implements Fault {
        /**
         * Validates the mode.
         *
         * @param mode how each refused connection is closed; not {@code null}
         * @throws IllegalArgumentException if {@code mode} is null
         */
        public RefuseNewConnections {
            if (mode == null) {
                throw new IllegalArgumentException("mode must not be null");
            }
        }

        /** Refusal with a RST, the closest to a port nobody listens on. */
        public RefuseNewConnections() {
            this(CloseMode.RESET);
        }

        @Override
        public boolean persistent() {
            return true;
        }
    }

    private static void requireDirection(Direction direction) {
        if (direction == null) {
            throw new IllegalArgumentException("direction must not be null");
        }
    }
}
