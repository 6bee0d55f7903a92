package dev.iotdm.protocol.codec;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WireTextTest {

    @Test
    void a_newline_cannot_forge_a_second_log_line() {
        assertThat(WireText.escape("r-1\n12:00:00 WARN forged")).isEqualTo("r-1\\n12:00:00 WARN forged")
                .doesNotContain("\n");
    }

    @Test
    void terminal_escape_sequences_and_controls_are_shown_not_sent() {
        assertThat(WireText.escape("\u001b[2J\u001b]0;title\u0007\r\t\u0000\u007f\u009b"))
                .isEqualTo("\\e[2J\\e]0;title\\u0007\\r\\t\\u0000\\u007f\\u009b");
    }

    @Test
    void unicode_line_separators_and_bidi_overrides_are_escaped() {
        assertThat(WireText.escape("a\u2028b\u202ec\u2066")).isEqualTo("a\\u2028b\\u202ec\\u2066");
    }

    @Test
    void a_backslash_is_doubled_so_an_escape_cannot_be_faked() {
        assertThat(WireText.escape("\\n")).isEqualTo("\\\\n");
    }

    @Test
    void ordinary_text_and_non_ascii_letters_pass_unchanged() {
        assertThat(WireText.escape("d:org:type:dév-1 {\"rc\":200}")).isEqualTo("d:org:type:dév-1 {\"rc\":200}");
    }

    @Test
    void long_values_are_cut_and_say_how_much_was_cut() {
        assertThat(WireText.escape("x".repeat(100_000))).startsWith("x".repeat(256))
                .endsWith("...(99744 more chars)").hasSize(256 + "...(99744 more chars)".length());
        assertThat(WireText.escape("abcdef", 3)).isEqualTo("abc...(3 more chars)");
    }

    @Test
    void null_shows_as_null_and_a_bad_limit_is_refused() {
        assertThat(WireText.escape(null)).isEqualTo("null");
        assertThatThrownBy(() -> WireText.escape("x", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
    }
}
