package dev.iotdm.transport.paho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.NotConnectedException;
import dev.iotdm.transport.PublishRefusedException;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.SubscribeResult;
import dev.iotdm.transport.WindowFullException;
import dev.iotdm.transport.paho.internal.PahoTranslation;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

/** The translation of Paho's codes and errors, without a broker. */
class PahoTranslationTest {

    private static final MqttConnectOptions OPTIONS = MqttConnectOptions.builder()
            .clientId("d:org:type:id").host("broker.example").port(8883).version(MqttVersion.MQTT_5)
            .connectTimeout(Duration.ofSeconds(7)).build();

    @Test
    void a_refused_connack_keeps_its_reason_code() {
        assertThat(PahoTranslation.connectFailure(new MqttException(0x87), OPTIONS))
                .isEqualTo(new ConnectFailure.NotAuthorized(0x87, Optional.empty()));
        assertThat(PahoTranslation.connectFailure(new MqttException(0x86), OPTIONS))
                .isEqualTo(new ConnectFailure.BadCredentials(0x86, Optional.empty()));
        assertThat(PahoTranslation.connectFailure(new MqttException(0x88), OPTIONS))
                .isInstanceOf(ConnectFailure.ServerUnavailable.class);
    }

    @Test
    void a_tls_error_anywhere_in_the_cause_chain_is_a_tls_failure() {
        MqttException wrapped = new MqttException(new SSLHandshakeException("PKIX path building failed"));

        assertThat(PahoTranslation.connectFailure(wrapped, OPTIONS))
                .isInstanceOfSatisfying(ConnectFailure.TlsFailure.class,
                        f -> assertThat(f.detail()).contains("broker.example:8883").contains("PKIX"));
    }

    @Test
    void network_errors_are_unreachable_and_socket_timeouts_are_timed_out() {
        assertThat(PahoTranslation.connectFailure(new MqttException(
                MqttClientException.REASON_CODE_SERVER_CONNECT_ERROR, new ConnectException("Connection refused")),
                OPTIONS)).isInstanceOf(ConnectFailure.Unreachable.class);
        assertThat(PahoTranslation.connectFailure(new UnknownHostException("broker.example"), OPTIONS))
                .isInstanceOfSatisfying(ConnectFailure.Unreachable.class,
                        u -> assertThat(u.detail()).startsWith("unknown host broker.example"));
        assertThat(PahoTranslation.connectFailure(new MqttException(
                MqttClientException.REASON_CODE_CONNECTION_LOST, new EOFException()), OPTIONS))
                .isInstanceOf(ConnectFailure.Unreachable.class);
        assertThat(PahoTranslation.connectFailure(new MqttException(new SocketTimeoutException("connect timed out")),
                OPTIONS)).isEqualTo(new ConnectFailure.TimedOut(Duration.ofSeconds(7),
                        "the CONNACK from broker.example:8883"));
    }

    @Test
    void anything_else_is_other_without_a_broker_code() {
        assertThat(PahoTranslation.connectFailure(new IllegalStateException("odd"), OPTIONS))
                .isInstanceOfSatisfying(ConnectFailure.Other.class, o -> assertThat(o.code()).isEqualTo(-1));
    }

    @Test
    void suback_codes_become_one_result_per_filter() {
        assertThat(PahoTranslation.subscribeResults(new int[] {0, 1, 2, 0x87, 0x8F}, 5)).containsExactly(
                new SubscribeResult.Granted(Qos.AT_MOST_ONCE),
                new SubscribeResult.Granted(Qos.AT_LEAST_ONCE),
                new SubscribeResult.Granted(Qos.AT_LEAST_ONCE),
                new SubscribeResult.Refused(0x87),
                new SubscribeResult.Refused(0x8F));
    }

    @Test
    void a_suback_with_the_wrong_count_or_an_invalid_code_is_refused() {
        assertThatThrownBy(() -> PahoTranslation.subscribeResults(new int[] {1}, 2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("1 reason codes for 2");
        assertThatThrownBy(() -> PahoTranslation.subscribeResults(new int[] {0x11}, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("0x11");
    }

    @Test
    void only_puback_codes_from_0x80_are_refusals() {
        assertThat(PahoTranslation.pubackRefusal(null)).isEmpty();
        assertThat(PahoTranslation.pubackRefusal(new int[] {0x00})).isEmpty();
        assertThat(PahoTranslation.pubackRefusal(new int[] {0x10})).isEmpty(); // no matching subscribers
        assertThat(PahoTranslation.pubackRefusal(new int[] {0x87})).isEqualTo(OptionalInt.of(0x87));
        assertThat(new PublishRefusedException("a/b", 0x87)).hasMessageContaining("0x87").hasMessageContaining("a/b");
    }

    @Test
    void a_gone_connection_fails_operations_with_not_connected() {
        assertThat(PahoTranslation.operationFailure("publish to 'a/b'",
                new MqttException(MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED)))
                .isInstanceOf(NotConnectedException.class).hasMessageContaining("publish to 'a/b'");
        // 32202 "too many publishes in progress": the window is full, nothing was written.
        assertThat(PahoTranslation.operationFailure("publish to 'a/b'",
                new MqttException(MqttClientException.REASON_CODE_MAX_INFLIGHT)))
                .isInstanceOf(WindowFullException.class).hasMessageContaining("in-flight window is full");
    }

    @Test
    void a_broker_disconnect_names_its_reason_code_and_string() {
        Throwable cause = PahoTranslation.lossCause(new MqttDisconnectResponse(0x87, "Not authorized", null, null));

        assertThat(cause).hasMessageContaining("0x87").hasMessageContaining("Not authorized");
    }
}
