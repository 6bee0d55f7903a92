package dev.iotdm.protocol.supervisor;

/**
 * The states of a {@link ConnectionSupervisor}.
 *
 * <p>Every accepted input and where it leads (one line per transition; the label is the
 * supervisor method, {@code tick(due)} / {@code tick(early)} are ticks at or after / before the
 * scheduled instant). Inputs not listed are ignored in that state; {@code ConnectionSupervisorTest}
 * checks this diagram against the supervisor's transition table.
 *
 * <pre>
 *   IDLE       --start--------------------------&gt; CONNECTING
 *   IDLE       --close--------------------------&gt; CLOSED
 *
 *   CONNECTING --connectSucceeded---------------&gt; CONNECTED
 *   CONNECTING --connectFailed(TRANSIENT)-------&gt; WAITING
 *   CONNECTING --connectFailed(AUTHENTICATION)--&gt; WAITING
 *   CONNECTING --connectFailed(PERMANENT)-------&gt; IDLE
 *   CONNECTING --connectFailed(BEFORE_FIRST_SUCCESS)--&gt; IDLE
 *   CONNECTING --close--------------------------&gt; CLOSED
 *
 *   CONNECTED  --connectionLost-----------------&gt; WAITING
 *   CONNECTED  --close--------------------------&gt; CLOSED
 *
 *   WAITING    --tick(due)----------------------&gt; CONNECTING
 *   WAITING    --tick(early)--------------------&gt; WAITING
 *   WAITING    --close--------------------------&gt; CLOSED
 * </pre>
 *
 * <p>Reading it as a loop: IDLE starts into CONNECTING; each attempt ends CONNECTED or WAITING
 * (or back in IDLE after a permanent failure, or after any failure before the first success
 * unless the supervisor retries until a first connect); a lost connection waits too; WAITING's timer leads
 * to the next attempt. CLOSED is final.
 */
public enum SupervisorState {
    /** Not started, or stopped after a permanent failure; {@code start} begins connecting. */
    IDLE,
    /** One connection attempt is under way; its outcome is awaited. */
    CONNECTING,
    /** The transport is connected. */
    CONNECTED,
    /** Waiting for the timer before the next attempt. */
    WAITING,
    /** Closed for good; every input is ignored. */
    CLOSED
}
