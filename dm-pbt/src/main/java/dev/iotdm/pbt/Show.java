package dev.iotdm.pbt;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Owns how failing values are printed: strings quoted with every character outside printable
 * ASCII escaped (so controls, lone surrogates and look-alikes are visible), byte arrays as
 * quoted bytes, collections element by element, everything else by {@code toString()}.
 */
final class Show {

    private static final int LIMIT = 4000;

    private Show() {
    }

    static String show(Object value) {
        StringBuilder sb = new StringBuilder();
        try {
            append(sb, value);
        } catch (RuntimeException e) {
            sb.append(" <toString failed: ").append(e).append('>');
        }
        if (sb.length() > LIMIT) {
            sb.setLength(LIMIT);
            sb.append("... (truncated)");
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object value) {
        if (sb.length() > LIMIT) {
            return;
        }
        if (value == null) {
            sb.append("null");
        } else if (value instanceof CharSequence s) {
            quote(sb, s);
        } else if (value instanceof byte[] bytes) {
            sb.append("bytes[").append(bytes.length).append("] b\"");
            for (byte b : bytes) {
                int u = b & 0xFF;
                if (u >= 0x20 && u < 0x7F && u != '"' && u != '\\') {
                    sb.append((char) u);
                } else {
                    sb.append(String.format("\\x%02X", u));
                }
            }
            sb.append('"');
        } else if (value instanceof Object[] array) {
            appendAll(sb, "[", java.util.Arrays.asList(array).iterator(), "]");
        } else if (value instanceof Collection<?> collection) {
            appendAll(sb, "[", collection.iterator(), "]");
        } else if (value instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                append(sb, e.getKey());
                sb.append('=');
                append(sb, e.getValue());
            }
            sb.append('}');
        } else if (value instanceof Optional<?> optional) {
            if (optional.isPresent()) {
                sb.append("Optional[");
                append(sb, optional.get());
                sb.append(']');
            } else {
                sb.append("Optional.empty");
            }
        } else if (value instanceof Tuple2<?, ?> t) {
            sb.append('(');
            append(sb, t.first());
            sb.append(", ");
            append(sb, t.second());
            sb.append(')');
        } else if (value.getClass().isArray()) {
            sb.append(arrayToString(value));
        } else {
            sb.append(value);
        }
    }

    private static void appendAll(StringBuilder sb, String open, Iterator<?> it, String close) {
        sb.append(open);
        while (it.hasNext() && sb.length() <= LIMIT) {
            append(sb, it.next());
            if (it.hasNext()) {
                sb.append(", ");
            }
        }
        sb.append(close);
    }

    private static void quote(StringBuilder sb, CharSequence s) {
        sb.append('"');
        for (int i = 0; i < s.length() && sb.length() <= LIMIT; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c >= 0x20 && c < 0x7F) {
                        sb.append(c);
                    } else {
                        sb.append(String.format("\\u%04X", (int) c));
                    }
                }
            }
        }
        sb.append('"');
    }

    private static String arrayToString(Object primitiveArray) {
        if (primitiveArray instanceof int[] a) {
            return java.util.Arrays.toString(a);
        } else if (primitiveArray instanceof long[] a) {
            return java.util.Arrays.toString(a);
        } else if (primitiveArray instanceof char[] a) {
            return java.util.Arrays.toString(a);
        } else if (primitiveArray instanceof double[] a) {
            return java.util.Arrays.toString(a);
        } else if (primitiveArray instanceof boolean[] a) {
            return java.util.Arrays.toString(a);
        } else if (primitiveArray instanceof short[] a) {
            return java.util.Arrays.toString(a);
        } else if (primitiveArray instanceof float[] a) {
            return java.util.Arrays.toString(a);
        }
        return String.valueOf(primitiveArray);
    }

    /** Two values generated together by {@link Property#forAll(Gen, Gen)}. */
    record Tuple2<A, B>(A first, B second) {
    }
}
