package dev.iotdm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.transport.tls.TlsSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MqttConnectOptionsTest {

    private static MqttConnectOptions.Builder minimal() {
        return MqttConnectOptions.builder().clientId("c1").host("broker.example");
    }

    @Test
    void defaults_are_a_clean_3_1_1_session_on_1883_with_60_s_keep_alive() {
        MqttConnectOptions o = minimal().build();
        assertThat(o.port()).isEqualTo(1883);
        assertThat(o.tls()).isEmpty();
        assertThat(o.cleanSession()).isTrue();
        assertThat(o.sessionExpiry()).isZero();
        assertThat(o.keepAlive()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.version()).isEqualTo(MqttVersion.MQTT_3_1_1);
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.username()).isEmpty();
        assertThat(o.password()).isEmpty();
    }

    @Test
    void tls_moves_the_default_port_to_8883() {
        assertThat(minimal().tls(TlsSettings.defaults()).build().port()).isEqualTo(8883);
        assertThat(minimal().tls(TlsSettings.defaults()).port(443).build().port()).isEqualTo(443);
    }

    @Test
    void a_kept_session_expires_after_an_hour_by_default() {
        assertThat(minimal().cleanSession(false).build().sessionExpiry()).isEqualTo(Duration.ofSeconds(3600));
        assertThat(minimal().cleanSession(false).sessionExpiry(Duration.ofSeconds(60)).build().sessionExpiry())
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void a_clean_session_with_an_expiry_is_refused() {
        assertThatThrownBy(() -> minimal().sessionExpiry(Duration.ofSeconds(5)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sessionExpiry must be 0 when cleanSession is true (a clean session ends with the"
                        + " connection), was 5 s");
    }

    @Test
    void port_outside_1_to_65535_is_refused() {
        assertThatThrownBy(() -> minimal().port(0).build()).hasMessage("port must be 1..65535, was 0");
        assertThatThrownBy(() -> minimal().port(65536).build()).hasMessage("port must be 1..65535, was 65536");
    }

    @Test
    void keep_alive_must_be_whole_seconds_up_to_65535() {
        assertThat(minimal().keepAlive(Duration.ZERO).build().keepAlive()).isZero();
        assertThatThrownBy(() -> minimal().keepAlive(Duration.ofSeconds(65536)).build())
                .hasMessage("keepAlive must be whole seconds from 0 to 65535, was PT18H12M16S");
        assertThatThrownBy(() -> minimal().keepAlive(Duration.ofMillis(1500)).build())
                .hasMessage("keepAlive must be whole seconds from 0 to 65535, was PT1.5S");
    }

    @Test
    void client_id_and_host_are_required_and_non_empty() {
        assertThatThrownBy(() -> MqttConnectOptions.builder().host("h").build()).hasMessage("clientId is required");
        assertThatThrownBy(() -> MqttConnectOptions.builder().clientId("c").build()).hasMessage("host is required");
        assertThatThrownBy(() -> minimal().clientId("").build()).hasMessage("clientId must not be empty");
        assertThatThrownBy(() -> minimal().host(" ").build()).hasMessage("host must not be empty");
    }

    @Test
    void connect_timeout_must_be_positive() {
        assertThatThrownBy(() -> minimal().connectTimeout(Duration.ZERO).build())
                .hasMessage("connectTimeout must be positive, was PT0S");
    }

    @Test
    void to_string_does_not_reveal_the_password() {
        MqttConnectOptions o = minimal().credentials("use-token-auth", Secret.of("s3cr3t-token")).build();
        assertThat(o.password().orElseThrow().reveal()).isEqualTo("s3cr3t-token");
        assertThat(o.toString()).contains("use-token-auth").contains("Secret[***]").doesNotContain("s3cr3t");
    }
}
