package dev.iotdm.client.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WIOTP_* environment variables of wiotp-sdk (protocol.md §10.4). */
class DeviceConfigsEnvironmentTest {

    private static Map<String, String> env(String... extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "WIOTP_IDENTITY_ORGID", "abc123",
                "WIOTP_IDENTITY_TYPEID", "raspberry-pi-3",
                "WIOTP_IDENTITY_DEVICEID", "00ef08ac05",
                "WIOTP_AUTH_TOKEN", "secret-token"));
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                env.remove(extra[i]);
            } else {
                env.put(extra[i], extra[i + 1]);
            }
        }
        return env;
    }

    private static DeviceOptions read(String... extra) {
        return DeviceConfigs.fromEnvironment(env(extra)).build();
    }

    private static void assertRefused(String problem, String... extra) {
        assertThatThrownBy(() -> DeviceConfigs.fromEnvironment(env(extra))).isInstanceOf(ConfigurationException.class)
                .hasMessage("environment: " + problem)
                .satisfies(e -> assertThat(((ConfigurationException) e).source()).isEqualTo("environment"));
    }

    @Test
    void the_required_variables_alone_give_a_tls_connection_with_a_clean_session() {
        DeviceOptions o = read();
        assertThat(o.clientId()).isEqualTo("d:abc123:raspberry-pi-3:00ef08ac05");
        assertThat(o.token().reveal()).isEqualTo("secret-token");
        assertThat(o.host()).isEqualTo("abc123.messaging.internetofthings.ibmcloud.com");
        assertThat(o.port()).isEqualTo(8883);
        assertThat(o.tls()).isPresent();
        assertThat(o.cleanSession()).isTrue();
        assertThat(o.keepAlive()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void every_optional_variable_is_applied() {
        DeviceOptions o = read("WIOTP_OPTIONS_DOMAIN", "example.com", "WIOTP_OPTIONS_LOGLEVEL", "debug",
                "WIOTP_OPTIONS_MQTT_PORT", "1883", "WIOTP_OPTIONS_MQTT_TRANSPORT", "tcp",
                "WIOTP_OPTIONS_MQTT_CLEANSTART", "false", "WIOTP_OPTIONS_MQTT_SESSIONEXPIRY", "7200",
                "WIOTP_OPTIONS_MQTT_KEEPALIVE", "120");
        assertThat(o.host()).isEqualTo("abc123.messaging.example.com");
        assertThat(o.port()).isEqualTo(1883);
        assertThat(o.tls()).isEmpty();
        assertThat(o.cleanSession()).isFalse();
        assertThat(o.sessionExpiry()).isEqualTo(Duration.ofSeconds(7200));
        assertThat(o.keepAlive()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void clean_start_keeps_its_documented_meaning_of_discarding_the_previous_session() {
        // wiotp-sdk documents cleanStart as "discard any previous state"; its code sent the inverse
        // (protocol.md §12.16). We follow the documentation.
        assertThat(read("WIOTP_OPTIONS_MQTT_CLEANSTART", "true").cleanSession()).isTrue();
        assertThat(read("WIOTP_OPTIONS_MQTT_CLEANSTART", "True").cleanSession()).isTrue();
        assertThat(read("WIOTP_OPTIONS_MQTT_CLEANSTART", "1").cleanSession()).isTrue();
        assertThat(read("WIOTP_OPTIONS_MQTT_CLEANSTART", "false").cleanSession()).isFalse();
        assertThat(read("WIOTP_OPTIONS_MQTT_CLEANSTART", "0").cleanSession()).isFalse();
    }

    @Test
    void session_expiry_applies_only_when_the_session_is_kept() {
        assertThat(read("WIOTP_OPTIONS_MQTT_SESSIONEXPIRY", "7200").sessionExpiry()).isZero();
        assertThat(read("WIOTP_OPTIONS_MQTT_CLEANSTART", "false").sessionExpiry()).isEqualTo(Duration.ofSeconds(3600));
    }

    @Test
    void an_unknown_clean_start_value_is_refused() {
        assertRefused("WIOTP_OPTIONS_MQTT_CLEANSTART: must be True, true or 1, or False, false or 0, was 'yes'",
                "WIOTP_OPTIONS_MQTT_CLEANSTART", "yes");
    }

    @Test
    void missing_required_variables_are_named() {
        assertRefused("WIOTP_AUTH_TOKEN: is required", "WIOTP_AUTH_TOKEN", null);
        assertRefused("WIOTP_IDENTITY_DEVICEID: is required", "WIOTP_IDENTITY_DEVICEID", null);
        assertRefused("WIOTP_IDENTITY_ORGID: must not be empty", "WIOTP_IDENTITY_ORGID", "");
    }

    @Test
    void the_log_level_is_validated() {
        assertThat(read("WIOTP_OPTIONS_LOGLEVEL", "warning").org()).isEqualTo("abc123");
        assertRefused("WIOTP_OPTIONS_LOGLEVEL: must be one of error, warning, info, debug, was 'verbose'",
                "WIOTP_OPTIONS_LOGLEVEL", "verbose");
    }

    @Test
    void websockets_are_not_supported_yet() {
        assertRefused("WIOTP_OPTIONS_MQTT_TRANSPORT: 'websockets' is not supported yet; use 'tcp'",
                "WIOTP_OPTIONS_MQTT_TRANSPORT", "websockets");
        assertRefused("WIOTP_OPTIONS_MQTT_TRANSPORT: must be 'tcp' or 'websockets', was 'udp'",
                "WIOTP_OPTIONS_MQTT_TRANSPORT", "udp");
    }

    @Test
    void ports_follow_the_python_rule() {
        assertThat(read("WIOTP_OPTIONS_MQTT_PORT", "443").tls()).isPresent();
        assertRefused("WIOTP_OPTIONS_MQTT_PORT: must be 1883 or 80 (plain) or 8883 or 443 (TLS), was '8884'",
                "WIOTP_OPTIONS_MQTT_PORT", "8884");
        assertRefused("WIOTP_OPTIONS_MQTT_PORT: must be an integer, was '88 83'", "WIOTP_OPTIONS_MQTT_PORT", "88 83");
    }

    @Test
    void keep_alive_must_fit_mqtt() {
        assertRefused("WIOTP_OPTIONS_MQTT_KEEPALIVE: must be from 0 to 65535, was 70000",
                "WIOTP_OPTIONS_MQTT_KEEPALIVE", "70000");
    }

    @Test
    void ca_file_os_means_the_jvm_trust_store() {
        assertThat(read("WIOTP_OPTIONS_MQTT_CAFILE", "_os_").tls()).isPresent();
    }

    @Test
    void a_ca_file_problem_names_the_variable_and_the_file(@TempDir Path dir) {
        Path missing = dir.resolve("ca.pem");
        assertThatThrownBy(() -> DeviceConfigs.fromEnvironment(env("WIOTP_OPTIONS_MQTT_CAFILE", missing.toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("environment: WIOTP_OPTIONS_MQTT_CAFILE: TLS CA file " + missing
                        + " cannot be read: java.nio.file.NoSuchFileException");
    }

    @Test
    void a_ca_file_with_a_plain_port_is_contradictory() {
        assertRefused("WIOTP_OPTIONS_MQTT_PORT: port 1883 means plain MQTT without TLS, but a CA file is configured",
                "WIOTP_OPTIONS_MQTT_PORT", "1883", "WIOTP_OPTIONS_MQTT_CAFILE", "_os_");
    }

    @Test
    void the_quickstart_organisation_is_refused() {
        assertRefused("WIOTP_IDENTITY_ORGID: 'quickstart' cannot be used: device management is not available in the"
                + " quickstart organisation (protocol.md §1.8)", "WIOTP_IDENTITY_ORGID", "quickstart");
    }
}
