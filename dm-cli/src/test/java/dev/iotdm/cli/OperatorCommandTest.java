package dev.iotdm.cli;

import static dev.iotdm.cli.CliAssertions.assertThat;
import static dev.iotdm.cli.CliAssertions.assertThatThrownBy;

import dev.iotdm.cli.OperatorCommand.Custom;
import dev.iotdm.cli.OperatorCommand.Download;
import dev.iotdm.cli.OperatorCommand.Observe;
import dev.iotdm.cli.OperatorCommand.SendCommand;
import dev.iotdm.cli.OperatorCommand.Set;
import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.message.MetadataField;
import dev.iotdm.protocol.message.Parameter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing the platform console's operator commands. */
class OperatorCommandTest {

    @Test
    void blank_lines_and_comments_are_no_command() {
        assertThat(OperatorCommand.parse("   ")).isEmpty();
        assertThat(OperatorCommand.parse("# reboot d:a:b:c")).isEmpty();
    }

    @Test
    void simple_commands_parse_with_surrounding_blanks() {
        assertThat(OperatorCommand.parse("  reboot   d:acme:sensor:dev-1 ")).contains(
                new OperatorCommand.Reboot("d:acme:sensor:dev-1"));
        assertThat(OperatorCommand.parse("factory-reset dev-1")).contains(new OperatorCommand.FactoryReset("dev-1"));
        assertThat(OperatorCommand.parse("update dev-1")).contains(new OperatorCommand.Update("dev-1"));
        assertThat(OperatorCommand.parse("devices")).contains(new OperatorCommand.Devices());
        assertThat(OperatorCommand.parse("quit")).contains(new OperatorCommand.Quit());
    }

    @Test
    void download_takes_an_optional_verifier_or_dash_an_optional_version_or_dash_and_an_optional_name() {
        String sha = "a".repeat(64);
        assertThat(OperatorCommand.parse("download dev-1 http://h/fw.bin " + sha + " 2.0 core")).contains(
                new Download("dev-1", "http://h/fw.bin", Optional.of(sha), Optional.of("2.0"), "core"));
        assertThat(OperatorCommand.parse("download dev-1 http://h/fw.bin - 2.0")).contains(
                new Download("dev-1", "http://h/fw.bin", Optional.empty(), Optional.of("2.0"), "fw.bin"));
        assertThat(OperatorCommand.parse("download dev-1 http://h/fw.bin - - core")).contains(
                new Download("dev-1", "http://h/fw.bin", Optional.empty(), Optional.empty(), "core"));
        assertThat(OperatorCommand.parse("download dev-1 http://h/fw.bin")).contains(
                new Download("dev-1", "http://h/fw.bin", Optional.empty(), Optional.empty(), "fw.bin"));
    }

    @Test
    void the_default_firmware_name_is_the_last_path_segment_of_the_uri() {
        assertThat(OperatorCommand.lastSegment("https://h:8080/images/app-2.0.bin?sig=x#f")).isEqualTo("app-2.0.bin");
        assertThat(OperatorCommand.lastSegment("http://h/images/")).isEqualTo("images");
        assertThat(OperatorCommand.lastSegment("fw")).isEqualTo("fw");
    }

    @Test
    void options_go_with_operations_and_are_collected_from_the_line() {
        assertThat(OperatorCommand.parseLine("reboot --when-online dev-1")).contains(new OperatorCommand.Line(
                new OperatorCommand.Reboot("dev-1"), java.util.Set.of(OperatorCommand.Flag.WHEN_ONLINE)));
        assertThat(OperatorCommand.parseLine("custom dev-1 b a --anyway").orElseThrow().flags())
                .containsExactly(OperatorCommand.Flag.ANYWAY);
        assertThatThrownBy(() -> OperatorCommand.parseLine("reboot --anyway dev-1"))
                .hasMessage("--anyway is for custom only");
        assertThatThrownBy(() -> OperatorCommand.parseLine("devices --when-online"))
                .hasMessageStartingWith("devices takes no options");
        assertThatThrownBy(() -> OperatorCommand.parseLine("reboot --soon dev-1"))
                .hasMessage("unknown option '--soon'; options: --when-online, --anyway");
    }

    @Test
    void script_steps_take_seconds() {
        assertThat(OperatorCommand.parse("wait-managed dev-1 5"))
                .contains(new OperatorCommand.WaitManaged("dev-1", Optional.of(5)));
        assertThat(OperatorCommand.parse("sleep 2")).contains(new OperatorCommand.Sleep(2));
        assertThatThrownBy(() -> OperatorCommand.parse("sleep soon"))
                .hasMessage("'soon' is not a number of seconds (0 to 86400); usage: sleep <seconds>");
    }

    @Test
    void download_with_a_verifier_that_is_neither_md5_nor_sha256_is_refused() {
        assertThatThrownBy(() -> OperatorCommand.parse("download dev-1 http://h/fw.bin abc123"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("verifier must be 32 (MD5) or 64 (SHA-256) hex digits");
    }

    @Test
    void custom_parameters_are_json_when_they_parse_and_strings_otherwise() {
        assertThat(OperatorCommand.parse("custom dev-1 acme-plugins install id=3 name=pA quoted=\"3\"")).contains(
                new Custom("dev-1", "acme-plugins", "install", List.of(new Parameter("id", JsonNumber.of(3)),
                        new Parameter("name", new JsonString("pA")), new Parameter("quoted", new JsonString("3")))));
    }

    @Test
    void a_custom_parameter_without_a_name_is_refused() {
        assertThatThrownBy(() -> OperatorCommand.parse("custom dev-1 b a =3"))
                .hasMessage("parameter '=3' must be name=value; usage: custom <device> <bundle> <action> [name=value...]");
    }

    @Test
    void set_types_the_value_as_the_wire_would_and_keeps_spaces_in_the_json() {
        OperatorCommand command = OperatorCommand.parse("set dev-1 metadata {\"room\": \"kitchen 2\"}").orElseThrow();
        assertThat(command).isInstanceOf(Set.class);
        Set set = (Set) command;
        assertThat(set.field()).isInstanceOf(MetadataField.class);
        assertThat(((MetadataField) set.field()).value().toJson()).isEqualTo("{\"room\":\"kitchen 2\"}");
    }

    @Test
    void set_with_malformed_json_is_refused_naming_the_form() {
        assertThatThrownBy(() -> OperatorCommand.parse("set dev-1 metadata {room"))
                .hasMessageContaining("not JSON").hasMessageEndingWith("usage: set <device> <field> <json>");
    }

    @Test
    void set_with_a_value_that_does_not_fit_the_field_is_refused() {
        assertThatThrownBy(() -> OperatorCommand.parse("set dev-1 location \"paris\""))
                .hasMessageStartingWith("cannot set location to that value: ");
    }

    @Test
    void observe_takes_one_or_more_fields() {
        assertThat(OperatorCommand.parse("observe dev-1 mgmt.firmware location")).contains(
                new Observe("dev-1", List.of("mgmt.firmware", "location")));
        assertThatThrownBy(() -> OperatorCommand.parse("cancel dev-1"))
                .hasMessage("missing <field>; usage: cancel <device> <field...>");
    }

    @Test
    void command_compacts_its_json_payload() {
        assertThat(OperatorCommand.parse("command dev-1 blink { \"times\" : 2 }")).contains(
                new SendCommand("dev-1", "blink", "{\"times\":2}"));
    }

    @Test
    void a_command_id_with_a_topic_separator_is_refused() {
        assertThatThrownBy(() -> OperatorCommand.parse("command dev-1 a/b {}"))
                .hasMessage("commandId 'a/b' must not contain '/'");
    }

    @Test
    void extra_words_after_a_complete_command_are_refused() {
        assertThatThrownBy(() -> OperatorCommand.parse("reboot dev-1 now"))
                .hasMessage("unexpected 'now' after reboot; type 'help' for the forms");
    }

    @Test
    void register_parses_a_device_and_hides_its_token_in_errors() {
        assertThat(OperatorCommand.parse("register acme:sensor:dev-3:t0k")).hasValueSatisfying(c ->
                assertThat(((OperatorCommand.Register) c).device().clientId()).isEqualTo("d:acme:sensor:dev-3"));
        assertThatThrownBy(() -> OperatorCommand.parse("register acme:sen sor:dev-3:t0k"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OperatorCommand.parse("register ac-me:sensor:dev-3:s3cret"))
                .hasMessageContaining("ac-me:sensor:dev-3:***").hasMessageNotContaining("s3cret");
    }

    @Test
    void device_specs_keep_colons_in_the_token_and_never_print_it() {
        DeviceSpec spec = DeviceSpec.parse("acme:sensor:dev-1:a:b:c");
        assertThat(spec.token()).isEqualTo("a:b:c");
        assertThat(spec.clientId()).isEqualTo("d:acme:sensor:dev-1");
        assertThat(spec.toString()).doesNotContain("a:b:c");
    }
}
