package dev.iotdm.testkit.transcript;

/**
 * Receives each item as it is added to a {@link Transcript}, e.g. to print it live.
 *
 * <p>Called on the thread that added the item, in transcript order, while the transcript is
 * locked: implementations must be quick and must not block.
 */
@FunctionalInterface
public interface TranscriptListener {

    /** An item was appended. */
    void added(TranscriptItem item);
}
