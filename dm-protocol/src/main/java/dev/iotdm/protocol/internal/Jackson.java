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
            // Without it Jackson writes every astral character as a "\\uD83D\\uDE00" escape pair:
            // valid, but three times the bytes of plain UTF-8.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
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

    /**
     * The offset of the first byte that keeps {@code utf8} from being strict UTF-8 JSON text, or
     * -1 if there is none.
     *
     * <p>Jackson's byte parser decodes leniently: it accepts overlong forms (so {@code C0 AF}
     * becomes {@code /}) and guesses UTF-16 or UTF-32 from NUL bytes near the start. All DM
     * payloads are UTF-8 (protocol.md §2.1), so we check first: overlong forms, encoded surrogates,
     * code points above U+10FFFF, stray or missing continuation bytes (RFC 3629 §4) and NUL bytes
     * (never part of JSON text, RFC 8259 §2 and §7) are refused. A leading byte order mark is
     * valid UTF-8 and left to the parser, which skips it (RFC 8259 §8.1 allows that).
     */
    public static int firstInvalidUtf8Offset(byte[] utf8) {
        int i = 0;
        int n = utf8.length;
        while (i < n) {
            int b = utf8[i] & 0xFF;
            if (b < 0x80) {
                if (b == 0) {
                    return i;
                }
                i++;
                continue;
            }
            int trailing;
            int lo = 0x80;
            int hi = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                trailing = 1;
            } else if (b == 0xE0) {
                trailing = 2;
                lo = 0xA0; // below is overlong
            } else if (b == 0xED) {
                trailing = 2;
                hi = 0x9F; // above encodes a UTF-16 surrogate
            } else if (b >= 0xE1 && b <= 0xEF) {
                trailing = 2;
            } else if (b == 0xF0) {
                trailing = 3;
                lo = 0x90; // below is overlong
            } else if (b >= 0xF1 && b <= 0xF3) {
                trailing = 3;
            } else if (b == 0xF4) {
                trailing = 3;
                hi = 0x8F; // above is beyond U+10FFFF
            } else {
                return i; // continuation byte without a lead, C0, C1 or F5..FF
            }
            if (i + trailing >= n) {
                return i;
            }
            int second = utf8[i + 1] & 0xFF;
            if (second < lo || second > hi) {
                return i;
            }
            for (int k = 2; k <= trailing; k++) {
                if ((utf8[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += trailing + 1;
        }
        return -1;
    }
}
