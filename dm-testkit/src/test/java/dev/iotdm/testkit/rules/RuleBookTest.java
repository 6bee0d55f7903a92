package dev.iotdm.testkit.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.protocol.codec.Normalisation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule book file: complete for protocol.md §12-§14, consistent with the checker, strictly validated. */
class RuleBookTest {

    private static final RuleBook BOOK = RuleBook.standard();

    private static List<String> uncovered(String section, int items) {
        List<String> uncovered = new ArrayList<>();
        for (int i = 1; i <= items; i++) {
            if (BOOK.citing(section + "." + i).isEmpty()) {
                uncovered.add(section + "." + i);
            }
        }
        return uncovered;
    }

    @Test
    void every_section_12_recommendation_is_covered_by_a_rule() {
        assertThat(uncovered("§12", 35)).isEmpty();
    }

    @Test
    void every_section_13_checklist_item_is_covered_by_a_rule() {
        assertThat(uncovered("§13", 7)).isEmpty();
    }

    @Test
    void the_interop_facts_and_every_wire_section_3_to_8_have_rules() {
        assertThat(BOOK.citing("§14")).hasSizeGreaterThanOrEqualTo(5);
        for (String s : List.of("§3", "§3.1", "§3.2", "§3.3", "§3.6", "§3.8", "§3.9", "§4.2", "§4.3", "§4.4", "§5.2",
                "§6.2", "§6.3", "§7", "§8.4")) {
            assertThat(BOOK.citing(s)).as(s).isNotEmpty();
        }
    }

    @Test
    void the_checkable_rules_are_exactly_those_the_checker_checks() {
        assertThat(BOOK.checkableIds()).containsExactlyInAnyOrderElementsOf(RuleChecker.CHECKED_RULE_IDS);
    }

    @Test
    void every_normalisation_maps_to_a_checkable_rule_of_its_section() {
        for (Normalisation n : Normalisation.values()) {
            Rule rule = BOOK.require(RuleChecker.ruleFor(n));
            assertThat(rule.checkable()).as(n.name()).isTrue();
            if (n.section().startsWith("§12") || n.section().startsWith("§4")) {
                assertThat(rule.sections()).as(n.name()).contains(n.section());
            }
        }
    }

    @Test
    void ids_follow_the_documented_scheme_and_lookup_works() {
        for (Rule r : BOOK.rules()) {
            assertThat(r.id()).matches("DM-[A-Z]+-[A-Z0-9-]+|R12\\.[0-9]+-[A-Z0-9-]+|C13\\.[0-9]-[A-Z-]+|I14-[A-Z-]+");
            assertThat(BOOK.rule(r.id())).contains(r);
        }
        assertThat(BOOK.require("R12.15-ONE-MANAGE").binds()).isEqualTo(Binds.DEVICE);
        assertThat(BOOK.rule("NO-SUCH-RULE")).isEmpty();
        assertThatThrownBy(() -> BOOK.require("NO-SUCH-RULE")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NO-SUCH-RULE");
    }

    @Test
    void out_of_scope_and_persistence_rules_are_marked() {
        assertThat(BOOK.require("R12.32-WSS-PORT").scope()).isEqualTo(Scope.OUT_OF_SCOPE);
        assertThat(BOOK.require("R12.33-MQTT-3-1-1").scope()).isEqualTo(Scope.MQTT_3_1_1_ONLY);
        assertThat(BOOK.require("R12.16-CLEAN-SESSION").scope()).isEqualTo(Scope.NEEDS_PERSISTENCE);
    }

    private static RuleBook parse(String rulesJson) {
        return RuleBook.parse(("{\"rules\":[" + rulesJson + "]}").getBytes(StandardCharsets.UTF_8), "test.json");
    }

    private static String rule(String id) {
        return "{\"id\":\"" + id + "\",\"statement\":\"s\",\"binds\":\"DEVICE\",\"scope\":\"ALL_TRANSPORTS\","
                + "\"level\":\"required\",\"sections\":[\"§3.1\"],\"checkable\":false}";
    }

    @Test
    void duplicate_ids_are_rejected_naming_the_id() {
        assertThatThrownBy(() -> parse(rule("DM-X-1") + "," + rule("DM-X-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("test.json: rules[1]")
                .hasMessageContaining("duplicate id DM-X-1");
    }

    @Test
    void a_missing_field_is_rejected_naming_the_rule_and_the_field() {
        assertThatThrownBy(() -> parse(rule("DM-X-1").replace(",\"checkable\":false", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rules[0] (DM-X-1)")
                .hasMessageContaining("missing 'checkable'");
    }

    @Test
    void bad_values_are_rejected_naming_the_field() {
        assertThatThrownBy(() -> parse(rule("DM-X-1").replace("\"DEVICE\"", "\"NOBODY\"")))
                .hasMessageContaining("'binds' must be one of [DEVICE, PLATFORM, BOTH]");
        assertThatThrownBy(() -> parse(rule("DM-X-1").replace("\"required\"", "\"optional\"")))
                .hasMessageContaining("'level' must be one of required, recommended, informational, got 'optional'");
        assertThatThrownBy(() -> parse(rule("DM-X-1").replace("§3.1", "3.1")))
                .hasMessageContaining("'3.1' is not like §6 or §12.15");
        assertThatThrownBy(() -> parse(rule("dm-lower"))).hasMessageContaining("id: must be upper-case");
        assertThatThrownBy(() -> parse(rule("DM-X-1").replace("\"checkable\":false", "\"checkable\":\"no\"")))
                .hasMessageContaining("'checkable' must be true or false");
        assertThatThrownBy(() -> parse(rule("DM-X-1").replace("\"statement\"", "\"statment\"")))
                .hasMessageContaining("unknown key 'statment'");
        assertThatThrownBy(() -> RuleBook.parse("[1".getBytes(StandardCharsets.UTF_8), "broken.json"))
                .hasMessageStartingWith("broken.json: ");
    }

    @Test
    void a_checker_refuses_a_book_without_its_rules() {
        RuleBook tiny = parse(rule("DM-X-1"));
        assertThatThrownBy(() -> new RuleChecker(tiny, RuleChecker.DEFAULT_MANAGE_TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("R12.15-ONE-MANAGE");
    }
}
