package dev.iotdm.testkit.scenario;

import dev.iotdm.protocol.topic.Direction;
import dev.iotdm.testkit.transcript.Transcript;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import dev.iotdm.testkit.transcript.TranscriptListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Watches one transcript so that a world can end a step only when every request either side
 * published has its answer: a request still in flight when a step ends (a firmware flow's closing
 * cancel, say) would otherwise be cut off by the next step, or judged unanswered by the invariants
 * a moment before its answer arrives.
 *
 * <p>It waits on the transcript's own appends (a listener), never on an idle period.
 *
 * <p>Thread-safety: thread-safe. The listener runs under the transcript's lock and takes only this
 * object's monitor; a waiter never holds this monitor while it reads the transcript, so the two
 * locks are never taken in the other order.
 */
public final class AnswerWatch implements AutoCloseable {

    private final Transcript transcript;
    private final TranscriptListener listener;
    /** Guarded by {@code this}: how many items were appended since the watch started. */
    private long changes;

    /**
     * Starts watching {@code transcript}; {@link #close()} stops.
     *
     * @param transcript the transcript the world's recorder appends to
     */
    public AnswerWatch(Transcript transcript) {
        this.transcript = Objects.requireNonNull(transcript, "transcript");
        this.listener = item -> {
            synchronized (this) {
                changes++;
                notifyAll();
            }
        };
        transcript.addListener(listener);
    }

    /**
     * How many items were appended since the watch started; a caller that reads it before and after
     * other waits learns whether anything moved in between.
     *
     * @return the count, starting at 0
     */
    public synchronized long changes() {
        return changes;
    }

    /**
     * The requests on the transcript, in either direction, with no answer yet.
     *
     * @return one "unanswered request" problem per open request, in the order they were published
     */
    public List<Problem> unanswered() {
        List<TranscriptEntry> messages = transcript.entries();
        List<Problem> open = new ArrayList<>(Invariants.answers(messages, Direction.PLATFORM_TO_DEVICE,
                Invariants.DEVICE_RESPONSE));
        open.addAll(Invariants.answers(messages, Direction.DEVICE_TO_PLATFORM, Invariants.PLATFORM_RESPONSE));
        open.removeIf(p -> !p.invariant().equals("unanswered request"));
        return open;
    }

    /**
     * Waits until every request on the transcript has its answer, or until {@code deadline}.
     *
     * @param deadline a {@link System#nanoTime()} value
     * @return the requests still unanswered at the deadline; empty when every one was answered
     * @throws InterruptedException when interrupted while waiting
     */
    public List<Problem> awaitAnswered(long deadline) throws InterruptedException {
        while (true) {
            long seen = changes();
            List<Problem> open = unanswered();
            if (open.isEmpty()) {
                return open;
            }
            synchronized (this) {
                while (changes == seen) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return open;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            }
        }
    }

    /** Stops watching: the listener is removed from the transcript. */
    @Override
    public void close() {
        transcript.removeListener(listener);
    }
}
