package dev.iotdm.protocol.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.protocol.firmware.Verifier.Algorithm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class VerifierTest {

    private static final byte[] IMAGE = "firmware 2.0".getBytes(StandardCharsets.US_ASCII);

    private static String hex(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    @Test
    void empty_or_absent_text_means_no_verification() {
        assertThat(Verifier.parse("")).contains(Verifier.NONE);
        assertThat(Verifier.parse(null)).contains(Verifier.NONE);
        assertThat(Verifier.NONE.verifies()).isFalse();
        assertThat(Verifier.NONE.matches(new byte[] {1, 2, 3})).isTrue();
    }

    @Test
    void thirty_two_hex_digits_are_an_md5_digest_in_either_case() throws Exception {
        String md5 = hex("MD5", IMAGE);
        Verifier v = Verifier.of(md5.toUpperCase());

        assertThat(v.algorithm()).isEqualTo(Algorithm.MD5);
        assertThat(v.hex()).isEqualTo(md5);
        assertThat(v.matches(MessageDigest.getInstance("MD5").digest(IMAGE))).isTrue();
        assertThat(v.newDigest().getAlgorithm()).isEqualTo("MD5");
    }

    @Test
    void sixty_four_hex_digits_are_a_sha_256_digest() throws Exception {
        String sha = hex("SHA-256", IMAGE);
        Verifier v = Verifier.of(sha);

        assertThat(v.algorithm()).isEqualTo(Algorithm.SHA_256);
        MessageDigest digest = v.newDigest();
        digest.update(IMAGE);
        assertThat(v.matches(digest.digest())).isTrue();
        assertThat(v.matches(MessageDigest.getInstance("SHA-256").digest("other".getBytes(StandardCharsets.US_ASCII))))
                .isFalse();
    }

    @Test
    void a_digest_of_another_length_does_not_match() throws Exception {
        Verifier sha = Verifier.of(hex("SHA-256", IMAGE));

        assertThat(sha.matches(MessageDigest.getInstance("MD5").digest(IMAGE))).isFalse();
    }

    @Test
    void no_verifier_still_digests_with_sha_256_for_reports() {
        assertThat(Verifier.NONE.newDigest().getAlgorithm()).isEqualTo("SHA-256");
    }

    @Test
    void other_text_is_invalid_for_decoders_and_rejected_for_callers() {
        String md5 = "0123456789abcdef0123456789abcdef";
        for (String bad : new String[] {"abc", md5 + "0", md5.substring(1) + "g", " " + md5, md5 + "\n",
                "٠١٢٣٤٥٦٧٨٩abcdef0123456789abcdef", "sha256:" + md5 + md5}) {
            assertThat(Verifier.parse(bad)).as("'%s'", bad).isEmpty();
            assertThatThrownBy(() -> Verifier.of(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("verifier");
        }
    }

    @Test
    void the_record_constructor_checks_the_length_against_the_algorithm() {
        assertThatThrownBy(() -> new Verifier(Algorithm.SHA_256, "0123456789abcdef0123456789abcdef"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> new Verifier(null, "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("algorithm");
        assertThatThrownBy(() -> Verifier.NONE.matches(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("digest");
    }
}
