package dev.iotdm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectFailureTest {

    private static final Optional<String> NONE = Optional.empty();

    @Test
    void mqtt_3_return_codes_1_to_5_map_to_their_failures() {
        assertThat(ConnectFailure.fromMqtt3ReturnCode(1)).isEqualTo(new ConnectFailure.UnsupportedProtocolVersion(1, NONE));
        assertThat(ConnectFailure.fromMqtt3ReturnCode(2)).isEqualTo(new ConnectFailure.ClientIdRejected(2, NONE));
        assertThat(ConnectFailure.fromMqtt3ReturnCode(3)).isEqualTo(new ConnectFailure.ServerUnavailable(3, NONE));
        assertThat(ConnectFailure.fromMqtt3ReturnCode(4)).isEqualTo(new ConnectFailure.BadCredentials(4, NONE));
        assertThat(ConnectFailure.fromMqtt3ReturnCode(5)).isEqualTo(new ConnectFailure.NotAuthorized(5, NONE));
        assertThat(ConnectFailure.fromMqtt3ReturnCode(6)).isInstanceOf(ConnectFailure.Other.class);
    }

    @Test
    void mqtt_5_reason_codes_map_to_the_same_failures_as_mqtt_3() {
        Optional<String> why = Optional.of("no");
        assertThat(ConnectFailure.fromMqtt5ReasonCode(0x84, why))
                .isEqualTo(new ConnectFailure.UnsupportedProtocolVersion(0x84, why));
        assertThat(ConnectFailure.fromMqtt5ReasonCode(0x85, why)).isEqualTo(new ConnectFailure.ClientIdRejected(0x85, why));
        assertThat(ConnectFailure.fromMqtt5ReasonCode(0x86, why)).isEqualTo(new ConnectFailure.BadCredentials(0x86, why));
        assertThat(ConnectFailure.fromMqtt5ReasonCode(0x8C, why)).isEqualTo(new ConnectFailure.BadCredentials(0x8C, why));
        assertThat(ConnectFailure.fromMqtt5ReasonCode(0x87, why)).isEqualTo(new ConnectFailure.NotAuthorized(0x87, why));
        assertThat(ConnectFailure.fromMqtt5ReasonCode(0x8A, why)).isEqualTo(new ConnectFailure.NotAuthorized(0x8A, why));
        for (int code : new int[] {0x88, 0x89, 0x97, 0x9C, 0x9D, 0x9F}) {
            assertThat(ConnectFailure.fromMqtt5ReasonCode(code, NONE))
                    .isEqualTo(new ConnectFailure.ServerUnavailable(code, NONE));
        }
        assertThat(ConnectFailure.fromMqtt5ReasonCode(0x81, NONE)).isEqualTo(new ConnectFailure.Other(0x81, "malformed packet"));
        assertThat(ConnectFailure.fromMqtt5ReasonCode(0x80, why)).isEqualTo(new ConnectFailure.Other(0x80, "no"));
    }

    @Test
    void from_connack_dispatches_on_the_version() {
        assertThat(ConnectFailure.fromConnack(MqttVersion.MQTT_3_1_1, 4, NONE))
                .isInstanceOf(ConnectFailure.BadCredentials.class);
        assertThat(ConnectFailure.fromConnack(MqttVersion.MQTT_5, 0x86, NONE))
                .isInstanceOf(ConnectFailure.BadCredentials.class);
        // 4 is not a failure code in MQTT 5: it must not be read as bad credentials.
        assertThat(ConnectFailure.fromConnack(MqttVersion.MQTT_5, 4, NONE)).isInstanceOf(ConnectFailure.Other.class);
    }

    @Test
    void code_0_is_success_and_cannot_be_mapped() {
        assertThatThrownBy(() -> ConnectFailure.fromMqtt3ReturnCode(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CONNACK code 0 means the connection was accepted, not a failure");
        assertThatThrownBy(() -> ConnectFailure.fromMqtt5ReasonCode(256, NONE))
                .hasMessage("CONNACK code must be 1..255, was 256");
    }

    @Test
    void the_exception_message_describes_the_failure() {
        assertThat(new ConnectFailureException(ConnectFailure.fromMqtt5ReasonCode(0x86, Optional.of("token expired"))))
                .hasMessage("connect refused: bad user name or password (code 134 = 0x86): token expired");
        assertThat(new ConnectFailureException(ConnectFailure.fromMqtt3ReturnCode(5)))
                .hasMessage("connect refused: not authorized (code 5 = 0x5)");
        assertThat(new ConnectFailureException(new ConnectFailure.TimedOut(Duration.ofSeconds(30))))
                .hasMessage("timed out after 30000 ms (the attempt timeout) waiting for the CONNACK");
        assertThat(new ConnectFailureException(new ConnectFailure.Unreachable("Connection refused")))
                .hasMessage("broker unreachable: Connection refused");
        assertThat(new ConnectFailureException(new ConnectFailure.TlsFailure("PKIX path building failed")))
                .hasMessage("TLS handshake failed: PKIX path building failed");
    }

    @Test
    void a_failed_connect_future_exposes_the_failure_as_its_cause() throws Exception {
        try (MqttTransport transport = new FakeTransport("fake", 4)) {
            CompletableFuture<ConnectResult> f = transport.connect(
                    MqttConnectOptions.builder().clientId("c").host("h").build(), FakeTransport.IGNORE);
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(ConnectFailureException.class, e ->
                            assertThat(e.failure()).isEqualTo(new ConnectFailure.BadCredentials(4, NONE)));
        }
    }
}
