package dev.iotdm.client.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** iot-java device properties, both spellings (protocol.md §10.5). */
class DeviceConfigsPropertiesTest {

    private static final String NEW_NAMES = """
            Organization-ID=abc123
            Device-Type=raspberry-pi-3
            Device-ID=00ef08ac05
            Authentication-Method=token
            Authentication-Token=secret-token
            """;

    private static final String OLD_NAMES = """
            org=abc123
            type=raspberry-pi-3
            id=00ef08ac05
            auth-method=token
            auth-token=secret-token
            """;

    private static Properties props(String text) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }

    private static DeviceOptions read(String text) throws Exception {
        return DeviceConfigs.fromProperties(props(text), "device.properties").build();
    }

    private static void assertRefused(String text, String problem) throws Exception {
        Properties p = props(text);
        assertThatThrownBy(() -> DeviceConfigs.fromProperties(p, "device.properties"))
                .isInstanceOf(ConfigurationException.class).hasMessage("device.properties: " + problem);
    }

    @Test
    void new_and_old_key_names_read_the_same() throws Exception {
        DeviceOptions a = read(NEW_NAMES);
        DeviceOptions b = read(OLD_NAMES);
        for (DeviceOptions o : new DeviceOptions[] {a, b}) {
            assertThat(o.clientId()).isEqualTo("d:abc123:raspberry-pi-3:00ef08ac05");
            assertThat(o.token().reveal()).isEqualTo("secret-token");
            assertThat(o.port()).isEqualTo(8883);
            assertThat(o.tls()).isPresent();
            assertThat(o.cleanSession()).isTrue();
        }
    }

    @Test
    void the_spellings_may_be_mixed_and_repeated_with_equal_values() throws Exception {
        DeviceOptions o = read(NEW_NAMES + "org=abc123\nDomain=example.com\nclean-session=false\n");
        assertThat(o.host()).isEqualTo("abc123.messaging.example.com");
        assertThat(o.cleanSession()).isFalse();
    }

    @Test
    void both_spellings_with_different_values_are_refused() throws Exception {
        assertRefused(NEW_NAMES + "org=xyz789\n", "Organization-ID/org: both names are set, to different values; keep one");
        assertRefused(NEW_NAMES + "auth-token=other\n",
                "Authentication-Token/auth-token: both names are set, to different values; keep one");
    }

    @Test
    void missing_keys_are_named_with_both_spellings() throws Exception {
        assertRefused(NEW_NAMES.replace("Device-ID=00ef08ac05\n", ""), "Device-ID (or id): is required");
    }

    @Test
    void port_and_mqtt_server_override_the_address_but_tls_stays_on() throws Exception {
        DeviceOptions o = read(NEW_NAMES + "port=1883\nmqtt-server=broker.local\n");
        assertThat(o.host()).isEqualTo("broker.local");
        assertThat(o.port()).isEqualTo(1883);
        assertThat(o.tls()).isPresent();
    }

    @Test
    void mqtt_server_must_be_a_host_not_a_uri() throws Exception {
        assertRefused(NEW_NAMES + "mqtt-server=ssl://broker.local:8883\n",
                "mqtt-server: must be a host name, not a URI, was 'ssl://broker.local:8883'");
    }

    @Test
    void websocket_true_is_not_supported_yet() throws Exception {
        assertThat(read(NEW_NAMES + "WebSocket=false\n").port()).isEqualTo(8883);
        assertRefused(NEW_NAMES + "WebSocket=true\n",
                "WebSocket: MQTT over WebSocket is not supported yet; remove the key or set it to false");
    }

    @Test
    void client_certificates_from_properties_are_refused_with_a_pointer_to_tls_settings() throws Exception {
        assertRefused(NEW_NAMES + "Use-Secure-Certificate=true\n", "Use-Secure-Certificate: client certificates are"
                + " not read from properties; configure TlsSettings (clientPkcs12 or clientPemKey) on the returned builder");
    }

    @Test
    void booleans_must_be_true_or_false() throws Exception {
        assertThat(read(NEW_NAMES + "Clean-Session=FALSE\n").cleanSession()).isFalse();
        assertRefused(NEW_NAMES + "Clean-Session=yes\n", "Clean-Session (or clean-session): must be true or false, was 'yes'");
    }

    @Test
    void auth_method_must_be_token_and_port_an_integer() throws Exception {
        assertRefused(NEW_NAMES.replace("Authentication-Method=token", "Authentication-Method=cert"),
                "Authentication-Method (or auth-method): must be 'token' (the only authentication method for devices),"
                        + " was 'cert'");
        assertRefused(NEW_NAMES + "port=0\n", "port: must be from 1 to 65535, was 0");
    }

    @Test
    void a_file_is_read_and_named_in_errors(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("device.properties"), OLD_NAMES + "port=oops\n");
        assertThatThrownBy(() -> DeviceConfigs.fromProperties(file)).isInstanceOf(ConfigurationException.class)
                .hasMessage(file + ": port: must be an integer, was 'oops'");
        Files.writeString(file, OLD_NAMES);
        assertThat(DeviceConfigs.fromProperties(file).build().deviceId()).isEqualTo("00ef08ac05");
    }

    @Test
    void the_quickstart_organisation_is_refused() throws Exception {
        assertRefused(OLD_NAMES.replace("org=abc123", "org=quickstart"), "Organization-ID (or org): 'quickstart' cannot"
                + " be used: device management is not available in the quickstart organisation (protocol.md §1.8)");
    }
}
