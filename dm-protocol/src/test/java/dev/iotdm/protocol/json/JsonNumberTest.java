package dev.iotdm.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JSON numbers kept as their exact text, checked against the RFC 8259 §6 grammar. */
class JsonNumberTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0", "-0", "1", "-1", "10", "1.5", "-0.5", "0.0", "1e5", "1E5", "1e+5", "1e-5",
        "-0.5e10", "123456789012345678901234567890", "1.0E-7"})
    void numbers_in_the_json_grammar_are_accepted_and_kept_as_written(String text) {
        JsonNumber n = new JsonNumber(text);

        assertThat(n.text()).isEqualTo(text);
        assertThat(n.toJson()).isEqualTo(text);
        assertThat(n).hasToString(text);
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", "-", "+1", "01", "-01", "00", "1.", ".5", "1e", "1e+", "1.e5", " 1", "1 ", "0x10",
        "NaN", "Infinity", "-Infinity", "1_000", "１", "1e5.0", "--1", "1-"})
    void text_outside_the_json_grammar_is_refused(String text) {
        assertThatThrownBy(() -> new JsonNumber(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text: not a JSON number: '" + text + "'");
    }

    @Test
    void the_same_value_written_differently_is_a_different_number() {
        assertThat(new JsonNumber("10")).isNotEqualTo(new JsonNumber("10.0"));
        assertThat(new JsonNumber("10").bigDecimalValue()).isEqualByComparingTo(new JsonNumber("10.0").bigDecimalValue());
    }

    @Test
    void factories_write_the_shortest_plain_text() {
        assertThat(JsonNumber.of(42L).text()).isEqualTo("42");
        assertThat(JsonNumber.of(new BigDecimal("1E+3")).text()).isEqualTo("1000");
        assertThat(JsonNumber.of(2.5).text()).isEqualTo("2.5");
        assertThat(JsonNumber.of(1e20).text()).isEqualTo("1.0e20");
        assertThatThrownBy(() -> JsonNumber.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value: JSON has no NaN");
        assertThatThrownBy(() -> JsonNumber.of(Double.NEGATIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value: JSON has no -Infinity");
    }

    @Test
    void long_value_exact_is_present_only_for_integers_that_fit() {
        assertThat(new JsonNumber("42").longValueExact()).isEqualTo(OptionalLong.of(42));
        assertThat(new JsonNumber("-0").longValueExact()).isEqualTo(OptionalLong.of(0));
        assertThat(new JsonNumber("1e2").longValueExact()).isEqualTo(OptionalLong.of(100));
        assertThat(new JsonNumber("2.0").longValueExact()).isEqualTo(OptionalLong.of(2));
        assertThat(new JsonNumber("9223372036854775807").longValueExact()).isEqualTo(OptionalLong.of(Long.MAX_VALUE));
        assertThat(new JsonNumber("-9223372036854775808").longValueExact())
                .isEqualTo(OptionalLong.of(Long.MIN_VALUE));
        assertThat(new JsonNumber("9223372036854775808").longValueExact()).isEmpty();
        assertThat(new JsonNumber("1.5").longValueExact()).isEmpty();
        assertThat(new JsonNumber("1e-400").longValueExact()).isEmpty();
    }

    @Test
    void an_exponent_beyond_big_decimal_is_valid_json_that_has_no_exact_value() {
        JsonNumber huge = new JsonNumber("1e9999999999");

        assertThat(huge.longValueExact()).isEmpty();
        assertThat(huge.doubleValue()).isInfinite();
        assertThatThrownBy(huge::bigDecimalValue).isInstanceOf(ArithmeticException.class)
                .hasMessage("JSON number 1e9999999999 is beyond the range of BigDecimal");
    }
}
