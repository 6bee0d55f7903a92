package dev.iotdm.testkit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Encodings checked against the worked examples and rules of X.690 and RFC 5280. */
class DerTest {

    private static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    @Test
    void integers_are_minimal_twos_complement() {
        assertThat(hex(Der.integer(0))).isEqualTo("02 01 00");
        assertThat(hex(Der.integer(127))).isEqualTo("02 01 7f");
        assertThat(hex(Der.integer(128))).isEqualTo("02 02 00 80");
        assertThat(hex(Der.integer(-129))).isEqualTo("02 02 ff 7f");
        assertThat(hex(Der.integer(BigInteger.valueOf(256)))).isEqualTo("02 02 01 00");
    }

    @Test
    void object_identifiers_pack_the_first_two_arcs_and_use_base_128() {
        assertThat(hex(Der.oid("1.2.840.113549"))).isEqualTo("06 06 2a 86 48 86 f7 0d");
        assertThat(hex(Der.oid("2.5.29.19"))).isEqualTo("06 03 55 1d 13");
        assertThat(hex(Der.oid("1.2.840.10045.4.3.2")))
                .isEqualTo("06 08 2a 86 48 ce 3d 04 03 02");
    }

    @Test
    void lengths_from_128_use_the_long_form() {
        assertThat(hex(Der.octetString(new byte[127])).substring(0, 5)).isEqualTo("04 7f");
        assertThat(hex(Der.octetString(new byte[128])).substring(0, 8)).isEqualTo("04 81 80");
        assertThat(hex(Der.octetString(new byte[300])).substring(0, 11))
                .isEqualTo("04 82 01 2c");
        assertThat(Der.octetString(new byte[300])).hasSize(304);
    }

    @Test
    void named_bit_strings_drop_trailing_zero_bits() {
        // digitalSignature only: one bit used, seven unused.
        assertThat(hex(Der.namedBits(0))).isEqualTo("03 02 07 80");
        // keyCertSign(5) + cRLSign(6): 0000 0110, one unused bit.
        assertThat(hex(Der.namedBits(5, 6))).isEqualTo("03 02 01 06");
        // decipherOnly(8) needs a second octet.
        assertThat(hex(Der.namedBits(0, 8))).isEqualTo("03 03 07 80 80");
    }

    @Test
    void booleans_nulls_and_tags_have_their_fixed_forms() {
        assertThat(hex(Der.bool(true))).isEqualTo("01 01 ff");
        assertThat(hex(Der.bool(false))).isEqualTo("01 01 00");
        assertThat(hex(Der.nul())).isEqualTo("05 00");
        assertThat(hex(Der.explicit(0, Der.integer(2)))).isEqualTo("a0 03 02 01 02");
        assertThat(hex(Der.contextPrimitive(7, new byte[] {127, 0, 0, 1})))
                .isEqualTo("87 04 7f 00 00 01");
        assertThat(hex(Der.sequence())).isEqualTo("30 00");
        assertThat(hex(Der.bitString(new byte[] {(byte) 0xab}))).isEqualTo("03 02 00 ab");
    }

    @Test
    void times_switch_from_utc_time_to_generalized_time_in_2050() {
        assertThat(new String(Der.time(Instant.parse("2049-12-31T23:59:59.750Z")), 2, 13,
                java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("491231235959Z");
        assertThat(Der.time(Instant.parse("2049-12-31T23:59:59Z"))[0]).isEqualTo((byte) 0x17);
        assertThat(new String(Der.time(Instant.parse("2050-01-01T00:00:00Z")), 2, 15,
                java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("20500101000000Z");
        assertThat(Der.time(Instant.parse("2050-01-01T00:00:00Z"))[0]).isEqualTo((byte) 0x18);
    }

    @Test
    void strings_are_tagged_by_type_and_printable_string_rejects_other_characters() {
        assertThat(hex(Der.utf8String("é"))).isEqualTo("0c 02 c3 a9");
        assertThat(hex(Der.printableString("A1"))).isEqualTo("13 02 41 31");
        assertThatThrownBy(() -> Der.printableString("a@b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("@");
    }
}
