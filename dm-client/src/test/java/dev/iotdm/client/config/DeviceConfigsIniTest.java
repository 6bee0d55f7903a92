package dev.iotdm.client.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The legacy Python ibmiotf INI file (protocol.md §10.3). */
class DeviceConfigsIniTest {

    @TempDir
    Path dir;

    private Path ini(String text) throws Exception {
        return Files.writeString(dir.resolve("device.ini"), text);
    }

    private static final String GOOD = """
            [device]
            org=abc123
            type=raspberry-pi-3
            id=00ef08ac05
            auth-method=token
            auth-token=secret-token
            domain=internetofthings.ibmcloud.com
            port=8883
            clean-session=true
            """;

    private DeviceOptions read(String text) throws Exception {
        return DeviceConfigs.fromIniFile(ini(text)).build();
    }

    private void assertRefused(String text, String problem) throws Exception {
        Path file = ini(text);
        assertThatThrownBy(() -> DeviceConfigs.fromIniFile(file)).isInstanceOf(ConfigurationException.class)
                .hasMessage(file + ": " + problem);
    }

    @Test
    void the_documented_example_reads_into_device_options() throws Exception {
        DeviceOptions o = read(GOOD);
        assertThat(o.clientId()).isEqualTo("d:abc123:raspberry-pi-3:00ef08ac05");
        assertThat(o.token().reveal()).isEqualTo("secret-token");
        assertThat(o.host()).isEqualTo("abc123.messaging.internetofthings.ibmcloud.com");
        assertThat(o.port()).isEqualTo(8883);
        assertThat(o.tls()).isPresent();
        assertThat(o.cleanSession()).isTrue();
    }

    @Test
    void colon_separators_comments_case_and_whitespace_follow_configparser() throws Exception {
        DeviceOptions o = read("""
                # a comment
                ; another comment
                  [device]
                ORG :  abc123
                Type= t1
                id =d1
                   # indented comment
                auth-method:token
                auth-token = a=b:c%%d
                """);
        assertThat(o.org()).isEqualTo("abc123");
        assertThat(o.typeId()).isEqualTo("t1");
        assertThat(o.deviceId()).isEqualTo("d1");
        assertThat(o.token().reveal()).isEqualTo("a=b:c%d");
    }

    @Test
    void a_line_indented_deeper_than_its_key_continues_the_value() throws Exception {
        assertRefused("""
                [device]
                  org=abc123
                    more
                """, "org: may contain only letters and digits, was 'abc123\\u000amore'");
        DeviceOptions o = read("""
                [device]
                  org=abc123
                  type=t
                  id=d
                  auth-method=token
                  auth-token=x
                """);
        assertThat(o.typeId()).isEqualTo("t");
    }

    @Test
    void values_in_the_default_section_apply_to_device() throws Exception {
        DeviceOptions o = read("""
                [DEFAULT]
                domain = example.com
                [device]
                org=abc123
                type=t
                id=d
                auth-method=token
                auth-token=x
                """);
        assertThat(o.host()).isEqualTo("abc123.messaging.example.com");
    }

    @Test
    void optional_keys_take_their_defaults() throws Exception {
        DeviceOptions o = read("[device]\norg=abc123\ntype=t\nid=d\nauth-method=token\nauth-token=x\n");
        assertThat(o.domain()).isEqualTo("internetofthings.ibmcloud.com");
        assertThat(o.port()).isEqualTo(8883);
        assertThat(o.tls()).isPresent();
        assertThat(o.cleanSession()).isTrue();
    }

    @Test
    void only_the_exact_string_false_disables_clean_session() throws Exception {
        assertThat(read(GOOD.replace("clean-session=true", "clean-session=false")).cleanSession()).isFalse();
        assertThat(read(GOOD.replace("clean-session=true", "clean-session=False")).cleanSession()).isTrue();
        assertThat(read(GOOD.replace("clean-session=true", "clean-session=no")).cleanSession()).isTrue();
    }

    @Test
    void ports_1883_and_80_are_plain_and_8883_and_443_are_tls() throws Exception {
        for (int port : new int[] {1883, 80}) {
            DeviceOptions o = read(GOOD.replace("port=8883", "port=" + port));
            assertThat(o.port()).isEqualTo(port);
            assertThat(o.tls()).isEmpty();
        }
        for (int port : new int[] {8883, 443}) {
            DeviceOptions o = read(GOOD.replace("port=8883", "port=" + port));
            assertThat(o.port()).isEqualTo(port);
            assertThat(o.tls()).isPresent();
        }
    }

    @Test
    void any_other_port_is_refused() throws Exception {
        assertRefused(GOOD.replace("port=8883", "port=1234"),
                "port: must be 1883 or 80 (plain) or 8883 or 443 (TLS), was '1234'");
        assertRefused(GOOD.replace("port=8883", "port=eighty"), "port: must be an integer, was 'eighty'");
    }

    @Test
    void auth_method_must_be_token() throws Exception {
        assertRefused(GOOD.replace("auth-method=token", "auth-method=apikey"),
                "auth-method: must be 'token' (the only authentication method for devices), was 'apikey'");
    }

    @Test
    void missing_required_keys_are_named() throws Exception {
        assertRefused(GOOD.replace("auth-token=secret-token\n", ""), "auth-token: is required");
        assertRefused(GOOD.replace("org=abc123\n", ""), "org: is required");
        assertRefused(GOOD.replace("auth-method=token\n", ""), "auth-method: is required");
    }

    @Test
    void the_quickstart_organisation_is_refused() throws Exception {
        assertRefused(GOOD.replace("org=abc123", "org=quickstart"), "org: 'quickstart' cannot be used: device"
                + " management is not available in the quickstart organisation (protocol.md §1.8)");
    }

    @Test
    void invalid_identifiers_are_named_with_the_problem() throws Exception {
        assertRefused(GOOD.replace("id=00ef08ac05", "id=dev ice"),
                "id: may contain only letters, digits, '.', '_' and '-', was 'dev ice'");
        assertRefused(GOOD.replace("type=raspberry-pi-3", "type="), "type: must not be empty");
    }

    @Test
    void a_file_without_a_device_section_is_refused() throws Exception {
        assertRefused("[application]\norg=abc123\n", "has no [device] section");
        // configparser section names are case-sensitive
        assertRefused(GOOD.replace("[device]", "[Device]"), "has no [device] section");
    }

    @Test
    void syntax_errors_name_the_line() throws Exception {
        assertRefused("org=abc123\n[device]\n", "line 1: a key comes before the first section header");
        assertRefused("[device]\njust some words\n", "line 2: expected 'key = value' or 'key: value'");
        assertRefused("[device]\norg=a\nORG=b\n", "line 3: key 'org' appears twice in its section");
        assertRefused("[device]\n[device]\n", "line 2: section [device] appears twice");
        assertRefused("[device\n", "line 1: expected a section header like '[device]'");
    }

    @Test
    void a_single_percent_sign_is_refused_without_echoing_the_token() throws Exception {
        assertRefused(GOOD.replace("auth-token=secret-token", "auth-token=sec%ret"),
                "auth-token: '%' must be written '%%' (configparser interpolation such as '%(name)s' is not supported)");
    }

    @Test
    void a_missing_file_is_reported_with_its_path() {
        Path missing = dir.resolve("nope.ini");
        assertThatThrownBy(() -> DeviceConfigs.fromIniFile(missing)).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(missing + ": cannot be read: java.nio.file.NoSuchFileException");
    }

    @Test
    void the_returned_builder_can_still_be_adjusted() throws Exception {
        DeviceOptions o = DeviceConfigs.fromIniFile(ini(GOOD)).host("127.0.0.1").withoutTls().port(41883).build();
        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.port()).isEqualTo(41883);
        assertThat(o.tls()).isEmpty();
    }

    @Test
    void errors_never_contain_the_token() throws Exception {
        Path file = ini(GOOD.replace("port=8883", "port=1"));
        assertThatThrownBy(() -> DeviceConfigs.fromIniFile(file)).satisfies(e ->
                assertThat(e.getMessage()).doesNotContain("secret-token"));
    }
}
