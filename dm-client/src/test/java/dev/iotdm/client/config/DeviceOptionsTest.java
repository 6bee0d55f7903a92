package dev.iotdm.client.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.transport.tls.TlsSettings;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttVersion;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeviceOptionsTest {

    static DeviceOptions.Builder device() {
        return DeviceOptions.builder().org("abc123").typeId("raspberry-pi-3").deviceId("00ef08ac05").token("s3cret-Tok");
    }

    @Test
    void defaults_follow_the_platform_conventions() {
        DeviceOptions o = device().build();
        assertThat(o.host()).isEqualTo("abc123.messaging.internetofthings.ibmcloud.com");
        assertThat(o.domain()).isEqualTo("internetofthings.ibmcloud.com");
        assertThat(o.port()).isEqualTo(8883);
        assertThat(o.tls()).contains(TlsSettings.defaults());
        assertThat(o.cleanSession()).isTrue();
        assertThat(o.sessionExpiry()).isZero();
        assertThat(o.keepAlive()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.mqttVersion()).as("unset: the transport's preferred version").isEmpty();
        assertThat(o.attemptTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void client_id_and_username_follow_the_token_scheme() {
        DeviceOptions o = device().build();
        assertThat(o.clientId()).isEqualTo("d:abc123:raspberry-pi-3:00ef08ac05");
        assertThat(o.username()).isEqualTo("use-token-auth");
    }

    @Test
    void the_host_is_built_from_org_and_domain_unless_overridden() {
        assertThat(device().domain("staging.example.com").build().host()).isEqualTo("abc123.messaging.staging.example.com");
        assertThat(device().host("127.0.0.1").build().host()).isEqualTo("127.0.0.1");
    }

    @Test
    void port_1883_without_an_explicit_tls_choice_means_plain_tcp() {
        DeviceOptions o = device().port(1883).build();
        assertThat(o.tls()).isEmpty();
        assertThat(device().port(443).build().tls()).isPresent();
        assertThat(device().withoutTls().build().port()).isEqualTo(1883);
        assertThat(device().withoutTls().port(20000).build().tls()).isEmpty();
        assertThat(device().tls(TlsSettings.defaults()).port(1883).build().tls()).isPresent();
    }

    @Test
    void a_kept_session_expires_after_an_hour_by_default() {
        assertThat(device().cleanSession(false).build().sessionExpiry()).isEqualTo(Duration.ofSeconds(3600));
    }

    @Test
    void the_quickstart_organisation_is_refused() {
        assertThatThrownBy(() -> device().org("quickstart").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'quickstart' cannot be used: device management is not available in the quickstart"
                        + " organisation (protocol.md §1.8)");
    }

    @Test
    void identifiers_are_validated_naming_the_field() {
        assertThatThrownBy(() -> device().deviceId("a/b").build())
                .hasMessage("deviceId may contain only letters, digits, '.', '_' and '-': 'a/b'");
        assertThatThrownBy(() -> device().typeId("").build()).hasMessage("typeId must not be empty: ''");
        assertThatThrownBy(() -> device().org("ab-c").build())
                .hasMessage("org may contain only letters and digits: 'ab-c'");
        assertThatThrownBy(() -> device().domain("a b").build())
                .hasMessage("domain must be a host name (no spaces, '/', '@', '?' or '#'): 'a b'");
    }

    @Test
    void the_token_is_required() {
        assertThatThrownBy(() -> DeviceOptions.builder().org("abc123").typeId("t").deviceId("d").build())
                .hasMessage("token is required");
    }

    @Test
    void mqtt_options_carry_identity_token_and_connection_parameters() {
        MqttConnectOptions m = device().cleanSession(false).keepAlive(Duration.ofSeconds(30)).build()
                .toMqttConnectOptions(MqttVersion.MQTT_5);
        assertThat(m.clientId()).isEqualTo("d:abc123:raspberry-pi-3:00ef08ac05");
        assertThat(m.username()).contains("use-token-auth");
        assertThat(m.password().orElseThrow().reveal()).isEqualTo("s3cret-Tok");
        assertThat(m.host()).isEqualTo("abc123.messaging.internetofthings.ibmcloud.com");
        assertThat(m.port()).isEqualTo(8883);
        assertThat(m.tls()).isPresent();
        assertThat(m.cleanSession()).isFalse();
        assertThat(m.sessionExpiry()).isEqualTo(Duration.ofSeconds(3600));
        assertThat(m.keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(m.version()).as("none chosen: the transport's").isEqualTo(MqttVersion.MQTT_5);
    }

    @Test
    void a_chosen_mqtt_version_wins_over_the_transports_preferred_one() {
        MqttConnectOptions m = device().mqttVersion(MqttVersion.MQTT_3_1_1).build().toMqttConnectOptions(MqttVersion.MQTT_5);
        assertThat(m.version()).isEqualTo(MqttVersion.MQTT_3_1_1);
    }

    @Test
    void device_and_transport_options_share_one_settings_type() {
        DeviceOptions o = device().cleanSession(false).keepAlive(Duration.ofSeconds(30)).build();
        assertThat(o.toMqttConnectOptions(MqttVersion.MQTT_5).connection())
                .isEqualTo(o.connection().withMqttVersion(MqttVersion.MQTT_5));
    }

    @Test
    void transport_rules_are_checked_when_building() {
        assertThatThrownBy(() -> device().port(70000).build()).hasMessage("port must be 1..65535, was 70000");
    }

    @Test
    void to_string_does_not_reveal_the_token() {
        assertThat(device().build().toString()).contains("abc123").contains("Secret[***]").doesNotContain("s3cret-Tok");
    }
}
