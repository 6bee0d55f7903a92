package dev.iotdm.protocol.message;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Owns the one parse of an ISO 8601 date-time: a hand-written scanner that accepts exactly the
 * text that {@code DateTimeFormatter.ISO_OFFSET_DATE_TIME} or {@code ISO_LOCAL_DATE_TIME}
 * accepts (strict resolver), without building a formatter's parse context and without throwing.
 *
 * <p>Why not the JDK formatters: they throw {@code DateTimeParseException} to say "no", and a
 * zone-less text (what old Python clients send, protocol.md §14) fails the offset form before the
 * local form succeeds, so every zone-less timestamp cost an exception per parse. The grammar the
 * JDK formatters accept, which this scanner reproduces (a property test compares the two):
 *
 * <pre>
 *   year   = 4 digits | '+' 5..10 digits | '-' 4..10 digits (not all zero); |year| &lt;= 999,999,999
 *   date   = year '-' MM '-' dd               (a real day of that month, leap years included)
 *   time   = HH ':' mm [ ':' ss [ '.' 0..9 digits ] ]   (HH 00-23, mm and ss 00-59)
 *   offset = 'Z' | ('+' | '-') HH [ ':' mm [ ':' ss ] ]  (HH 00-23, at most 18:00:00 overall)
 *   text   = date ('T' | 't') time [ offset ]           ('z' also stands for 'Z')
 * </pre>
 *
 * <p>(The JDK reads the offset leniently, hence {@code +01} alone.) A caller that only needs to know
 * whether the text is valid and has a zone gets both from one scan that allocates nothing.
 */
final class IsoDateTime {

    /** What a parse found; {@link #INVALID} when the text is not an ISO 8601 date-time. */
    static final int INVALID = 0;
    /** The text has an offset or {@code Z}. */
    static final int WITH_OFFSET = 1;
    /** The text has no zone: local time of an unknown zone. */
    static final int ZONELESS = 2;

    private static final int MAX_YEAR = 999_999_999;

    // Where scan puts the fields when asked to.
    private static final int YEAR = 0;
    private static final int MONTH = 1;
    private static final int DAY = 2;
    private static final int HOUR = 3;
    private static final int MINUTE = 4;
    private static final int SECOND = 5;
    private static final int NANO = 6;
    private static final int OFFSET_SECONDS = 7;

    private IsoDateTime() {
    }

    /** {@link #WITH_OFFSET}, {@link #ZONELESS} or {@link #INVALID}; allocates nothing. */
    static int classify(String text) {
        return scan(text, null);
    }

    /** The parsed value: an {@link OffsetDateTime}, a {@link LocalDateTime}, or null when invalid. */
    static Object parse(String text) {
        int[] f = new int[8];
        int kind = scan(text, f);
        if (kind == INVALID) {
            return null;
        }
        LocalDateTime local = LocalDateTime.of(f[YEAR], f[MONTH], f[DAY], f[HOUR], f[MINUTE], f[SECOND], f[NANO]);
        return kind == ZONELESS ? local : OffsetDateTime.of(local, ZoneOffset.ofTotalSeconds(f[OFFSET_SECONDS]));
    }

    /** Scans {@code s}; when {@code out} is not null and the text is valid, fills in its fields. */
    private static int scan(String s, int[] out) {
        int month;
        int day;
        int hour;
        int minute;
        int second = 0;
        int nano = 0;
        int n = s.length();
        int i = 0;
        // year
        boolean negative = false;
        boolean signed = false;
        if (n > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            signed = true;
            i = 1;
        }
        int start = i;
        long y = 0;
        while (i < n && i - start < 10 && isDigit(s.charAt(i))) {
            y = y * 10 + (s.charAt(i) - '0');
            i++;
        }
        int digits = i - start;
        if (digits < 4
                || (!signed && digits != 4)
                || (signed && !negative && digits <= 4)
                || (negative && y == 0)
                || y > MAX_YEAR) {
            return INVALID;
        }
        int year = (int) (negative ? -y : y);
        // -MM-dd
        if (!literal(s, i, '-') || (month = twoDigits(s, i + 1)) < 1 || month > 12
                || !literal(s, i + 3, '-') || (day = twoDigits(s, i + 4)) < 1
                || day > lengthOfMonth(year, month)) {
            return INVALID;
        }
        i += 6;
        // T
        if (i >= n || (s.charAt(i) != 'T' && s.charAt(i) != 't')) {
            return INVALID;
        }
        i++;
        // HH:mm
        if ((hour = twoDigits(s, i)) < 0 || hour > 23 || !literal(s, i + 2, ':')
                || (minute = twoDigits(s, i + 3)) < 0 || minute > 59) {
            return INVALID;
        }
        i += 5;
        // [:ss[.fraction]]
        if (literal(s, i, ':')) {
            if ((second = twoDigits(s, i + 1)) < 0 || second > 59) {
                return INVALID;
            }
            i += 3;
            if (literal(s, i, '.')) {
                i++;
                int fractionStart = i;
                int f = 0;
                while (i < n && i - fractionStart < 9 && isDigit(s.charAt(i))) {
                    f = f * 10 + (s.charAt(i) - '0');
                    i++;
                }
                for (int k = i - fractionStart; k < 9; k++) {
                    f *= 10;
                }
                nano = f;
            }
        }
        int kind;
        int offsetSeconds = 0;
        if (i == n) {
            kind = ZONELESS;
        } else {
            offsetSeconds = offset(s, i);
            if (offsetSeconds == NO_OFFSET) {
                return INVALID;
            }
            kind = WITH_OFFSET;
        }
        if (out != null) {
            out[YEAR] = year;
            out[MONTH] = month;
            out[DAY] = day;
            out[HOUR] = hour;
            out[MINUTE] = minute;
            out[SECOND] = second;
            out[NANO] = nano;
            out[OFFSET_SECONDS] = offsetSeconds;
        }
        return kind;
    }

    /** What {@link #offset} returns for text that is not an offset running to the end. */
    private static final int NO_OFFSET = Integer.MIN_VALUE;

    /** The offset in seconds of the text from {@code i} to its end, or {@link #NO_OFFSET}. */
    private static int offset(String s, int i) {
        int n = s.length();
        char c = s.charAt(i);
        if (c == 'Z' || c == 'z') {
            return i + 1 == n ? 0 : NO_OFFSET;
        }
        if (c != '+' && c != '-') {
            return NO_OFFSET;
        }
        // HH, then optionally :mm, then optionally :ss; each group read is worth 60 times the next
        int total = 0;
        int groups = 0;
        i++;
        while (groups < 3) {
            if (groups > 0) {
                if (!literal(s, i, ':')) {
                    break;
                }
                i++;
            }
            int v = twoDigits(s, i);
            if (v < 0 || v > (groups == 0 ? 23 : 59)) {
                return NO_OFFSET;
            }
            total = total * 60 + v;
            groups++;
            i += 2;
        }
        for (int g = groups; g < 3; g++) {
            total *= 60;
        }
        if (i != n || total > 18 * 3600) {
            return NO_OFFSET;
        }
        return c == '-' ? -total : total;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean literal(String s, int i, char c) {
        return i < s.length() && s.charAt(i) == c;
    }

    /** The two-digit number at {@code i}, or -1. */
    private static int twoDigits(String s, int i) {
        if (i + 2 > s.length()) {
            return -1;
        }
        char a = s.charAt(i);
        char b = s.charAt(i + 1);
        return isDigit(a) && isDigit(b) ? (a - '0') * 10 + (b - '0') : -1;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static boolean isLeap(long year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }
}
