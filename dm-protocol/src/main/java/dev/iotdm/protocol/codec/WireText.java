package dev.iotdm.protocol.codec;

/**
 * The one way text that came from the wire (reqIds, topics, payload excerpts, client ids) is made
 * safe for a log line or a console: control characters, line breaks, ESC, DEL and the Unicode line
 * and bidi-override separators are shown escaped ({@code \n}, {@code \r}, {@code \t},
 * {@code \e}, {@code \u2028}), a backslash is doubled, and the result is cut to a bound so a
 * hostile peer can neither forge log lines, drive a terminal nor flood a log with one value.
 *
 * <p>Thread-safety: stateless.
 */
public final class WireText {

    /** The default bound on the escaped length of one value, in characters. */
    public static final int DEFAULT_LIMIT = 256;

    private WireText() {
    }

    /**
     * {@code text} escaped and cut to {@link #DEFAULT_LIMIT} characters; {@code null} shows as {@code null}.
     *
     * @param text wire text to show, possibly null
     * @return one line safe for a log or a console
     */
    public static String escape(CharSequence text) {
        return escape(text, DEFAULT_LIMIT);
    }

    /**
     * {@code text} escaped and, when longer than {@code limit} characters once escaped, cut there
     * with {@code ...(N more chars)} appended, so the reader knows something was cut.
     *
     * @param text wire text to show, possibly null ({@code "null"} then)
     * @param limit the most characters of escaped text kept, at least 1
     * @return one line safe for a log or a console
     * @throws IllegalArgumentException when {@code limit} is below 1
     */
    public static String escape(CharSequence text, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), limit) + 8);
        int i = 0;
        for (; i < text.length() && out.length() < limit; i++) {
            appendEscaped(out, text.charAt(i));
        }
        if (i < text.length()) {
            out.append("...(").append(text.length() - i).append(" more chars)");
        }
        return out.toString();
    }

    private static void appendEscaped(StringBuilder out, char c) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case '\\' -> out.append("\\\\");
            case 0x1b -> out.append("\\e");
            default -> {
                if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
    }
}
