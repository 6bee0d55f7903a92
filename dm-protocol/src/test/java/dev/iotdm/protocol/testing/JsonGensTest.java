package dev.iotdm.protocol.testing;

import dev.iotdm.pbt.Choices;
import dev.iotdm.pbt.Gen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The JSON generators produce what they promise. */
class JsonGensTest {

    private static <T> List<T> sample(Gen<T> gen, int n) {
        SplittableRandom random = new SplittableRandom(7);
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(gen.generate(Choices.random(random.split())));
        }
        return out;
    }

    private static int depth(JsonValue v) {
        if (v instanceof JsonArray a) {
            return 1 + a.elements().stream().mapToInt(JsonGensTest::depth).max().orElse(0);
        }
        if (v instanceof JsonObject o) {
            return 1 + o.members().values().stream().mapToInt(JsonGensTest::depth).max().orElse(0);
        }
        return 0;
    }

    @Test
    void values_respect_depth_and_width_and_include_empty_containers() {
        List<JsonValue> values = sample(JsonGens.values(3, 4), 500);

        assertThat(values).allMatch(v -> depth(v) <= 3).anyMatch(v -> depth(v) == 3);
        assertThat(values).contains(JsonArray.EMPTY, JsonObject.EMPTY);
        assertThat(values).filteredOn(JsonArray.class::isInstance)
                .allMatch(v -> ((JsonArray) v).elements().size() <= 4);
    }

    @Test
    void number_texts_cover_big_fractional_exponent_and_negative_zero_forms() {
        List<String> texts = sample(JsonGens.numberTexts(), 1000);

        assertThat(texts).allSatisfy(JsonNumber::new); // all valid grammar
        assertThat(texts).contains("-0").anyMatch(t -> t.replace("-", "").length() > 20)
                .anyMatch(t -> t.contains(".")).anyMatch(t -> t.contains("E+")).anyMatch(t -> t.contains("e-"));
    }

    @Test
    void shaped_objects_have_required_members_sometimes_optional_ones_and_never_clashing_extras() {
        Gen<JsonObject> objects = JsonGens.object()
                .required("reqId", Gen.asciiIdentifiers(1, 8).map(JsonString::new))
                .optional("d", JsonGens.values(1, 2))
                .unknownMembers(3)
                .anyOrder();
        List<JsonObject> sample = sample(objects, 300);

        assertThat(sample).allMatch(o -> o.get("reqId").isPresent())
                .anyMatch(o -> o.get("d").isPresent())
                .anyMatch(o -> o.get("d").isEmpty())
                .anyMatch(o -> o.members().size() > 2)
                .anyMatch(o -> !o.members().keySet().iterator().next().equals("reqId"));
        assertThatIllegalArgumentException().isThrownBy(() -> JsonGens.object()
                .required("a", JsonGens.scalars()).optional("a", JsonGens.scalars())).withMessageContaining("'a'");
    }

    @Test
    void reordered_objects_are_equal_in_several_orders() {
        JsonObject object = JsonObject.builder().put("a", 1).put("b", 2).put("c", 3).put("d", 4).build();
        Set<List<String>> orders = new HashSet<>();
        for (JsonObject o : sample(JsonGens.reordered(object), 100)) {
            assertThat(o).isEqualTo(object);
            orders.add(List.copyOf(o.members().keySet()));
        }

        assertThat(orders.size()).isGreaterThan(5);
    }

    @Test
    void mutations_change_the_text_in_varied_ways() {
        byte[] valid = "{\"a\":[1,2,3],\"b\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<byte[]> mutants = sample(JsonGens.mutations(valid), 300);

        assertThat(mutants).anyMatch(m -> m.length < valid.length).anyMatch(m -> m.length > valid.length)
                .anyMatch(m -> m.length == valid.length && !java.util.Arrays.equals(m, valid));
    }
}
