package dev.iotdm.cli;

import static dev.iotdm.cli.CliAssertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad arguments end with exit code 2 and a message naming the problem, before anything starts. */
class UsageTest {

    @Test
    void no_command_is_bad_usage_and_names_the_commands() {
        assertThat(CliResult.run()).hasExitCode(DmCli.USAGE).printedOnErr("missing command: choose demo, platform or conformance");
    }

    @Test
    void an_unknown_command_is_bad_usage_with_a_suggestion() {
        assertThat(CliResult.run("demox")).hasExitCode(DmCli.USAGE).printedOnErr("'demox'")
                .printedOnErr("dm-cli demo");
    }

    @Test
    void an_unknown_transport_is_bad_usage_listing_the_available_ones() {
        assertThat(CliResult.run("demo", "--transport", "carrier-pigeon")).hasExitCode(DmCli.USAGE)
                .printedOnErr("unknown transport 'carrier-pigeon' for --transport; available: netty, paho");
    }

    @Test
    void an_unknown_mqtt_version_is_bad_usage() {
        assertThat(CliResult.run("demo", "--mqtt-version", "4")).hasExitCode(DmCli.USAGE)
                .printedOnErr("'4' is not an MQTT version: use 5 or 3.1.1");
    }

    @Test
    void a_demo_timeout_out_of_range_is_bad_usage() {
        assertThat(CliResult.run("demo", "--timeout", "0")).hasExitCode(DmCli.USAGE)
                .printedOnErr("--timeout must be 1 to 600 seconds, was 0");
    }

    @Test
    void an_unknown_option_is_bad_usage() {
        assertThat(CliResult.run("platform", "--colour", "blue")).hasExitCode(DmCli.USAGE)
                .printedOnErr("Unknown options: '--colour', 'blue'");
    }

    @Test
    void a_device_without_a_token_is_bad_usage_naming_the_form() {
        assertThat(CliResult.run("platform", "--device", "acme:sensor:dev-1")).hasExitCode(DmCli.USAGE)
                .printedOnErr("device must be org:type:id:token, got 3 part(s) in 'acme:sensor:dev-1'");
    }

    @Test
    void a_device_with_a_bad_id_is_bad_usage_and_its_token_is_not_printed() {
        CliResult result = CliResult.run("platform", "--device", "acme:sensor:dev/1:s3cret-token");
        assertThat(result).hasExitCode(DmCli.USAGE).printedOnErr("device id may contain only letters, digits");
        assertThat(result.err()).doesNotContain("s3cret-token");
    }

    @Test
    void a_missing_devices_file_is_bad_usage_naming_the_file(@TempDir Path dir) {
        Path missing = dir.resolve("devices.txt");
        assertThat(CliResult.run("platform", "--devices-file", missing.toString())).hasExitCode(DmCli.USAGE)
                .printedOnErr("cannot read the device file " + missing);
    }

    @Test
    void a_bad_line_in_the_devices_file_is_bad_usage_naming_the_line(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("devices.txt");
        Files.writeString(file, "# devices\nacme:sensor:dev-1:token-1\n\nacme:sensor\n");
        assertThat(CliResult.run("platform", "--devices-file", file.toString())).hasExitCode(DmCli.USAGE)
                .printedOnErr(file + " line 4: device must be org:type:id:token");
    }

    @Test
    void a_keystore_without_a_tls_port_is_bad_usage() {
        assertThat(CliResult.run("platform", "--keystore", "server.p12", "--keystore-password", "pw"))
                .hasExitCode(DmCli.USAGE).printedOnErr("--keystore and --cert-dir need --tls-port");
    }

    @Test
    void a_keystore_without_its_password_is_bad_usage(@TempDir Path dir) throws Exception {
        Path store = Files.writeString(dir.resolve("server.p12"), "not really a key store");
        assertThat(CliResult.run("platform", "--tls-port", "0", "--keystore", store.toString()))
                .hasExitCode(DmCli.USAGE).printedOnErr("--keystore needs its password: --keystore-password-file FILE,"
                        + " the IOTDM_KEYSTORE_PASSWORD variable or --keystore-password");
    }

    @Test
    void help_as_a_command_works_like_the_help_option() {
        CliResult help = CliResult.run("help");
        assertThat(help).hasExitCode(DmCli.OK);
        assertThat(help.out()).isEqualTo(CliResult.run("--help").out()).contains("Usage: dm-cli");
    }

    @Test
    void a_devices_pattern_without_a_token_is_bad_usage() {
        assertThat(CliResult.runWith(java.util.Map.of(), "platform", "--devices-pattern", "acme:raw:dev-%d", "--count",
                "2"))
                .hasExitCode(DmCli.USAGE).printedOnErr("--devices-pattern needs a token: --token-file FILE or the"
                        + " IOTDM_TOKEN variable");
    }

    @Test
    void a_port_out_of_range_is_bad_usage() {
        assertThat(CliResult.run("platform", "--port", "70000")).hasExitCode(DmCli.USAGE)
                .printedOnErr("--port must be 0 to 65535, was 70000");
    }

    @Test
    void help_on_each_command_succeeds_and_documents_the_exit_codes() {
        for (String[] args : new String[][] {{"--help"}, {"demo", "--help"}, {"platform", "--help"}}) {
            assertThat(CliResult.run(args)).hasExitCode(DmCli.OK).printedOnOut("Exit codes:")
                    .printedOnOut("2   bad usage");
        }
    }
}
