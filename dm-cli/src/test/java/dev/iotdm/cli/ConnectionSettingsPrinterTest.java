package dev.iotdm.cli;

import static dev.iotdm.cli.CliAssertions.assertThat;

import dev.iotdm.client.config.DeviceConfigs;
import dev.iotdm.client.config.DeviceOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionSettingsPrinterTest {

    private static final DeviceSpec DEVICE = new DeviceSpec("myorg", "sensor", "dev-1", "secret:token");

    private static String printed(List<DeviceSpec> devices, int port, boolean showTokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ConnectionSettingsPrinter.print(out, devices, "127.0.0.1", port, showTokens);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void without_show_tokens_the_token_is_a_placeholder_in_every_format() {
        String text = printed(List.of(DEVICE), 1883, false);

        assertThat(text).contains(".org(\"myorg\").typeId(\"sensor\").deviceId(\"dev-1\").token(\"<token>\")")
                .contains(".host(\"127.0.0.1\").port(1883).withoutTls()")
                .contains("auth-token=<token>")
                .contains("export WIOTP_AUTH_TOKEN=\"$IOTDM_TOKEN\"")
                .doesNotContain("secret:token");
    }

    @Test
    void the_printed_ini_and_variables_read_back_as_the_registered_device(@TempDir Path dir) throws IOException {
        String text = printed(List.of(DEVICE), 1883, true);
        StringBuilder ini = new StringBuilder();
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("[device]") || l.matches("^(org|type|id|auth-method|auth-token|port)=.*")) {
                ini.append(l).append('\n');
            } else if (l.startsWith("export ")) {
                String[] kv = l.substring("export ".length()).split("=", 2);
                env.put(kv[0], kv[1].replaceAll("^'|'$", ""));
            }
        }
        Path conf = Files.writeString(dir.resolve("device.conf"), ini.toString());

        DeviceOptions fromIni = DeviceConfigs.fromIniFile(conf).host("127.0.0.1").build();
        DeviceOptions fromEnv = DeviceConfigs.fromEnvironment(env).host("127.0.0.1").build();

        for (DeviceOptions o : List.of(fromIni, fromEnv)) {
            assertThat(o.clientId()).isEqualTo("d:myorg:sensor:dev-1");
            assertThat(o.token().reveal()).isEqualTo("secret:token");
            assertThat(o.port()).isEqualTo(1883);
            assertThat(o.tls()).isEmpty();
        }
    }

    @Test
    void a_port_the_ini_format_does_not_know_says_to_start_the_platform_on_1883() {
        assertThat(printed(List.of(DEVICE), 41234, false)).contains("start the platform with --port 1883");
    }

    @Test
    void a_fleet_prints_the_first_devices_and_a_count() {
        List<DeviceSpec> fleet = List.of(DEVICE, new DeviceSpec("myorg", "sensor", "dev-2", "t"),
                new DeviceSpec("myorg", "sensor", "dev-3", "t"), new DeviceSpec("myorg", "sensor", "dev-4", "t"));

        assertThat(printed(fleet, 1883, false)).contains("connection settings of d:myorg:sensor:dev-3")
                .doesNotContain("connection settings of d:myorg:sensor:dev-4").contains("1 more devices");
    }
}
