package dev.iotdm.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.iotdm.protocol.internal.Jackson;
import dev.iotdm.pbt.Gen;
import dev.iotdm.protocol.testing.JsonGens;
import dev.iotdm.pbt.Property;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link JsonValue}: encoding is lossless and deterministic, and any bad input
 * (mutated, truncated, random, too deep, duplicate keys, bad UTF-8, lone surrogates) is refused
 * with {@link IllegalArgumentException} and never anything else.
 */
class JsonValueProperties {

    private static final String DIGITS = "0123456789";

    /** Parses, letting only IllegalArgumentException through as "refused"; returns null then. */
    private static JsonValue parseOrNull(byte[] bytes) {
        try {
            return JsonValue.parse(bytes);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).as("the refusal says why").isNotBlank();
            return null;
        }
    }

    /** Whatever parses must re-encode to text that parses back to the same value and bytes. */
    private static void assertRoundTrips(JsonValue v) {
        byte[] bytes = v.toJsonBytes();
        JsonValue back = JsonValue.parse(bytes);
        assertThat(back).isEqualTo(v);
        assertThat(back.toJsonBytes()).isEqualTo(bytes);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void any_value_parses_back_from_its_text_equal_and_re_encodes_to_identical_bytes() {
        Property.forAll(JsonGens.values()).tries(400).check(v -> {
            byte[] bytes = v.toJsonBytes();
            JsonValue back = JsonValue.parse(bytes);

            assertThat(back).isEqualTo(v);
            assertThat(back.toJsonBytes()).isEqualTo(bytes);
            assertThat(JsonValue.parse(v.toJson())).isEqualTo(v);
            assertThat(v.toJson()).isEqualTo(new String(bytes, StandardCharsets.UTF_8));
        });
    }

    @Test
    void numbers_keep_their_exact_text() {
        Property.forAll(JsonGens.numberTexts()).tries(400).check(text -> {
            JsonValue parsed = JsonValue.parse(text);

            assertThat(parsed).isEqualTo(new JsonNumber(text));
            assertThat(parsed.toJson()).isEqualTo(text);
        });
    }

    @Test
    void strings_keep_every_code_point_and_are_written_as_utf8() {
        Property.forAll(Gen.unicodeStrings(0, 40)).tries(400).check(s -> {
            JsonString value = new JsonString(s);
            String text = value.toJson();

            assertThat(((JsonString) JsonValue.parse(text)).value()).isEqualTo(s);
            // astral characters travel as UTF-8, not as \\u escape pairs
            s.codePoints().filter(Character::isSupplementaryCodePoint)
                    .forEach(cp -> assertThat(text).contains(Character.toString(cp)));
        });
    }

    @Test
    void object_members_keep_their_order_in_the_text() {
        Gen<List<String>> names = Gen.listOf(JsonGens.keys(), 0, 12).map(l -> List.copyOf(new java.util.LinkedHashSet<>(l)));
        Gen<List<String>> orders = names.flatMap(Gen::shuffled);
        Property.forAll(orders).tries(300).check(order -> {
            Map<String, JsonValue> members = new LinkedHashMap<>();
            for (int i = 0; i < order.size(); i++) {
                members.put(order.get(i), JsonNumber.of(i));
            }
            JsonObject object = new JsonObject(members);

            List<String> inText = new ArrayList<>();
            try (JsonParser p = Jackson.FACTORY.createParser(object.toJsonBytes())) {
                while (p.nextToken() != null) {
                    if (p.currentToken() == JsonToken.FIELD_NAME) {
                        inText.add(p.currentName());
                    }
                }
            }
            assertThat(inText).isEqualTo(order);
            assertThat(((JsonObject) JsonValue.parse(object.toJson())).members().keySet()).containsExactlyElementsOf(order);
        });
    }

    @Test
    void reordered_objects_are_equal_but_written_in_their_own_order() {
        Gen<JsonObject> objects = JsonGens.objects(JsonGens.scalars(), 8);
        Property.forAll(objects.flatMap(o -> JsonGens.reordered(o).map(r -> List.of(o, r)))).check(pair -> {
            JsonObject original = pair.get(0);
            JsonObject reordered = pair.get(1);

            assertThat(reordered).isEqualTo(original).hasSameHashCodeAs(original);
            assertThat(((JsonObject) JsonValue.parse(reordered.toJson())).members().keySet())
                    .containsExactlyElementsOf(reordered.members().keySet());
        });
    }

    @Test
    void mutated_json_text_is_refused_with_illegal_argument_or_round_trips() {
        Gen<byte[]> mutants = JsonGens.values().flatMap(v -> JsonGens.mutations(v.toJsonBytes()));
        Property.forAll(mutants).tries(500).check(bytes -> {
            JsonValue v = parseOrNull(bytes);
            if (v != null) {
                assertRoundTrips(v);
            }
        });
    }

    @Test
    void every_proper_prefix_of_a_container_or_string_is_refused() {
        Gen<JsonValue> values = Gen.oneOf(JsonGens.containers(), JsonGens.strings());
        Gen<byte[]> prefixes = values.map(JsonValue::toJsonBytes)
                .flatMap(b -> Gen.integers(0, b.length - 1).map(n -> java.util.Arrays.copyOf(b, n)));
        Property.forAll(prefixes).tries(400).check(prefix ->
                assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse(prefix)));
    }

    @Test
    void random_bytes_are_refused_with_illegal_argument_or_round_trip() {
        Property.forAll(Gen.oneOf(Gen.bytes(0, 64), JsonGens.jsonishBytes(0, 64))).tries(500).check(bytes -> {
            JsonValue v = parseOrNull(bytes);
            if (v != null) {
                assertRoundTrips(v);
            }
        });
    }

    @Test
    void nesting_deeper_than_the_limit_is_refused_and_up_to_it_accepted() {
        Gen<String> openers = Gen.elements("[", "{\"a\":", "[{\"\":");
        Property.forAll(Gen.integers(1, 3000), openers).tries(200).check((depth, opener) -> {
            int levels = opener.equals("[{\"\":") ? 2 : 1;
            String open = opener.repeat(depth);
            StringBuilder close = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                close.append(levels == 2 ? "}]" : opener.equals("[") ? "]" : "}");
            }
            String text = open + "1" + close;
            if (depth * levels <= Jackson.MAX_NESTING_DEPTH) {
                assertRoundTrips(JsonValue.parse(text));
            } else {
                assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse(text))
                        .withMessageContaining("nesting depth");
                assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse(open)); // unclosed bomb
            }
        });
    }

    @Test
    void a_duplicate_key_at_any_depth_is_refused() {
        Gen<JsonObject> objects = JsonGens.objects(JsonGens.values(2, 3), 5).filter(o -> !o.members().isEmpty());
        Property.forAll(objects, Gen.integers(0, 5)).check((object, wrapping) -> {
            List<String> names = new ArrayList<>(object.members().keySet());
            String dup = names.get(wrapping % names.size());
            String text = object.toJson();
            // insert a second member with the same name (and any value) right after '{'
            String withDuplicate = "{" + new JsonString(dup).toJson() + ":" + JsonNull.INSTANCE.toJson() + ","
                    + text.substring(1);
            String wrapped = "[".repeat(wrapping) + withDuplicate + "]".repeat(wrapping);

            assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse(wrapped))
                    .withMessageContaining("Duplicate");
        });
    }

    @Test
    void invalid_utf8_anywhere_in_a_string_is_refused() {
        Gen<byte[]> invalid = Gen.elements(List.of(
                new byte[] {(byte) 0x80}, new byte[] {(byte) 0xBF}, // continuation without a lead
                new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xC1, (byte) 0xBF}, // overlong 2-byte
                new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // overlong 3-byte
                new byte[] {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF}, // overlong 4-byte
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // encoded high surrogate
                new byte[] {(byte) 0xED, (byte) 0xBF, (byte) 0xBF}, // encoded low surrogate
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
                new byte[] {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xFE}, new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xE2, (byte) 0x82}, // truncated
                new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}));
        Gen<String> texts = Gen.unicodeStrings(0, 10);
        Gen<List<Object>> splits = texts.flatMap(s -> Gen.integers(0, s.codePointCount(0, s.length()))
                .map(k -> List.of(s, s.offsetByCodePoints(0, k))));
        Property.forAll(splits, invalid)
                .check((split, bad) -> {
                    String s = (String) split.get(0);
                    int at = (Integer) split.get(1);
                    byte[] json = concat(utf8("[" + new JsonString(s.substring(0, at)).toJson().replaceAll("\"$", "")),
                            bad, utf8(new JsonString(s.substring(at)).toJson().substring(1) + "]"));

                    assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse(json))
                            .withMessageContaining("UTF-8");
                });
    }

    @Test
    void lone_surrogate_escapes_in_values_and_keys_are_refused() {
        Gen<String> lone = Gen.oneOf(
                Gen.integers(0xD800, 0xDBFF).map(h -> String.format("\\u%04X", h)), // high alone
                Gen.integers(0xDC00, 0xDFFF).map(l -> String.format("\\u%04x", l)), // low alone
                Gen.integers(0xDC00, 0xDFFF).map(l -> String.format("\\u%04X\\uD800", l)), // reversed pair
                Gen.integers(0xD800, 0xDBFF).map(h -> String.format("\\u%04XA", h))); // high then a letter
        Gen<String> around = Gen.strings("abc ", 0, 3);
        Property.forAll(lone, around).check((escape, pad) -> {
            String inValue = "[\"" + pad + escape + pad + "\"]";
            String inKey = "{\"" + pad + escape + "\":1}";

            assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse(inValue))
                    .withMessageContaining("surrogate");
            assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse(inKey))
                    .withMessageContaining("surrogate");
        });
    }

    @Test
    void a_java_string_holding_a_lone_surrogate_is_refused_not_replaced() {
        Property.forAll(Gen.strings(DIGITS, 0, 3), Gen.integers(Character.MIN_SURROGATE, Character.MAX_SURROGATE))
                .check((pad, surrogate) -> {
                    String text = "\"" + pad + (char) (int) surrogate + "\"";

                    assertThatIllegalArgumentException().isThrownBy(() -> JsonValue.parse(text))
                            .withMessageContaining("surrogate");
                });
    }
}
