package dev.iotdm.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.pbt.Gen;
import dev.iotdm.pbt.Property;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-written ISO 8601 scanner accepts exactly what the JDK's strict ISO formatters accept,
 * and reads the same value: the JDK is the oracle, on text built from the grammar's pieces and on
 * that text with one character changed, dropped or doubled.
 */
class IsoDateTimeProperties {

    private static final String NEAR = "0123456789+-:.TtZz 9";

    /** Text assembled from valid and nearly valid pieces of each part of the grammar. */
    private static final Gen<String> ASSEMBLED = c -> {
        String year = Gen.elements("2018", "0000", "9999", "+12345", "-0001", "-0000", "+2018", "218", "-12345",
                "+999999999", "+1000000000", "20180", "2000", "1900", "2024", "2023").generate(c);
        String month = Gen.elements("01", "02", "04", "12", "13", "00", "1", "11").generate(c);
        String day = Gen.elements("01", "28", "29", "30", "31", "00", "32", "1").generate(c);
        String t = Gen.elements("T", "t", " ", "").generate(c);
        String hour = Gen.elements("00", "10", "23", "24", "9").generate(c);
        String minute = Gen.elements("00", "15", "59", "60").generate(c);
        String second = Gen.elements("", ":30", ":59", ":60", ":5").generate(c);
        String fraction = second.isEmpty() ? Gen.elements("", ".1").generate(c)
                : Gen.elements("", ".", ".1", ".123", ".747566", ".123456789", ".1234567890", ".a").generate(c);
        String offset = Gen.elements("", "Z", "z", "+00:00", "-00:00", "+02:00", "+01", "-05", "+0100", "+01:0",
                "+18:00", "+18:00:01", "-17:59:59", "+23:59", "+24:00", "+05:30:15", "Zz", "+01:00:", "+1:00",
                "-00:00:59").generate(c);
        return year + "-" + month + "-" + day + t + hour + ":" + minute + second + fraction + offset;
    };

    /** Assembled text, sometimes with one character replaced, removed or repeated. */
    private static final Gen<String> TEXTS = c -> {
        String s = ASSEMBLED.generate(c);
        int edit = Gen.integers(0, 3).generate(c);
        if (edit == 0 || s.isEmpty()) {
            return s;
        }
        int at = Gen.integers(0, s.length() - 1).generate(c);
        return switch (edit) {
            case 1 -> s.substring(0, at) + NEAR.charAt(Gen.integers(0, NEAR.length() - 1).generate(c))
                    + s.substring(at + 1);
            case 2 -> s.substring(0, at) + s.substring(at + 1);
            default -> s.substring(0, at + 1) + s.substring(at);
        };
    };

    @Test
    void the_scanner_agrees_with_the_jdk_iso_formatters() {
        Property.forAll(TEXTS).tries(3000).check(text ->
                assertThat(IsoDateTime.parse(text)).as(text).isEqualTo(jdk(text)));
    }

    @Test
    void the_scanner_agrees_on_the_forms_each_old_client_sends() {
        for (String text : List.of("2018-05-01T10:15:30Z", "2018-05-01T10:15:30+00:00", "2018-05-01T10:15:30.123Z",
                "2026-11-25T13:08:15.747566+02:00", "2026-11-25T13:08:16.748536", "2018-05-01T10:15Z",
                "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2018-05-01T10:15:30.Z", "2018-05-01T10:15:30+01")) {
            assertThat(IsoDateTime.parse(text)).as(text).isEqualTo(jdk(text));
        }
    }

    /** What the code before the scanner did: the offset form, then the local form. */
    private static Object jdk(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
