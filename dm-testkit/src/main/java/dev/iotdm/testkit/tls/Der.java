package dev.iotdm.testkit.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * A minimal DER (ITU-T X.690) encoder: just the types an X.509 v3 certificate needs. Every method
 * returns the complete TLV encoding of one value, so values nest by passing encodings to
 * {@link #sequence(byte[]...)} and friends. Stateless and thread-safe.
 */
final class Der {

    private static final int BOOLEAN = 0x01;
    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int OCTET_STRING = 0x04;
    private static final int NULL = 0x05;
    private static final int OBJECT_IDENTIFIER = 0x06;
    private static final int UTF8_STRING = 0x0c;
    private static final int PRINTABLE_STRING = 0x13;
    private static final int UTC_TIME = 0x17;
    private static final int GENERALIZED_TIME = 0x18;
    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;

    private static final DateTimeFormatter UTC_TIME_FORMAT =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    private static final DateTimeFormatter GENERALIZED_TIME_FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

    private Der() {
    }

    /** A TLV with the given identifier octet (single-octet tags only, which is all X.509 uses). */
    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        writeLength(out, content.length);
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        // Long form: 0x80 | number of length octets, then the length big-endian, minimal.
        int octets = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
        out.write(0x80 | octets);
        for (int i = octets - 1; i >= 0; i--) {
            out.write(length >>> (8 * i));
        }
    }

    static byte[] sequence(byte[]... elements) {
        return tlv(SEQUENCE, concat(elements));
    }

    /** A SET; callers pass a single element or elements already in DER order. */
    static byte[] set(byte[]... elements) {
        return tlv(SET, concat(elements));
    }

    static byte[] integer(BigInteger value) {
        // toByteArray() is two's complement and minimal, exactly what DER wants.
        return tlv(INTEGER, value.toByteArray());
    }

    static byte[] integer(long value) {
        return integer(BigInteger.valueOf(value));
    }

    static byte[] bool(boolean value) {
        return tlv(BOOLEAN, new byte[] {(byte) (value ? 0xff : 0x00)});
    }

    static byte[] nul() {
        return tlv(NULL, new byte[0]);
    }

    /** A BIT STRING whose content is whole octets (no unused bits), as for keys and signatures. */
    static byte[] bitString(byte[] bytes) {
        byte[] content = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, content, 1, bytes.length);
        return tlv(BIT_STRING, content);
    }

    /**
     * A named-bit BIT STRING (such as KeyUsage) with the given bit numbers set, bit 0 being the
     * most significant bit of the first octet; trailing zero bits are dropped, as DER requires.
     */
    static byte[] namedBits(int... bits) {
        int highest = -1;
        for (int b : bits) {
            if (b < 0) {
                throw new IllegalArgumentException("bit numbers must not be negative, was " + b);
            }
            highest = Math.max(highest, b);
        }
        if (highest < 0) {
            return tlv(BIT_STRING, new byte[] {0});
        }
        byte[] content = new byte[1 + highest / 8 + 1];
        for (int b : bits) {
            content[1 + b / 8] |= (byte) (0x80 >>> (b % 8));
        }
        content[0] = (byte) (7 - highest % 8);
        return tlv(BIT_STRING, content);
    }

    static byte[] octetString(byte[] bytes) {
        return tlv(OCTET_STRING, bytes);
    }

    /** An OBJECT IDENTIFIER from its dotted form, such as {@code 1.2.840.10045.4.3.2}. */
    static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("OID needs at least two arcs: " + dotted);
        }
        long first = Long.parseLong(parts[0]);
        long second = Long.parseLong(parts[1]);
        if (first > 2 || (first < 2 && second > 39)) {
            throw new IllegalArgumentException("invalid first arcs in OID " + dotted);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeBase128(out, first * 40 + second);
        for (int i = 2; i < parts.length; i++) {
            writeBase128(out, Long.parseLong(parts[i]));
        }
        return tlv(OBJECT_IDENTIFIER, out.toByteArray());
    }

    private static void writeBase128(ByteArrayOutputStream out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("OID arcs must not be negative");
        }
        int groups = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(value) + 6) / 7);
        for (int i = groups - 1; i >= 0; i--) {
            int seven = (int) ((value >>> (7 * i)) & 0x7f);
            out.write(i > 0 ? seven | 0x80 : seven);
        }
    }

    static byte[] utf8String(String s) {
        return tlv(UTF8_STRING, s.getBytes(StandardCharsets.UTF_8));
    }

    /** A PrintableString; rejects characters outside its repertoire (X.680 §41.4). */
    static byte[] printableString(String s) {
        for (char c : s.toCharArray()) {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || " '()+,-./:=?".indexOf(c) >= 0;
            if (!ok) {
                throw new IllegalArgumentException("not a PrintableString character: '" + c + "'");
            }
        }
        return tlv(PRINTABLE_STRING, s.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * An IMPLICIT context-specific primitive tag {@code [tagNumber]} over raw content, as in
     * GeneralName ({@code dNSName [2]}, {@code iPAddress [7]}) and AuthorityKeyIdentifier
     * ({@code keyIdentifier [0]}).
     */
    static byte[] contextPrimitive(int tagNumber, byte[] content) {
        return tlv(0x80 | tagNumber, content);
    }

    /** An EXPLICIT context-specific tag around one encoded value. */
    static byte[] explicit(int tagNumber, byte[] encoded) {
        return tlv(0xa0 | tagNumber, encoded);
    }

    static byte[] utcTime(Instant t) {
        return tlv(UTC_TIME, format(UTC_TIME_FORMAT, t));
    }

    static byte[] generalizedTime(Instant t) {
        return tlv(GENERALIZED_TIME, format(GENERALIZED_TIME_FORMAT, t));
    }

    /** An X.509 Time: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
    static byte[] time(Instant t) {
        int year = t.atZone(ZoneOffset.UTC).getYear();
        return year >= 1950 && year < 2050 ? utcTime(t) : generalizedTime(t);
    }

    private static byte[] format(DateTimeFormatter f, Instant t) {
        ZonedDateTime utc = t.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC);
        return f.format(utc).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
