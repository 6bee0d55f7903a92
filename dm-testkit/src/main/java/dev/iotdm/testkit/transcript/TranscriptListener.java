package dev.iotdm.testkit.transcript;

/**
 * Receives each item as it is added to a {@link Transcript}, e.g. to print it live.
 *
 * <p>Called on the thread that added the item, in transcript order, while the transcript is
 * locked: implementations must be quick and must not block.
 */
@FunctionalInterface
public interface TranscriptListener {

    /**
     * An item was appended.
     *
     * @param item the item, never {@code null}; a runtime exception thrown here is logged and the
     *     item stays in the transcript
     */
    void added(TranscriptItem item);
}
