package dev.iotdm.protocol.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

/**
 * Owns the one {@link JsonFactory} every iotdm reader and writer uses, with explicit limits.
 *
 * <p>The limits bound the work a hostile payload can cause: nesting depth, number and string
 * lengths, names. Duplicate keys are rejected by the parser itself. The payload size is bounded
 * before parsing by the codec (protocol.md §1.9). It also owns the encoding checks that Jackson
 * leaves to us: strict UTF-8 on input, well-formed UTF-16 in strings.
 *
 * <p>Thread-safety: stateless; the factory is thread-safe.
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
            // Characters beyond the BMP go out as 4-byte UTF-8, not as a pair of \\u escapes.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private Jackson() {
    }

    /**
     * The offset of the first byte that makes {@code bytes} not a UTF-8 JSON text, or -1 when it
     * is one. Strict RFC 3629: no overlong forms, no encoded surrogates, nothing above U+10FFFF.
     * NUL is refused too: it cannot occur in JSON text, and refusing it stops the parser from
     * reading UTF-16 or UTF-32 input (protocol.md §2.1: payloads are UTF-8).
     */
    public static int firstInvalidUtf8(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                if (b == 0) {
                    return i;
                }
                i++;
                continue;
            }
            int length;
            int min2 = 0x80;
            int max2 = 0xbf;
            if (b >= 0xc2 && b <= 0xdf) {
                length = 2;
            } else if (b >= 0xe0 && b <= 0xef) {
                length = 3;
                if (b == 0xe0) {
                    min2 = 0xa0; // shorter forms are overlong
                } else if (b == 0xed) {
                    max2 = 0x9f; // above are the surrogates
                }
            } else if (b >= 0xf0 && b <= 0xf4) {
                length = 4;
                if (b == 0xf0) {
                    min2 = 0x90; // shorter forms are overlong
                } else if (b == 0xf4) {
                    max2 = 0x8f; // above is beyond U+10FFFF
                }
            } else {
                return i; // continuation byte without a lead, 0xc0/0xc1 (overlong) or 0xf5-0xff
            }
            if (i + length > n) {
                return i;
            }
            int second = bytes[i + 1] & 0xff;
            if (second < min2 || second > max2) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                int c = bytes[i + k] & 0xff;
                if (c < 0x80 || c > 0xbf) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
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
