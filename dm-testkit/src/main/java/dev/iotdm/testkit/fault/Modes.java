package dev.iotdm.testkit.fault;

import java.util.List;

/**
 * The effect of the active conditions of a {@link FaultProxy}, folded into one immutable snapshot
 * that the I/O threads read without locking.
 */
record Modes(boolean holdUp, boolean holdDown, boolean halfOpen, long delayUpNanos,
             long delayDownNanos, CloseMode refuse) {

    static final Modes TRANSPARENT = new Modes(false, false, false, 0, 0, null);

    /** What a writer does with the next chunk. */
    enum Action { FORWARD, HOLD, DISCARD }

    /** Folds conditions in order; a later {@link Fault.Delay} overrides an earlier one. */
    static Modes of(List<Fault> conditions) {
        boolean holdUp = false;
        boolean holdDown = false;
        boolean halfOpen = false;
        long delayUp = 0;
        long delayDown = 0;
        CloseMode refuse = null;
        for (Fault f : conditions) {
            if (f instanceof Fault.Stall s) {
                holdUp |= s.direction().covers(Direction.UPSTREAM);
                holdDown |= s.direction().covers(Direction.DOWNSTREAM);
            } else if (f instanceof Fault.Delay d) {
                if (d.direction().covers(Direction.UPSTREAM)) {
                    delayUp = d.delay().toNanos();
                }
                if (d.direction().covers(Direction.DOWNSTREAM)) {
                    delayDown = d.delay().toNanos();
                }
            } else if (f instanceof Fault.HalfOpen) {
                halfOpen = true;
            } else if (f instanceof Fault.RefuseNewConnections r) {
                refuse = r.mode();
            }
        }
        return new Modes(holdUp, holdDown, halfOpen, delayUp, delayDown, refuse);
    }

    /** The action for a chunk flowing in {@code d} (UPSTREAM or DOWNSTREAM). */
    Action action(Direction d) {
        if (halfOpen) {
            return Action.DISCARD;
        }
        boolean hold = d == Direction.UPSTREAM ? holdUp : holdDown;
        return hold ? Action.HOLD : Action.FORWARD;
    }

    long delayNanos(Direction d) {
        return d == Direction.UPSTREAM ? delayUpNanos : delayDownNanos;
    }
}
