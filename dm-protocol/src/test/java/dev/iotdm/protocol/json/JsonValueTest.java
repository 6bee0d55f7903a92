package dev.iotdm.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.iotdm.protocol.internal.Jackson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Edge cases of {@link JsonValue} parsing and writing, one by one. */
class JsonValueTest {

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-0", "-0.0", "12345678901234567890123", "1E+2", "1e-007", "0.10", "-1.5e-300",
        "123456789012345678901234567890.123456789012345678901234567890e+99"})
    void numbers_keep_their_exact_text(String text) {
        JsonValue v = JsonValue.parse(text);

        assertThat(v).isEqualTo(new JsonNumber(text));
        assertThat(v.toJson()).isEqualTo(text);
    }

    @Test
    void numeric_views_are_exact_or_empty_never_a_surprise() {
        assertThat(new JsonNumber("12345678901234567890123").bigDecimalValue())
                .isEqualTo(new BigDecimal("12345678901234567890123"));
        assertThat(new JsonNumber("12345678901234567890123").longValueExact()).isEmpty();
        assertThat(new JsonNumber("1e2").longValueExact()).hasValue(100);
        assertThat(new JsonNumber("-9223372036854775808").longValueExact()).hasValue(Long.MIN_VALUE);
        assertThat(new JsonNumber("1.5").longValueExact()).isEmpty();
        assertThat(new JsonNumber("1e400").doubleValue()).isInfinite();
        // exponent beyond BigDecimal's int scale: no long, and no NumberFormatException either
        assertThat(new JsonNumber("1e99999999999").longValueExact()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "+1", ".5", "1.", "1e", "1e+", "NaN", "Infinity", "-", "0x10", "1 ", ""})
    void number_texts_outside_the_json_grammar_are_refused(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> new JsonNumber(text)).withMessageContaining("text");
    }

    @Test
    void an_escaped_surrogate_pair_is_one_astral_character_written_back_as_four_utf8_bytes() {
        JsonValue v = JsonValue.parse("\"\\ud83d\\ude00\"");

        assertThat(v).isEqualTo(new JsonString("\uD83D\uDE00"));
        assertThat(v.toJsonBytes()).isEqualTo(hex("22f09f988022"));
    }

    @Test
    void control_characters_quotes_and_backslashes_are_escaped() {
        JsonString s = new JsonString("\u0000\u001f\"\\\n");

        assertThat(s.toJson()).isEqualTo("\"\\u0000\\u001F\\\"\\\\\\n\"");
        assertThat(JsonValue.parse(s.toJson())).isEqualTo(s);
    }

    @Test
    void a_duplicate_key_is_refused_naming_the_key() {
        assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse("{\"a\":1,\"b\":2,\"a\":3}"))
                .withMessageContaining("Duplicate field 'a'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]x", "{} {}", "1 2", "\"a\"\"b\"", "null,", "[1]]"})
    void trailing_content_is_refused(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t"})
    void empty_input_is_refused(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse(text))
                .withMessageContaining("no JSON value");
    }

    @Test
    void surrounding_whitespace_and_a_utf8_byte_order_mark_are_accepted() {
        assertThat(JsonValue.parse(" \n[1]\t ")).isEqualTo(JsonArray.of(JsonNumber.of(1)));
        assertThat(JsonValue.parse(hex("efbbbf5b5d"))).isEqualTo(JsonArray.EMPTY);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "22c0af22", // overlong '/'
        "22e080af22", // overlong 3-byte
        "22eda08022", // UTF-8-encoded high surrogate (CESU-8)
        "22f490808022", // above U+10FFFF
        "22ff22", // never valid in UTF-8
        "22c322", // truncated sequence
        "2280", // stray continuation byte
        "7b007d00", // UTF-16LE "{}": would be auto-detected by Jackson
        "feff007b007d", // UTF-16BE with byte order mark
        "0000005b0000005d", // UTF-32BE "[]"
    })
    void bytes_that_are_not_strict_utf8_are_refused(String hex) {
        assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse(hex(hex)))
                .withMessageMatching("malformed JSON: (invalid UTF-8|NUL byte) at (byte )?offset \\d+");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\ud800\"", "\"\\udc00\"", "\"\\udc00\\ud800\"", "\"\\ud83dx\"", "{\"\\ud800\":1}"})
    void lone_surrogate_escapes_are_refused(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse(text))
                .withMessageContaining("surrogate");
    }

    @Test
    void a_lone_surrogate_in_a_java_string_is_refused_not_turned_into_a_question_mark() {
        assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse("\"\uD800\""))
                .withMessageContaining("surrogate");
        assertThatIllegalArgumentException().isThrownBy(() -> new JsonString("a\uDC00"))
                .withMessageContaining("value");
    }

    @Test
    void nesting_is_accepted_up_to_the_limit_and_refused_beyond() {
        int max = Jackson.MAX_NESTING_DEPTH;

        assertThat(JsonValue.parse("[".repeat(max) + "]".repeat(max)).toJson()).hasSize(2 * max);
        assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse("[".repeat(max + 1) + "]".repeat(max + 1)))
                .withMessageContaining("nesting depth");
        assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse("[".repeat(100_000)));
    }

    @Test
    void writing_a_value_nested_beyond_the_limit_is_refused_with_illegal_argument() {
        JsonValue deep = JsonArray.EMPTY;
        for (int i = 0; i < Jackson.MAX_NESTING_DEPTH; i++) {
            deep = JsonArray.of(deep);
        }
        JsonValue tooDeep = deep;

        assertThatIllegalArgumentException().isThrownBy(tooDeep::toJson).withMessageContaining("nests deeper");
    }

    @Test
    void objects_are_equal_whatever_the_member_order_but_keep_it_in_text() {
        Map<String, JsonValue> ab = new LinkedHashMap<>();
        ab.put("a", JsonNumber.of(1));
        ab.put("b", JsonBoolean.TRUE);
        JsonObject first = new JsonObject(ab);
        JsonObject second = JsonObject.builder().put("b", true).put("a", 1).build();

        assertThat(first).isEqualTo(second).hasSameHashCodeAs(second);
        assertThat(first.toJson()).isEqualTo("{\"a\":1,\"b\":true}");
        assertThat(second.toJson()).isEqualTo("{\"b\":true,\"a\":1}");
        assertThat(JsonValue.parse(second.toJson()).toJson()).isEqualTo(second.toJson());
    }

    @Test
    void empty_containers_and_literals_round_trip() {
        for (String text : new String[] {"{}", "[]", "\"\"", "null", "true", "false", "[{},[],\"\",0]"}) {
            assertThat(JsonValue.parse(text).toJson()).isEqualTo(text);
        }
        assertThat(JsonValue.parse("{}")).isEqualTo(JsonObject.EMPTY);
        assertThat(JsonValue.parse("null")).isSameAs(JsonNull.INSTANCE);
    }

    @Test
    void parsing_a_string_and_its_utf8_bytes_gives_the_same_value() {
        String text = "{\"k\\u00e9\":[\"\uD83D\uDE00\",1.0e-5,null]}";

        assertThat(JsonValue.parse(text)).isEqualTo(JsonValue.parse(text.getBytes(StandardCharsets.UTF_8)));
    }
}
