package dev.iotdm.protocol.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;

/**
 * Owns the one {@link JsonFactory} every iotdm reader and writer uses, with explicit limits.
 *
 * <p>The limits bound the work a hostile payload can cause: nesting depth, number and string
 * lengths, names. Duplicate keys are rejected by the parser itself. The payload size is bounded
 * before parsing by the codec (protocol.md §1.9).
 */
public final class Jackson {

    /** Deepest nesting accepted in any payload; real DM payloads nest at most five levels. */
    public static final int MAX_NESTING_DEPTH = 64;

    /** The shared, thread-safe factory. */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(1000)
                    .maxStringLength(256 * 1024)
                    .maxNameLength(4096)
                    .maxDocumentLength(1024L * 1024L)
                    .build())
            .streamWriteConstraints(StreamWriteConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Jackson() {
    }

    /**
     * Whether {@code s} is well-formed UTF-16, that is has no unpaired surrogate. A JSON
     * {@code \\uD800} escape can smuggle one past the UTF-8 decoder; we refuse such strings.
     */
    public static boolean isWellFormedUtf16(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
