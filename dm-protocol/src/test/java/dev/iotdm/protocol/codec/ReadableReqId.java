package dev.iotdm.protocol.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Test oracle, independent of Jackson and of the codec: the top-level string {@code reqId} of a
 * payload when a receiver can read it, that is when the text from the first byte to the end of
 * that string is strict UTF-8 and a well-formed beginning of a JSON object (RFC 8259), whatever
 * comes after. Duplicate keys and deep nesting before the reqId do not hide it: they break the
 * payload, not the reading of its reqId. Conservative where the answer is debatable: a leading
 * byte order mark, a first {@code reqId} that is not a string, or one with an unpaired surrogate
 * escape give empty.
 */
final class ReadableReqId {

    private final String s;
    private int i;

    private ReadableReqId(String s) {
        this.s = s;
    }

    /** The readable top-level reqId of {@code payload}, or empty. */
    static Optional<String> in(byte[] payload) {
        try {
            return new ReadableReqId(strictUtf8Prefix(payload)).topLevelReqId();
        } catch (NotJson e) {
            return Optional.empty();
        }
    }

    /** The characters of the longest prefix of {@code bytes} that is strict UTF-8. */
    private static String strictUtf8Prefix(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        d.decode(ByteBuffer.wrap(bytes), out, true); // stops at the first malformed byte
        out.flip();
        return out.toString();
    }

    private Optional<String> topLevelReqId() throws NotJson {
        whitespace();
        expect('{');
        whitespace();
        if (peek() == '}') {
            return Optional.empty();
        }
        while (true) {
            String key = string();
            whitespace();
            expect(':');
            whitespace();
            if (key.equals("reqId")) {
                if (peek() != '"') {
                    return Optional.empty();
                }
                String value = string();
                return wellFormed(value) ? Optional.of(value) : Optional.empty();
            }
            value();
            whitespace();
            char c = next();
            if (c == '}') {
                return Optional.empty();
            }
            if (c != ',') {
                throw new NotJson();
            }
            whitespace();
        }
    }

    /** Skips one value of any depth, iteratively. */
    private void value() throws NotJson {
        Deque<Character> open = new ArrayDeque<>();
        do {
            whitespace();
            char c = peek();
            if (c == '{' || c == '[') {
                i++;
                whitespace();
                char close = c == '{' ? '}' : ']';
                if (peek() == close) {
                    i++;
                } else {
                    open.push(close);
                    if (close == '}') {
                        member();
                    }
                    continue;
                }
            } else {
                scalar();
            }
            // after a complete value: close containers or move to the next element
            while (!open.isEmpty()) {
                whitespace();
                char n = next();
                if (n == open.peek()) {
                    open.pop();
                } else if (n == ',') {
                    if (open.peek() == '}') {
                        whitespace();
                        member();
                    }
                    break;
                } else {
                    throw new NotJson();
                }
            }
        } while (!open.isEmpty());
    }

    /** A member name and its colon, leaving the position on the value. */
    private void member() throws NotJson {
        string();
        whitespace();
        expect(':');
    }

    private void scalar() throws NotJson {
        char c = peek();
        if (c == '"') {
            string();
        } else if (s.startsWith("true", i)) {
            i += 4;
        } else if (s.startsWith("false", i)) {
            i += 5;
        } else if (s.startsWith("null", i)) {
            i += 4;
        } else {
            number();
        }
    }

    private void number() throws NotJson {
        if (peek() == '-') {
            i++;
        }
        if (peek() == '0') {
            i++;
        } else {
            digits();
        }
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            digits();
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (peek() == '+' || peek() == '-') {
                i++;
            }
            digits();
        }
    }

    private void digits() throws NotJson {
        if (!isDigit(peek())) {
            throw new NotJson();
        }
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
    }

    private String string() throws NotJson {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw new NotJson();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length()) {
                        throw new NotJson();
                    }
                    int cp = 0;
                    for (int k = 0; k < 4; k++) {
                        char x = s.charAt(i++);
                        int h = x >= '0' && x <= '9' ? x - '0' : x >= 'a' && x <= 'f' ? x - 'a' + 10
                                : x >= 'A' && x <= 'F' ? x - 'A' + 10 : -1;
                        if (h < 0) {
                            throw new NotJson();
                        }
                        cp = cp * 16 + h;
                    }
                    b.append((char) cp);
                }
                default -> throw new NotJson();
            }
        }
    }

    private void whitespace() {
        while (i < s.length() && " \t\n\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private void expect(char c) throws NotJson {
        if (next() != c) {
            throw new NotJson();
        }
    }

    private char peek() throws NotJson {
        if (i >= s.length()) {
            throw new NotJson();
        }
        return s.charAt(i);
    }

    private char next() throws NotJson {
        char c = peek();
        i++;
        return c;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean wellFormed(String v) {
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (Character.isHighSurrogate(c) && k + 1 < v.length() && Character.isLowSurrogate(v.charAt(k + 1))) {
                k++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The text is not (the beginning of) a JSON object with a readable reqId. */
    private static final class NotJson extends Exception {
        private static final long serialVersionUID = 1L;

        NotJson() {
            super(null, null, false, false);
        }
    }
}
