package dev.iotdm.protocol.codec;

import dev.iotdm.protocol.message.Message;
import java.util.List;
import java.util.Objects;

/**
 * A decoded message and the leniencies applied to read it (empty for canonical input).
 *
 * @param message the message
 * @param normalisations what was irregular, in order of first occurrence, without repeats
 */
public record Decoded(Message message, List<Normalisation> normalisations) implements DecodeResult {

    /**
     * Copies the list.
     *
     * @param message the message, not null
     * @param normalisations the leniencies applied, copied; not null
     */
    public Decoded {
        Objects.requireNonNull(message, "message");
        normalisations = List.copyOf(normalisations);
    }
}
