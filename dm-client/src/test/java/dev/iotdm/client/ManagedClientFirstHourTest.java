package dev.iotdm.client;

import static dev.iotdm.client.Harness.await;
import static dev.iotdm.client.Harness.failure;
import static dev.iotdm.client.testing.ClientAssertions.assertThat;

import dev.iotdm.client.testing.FakeTransport.Published;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LogSeverity;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.supervisor.LifecycleEvent;
import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.NotConnectedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The first hour of a seed user: connect() completes with the first attempt's failure, calls in
 * the seed's order, handlers set on the built client, the log data variants. Over the
 * {@code FakeTransport}; the real-socket causes are in the transports' tests.
 */
@Timeout(30)
class ManagedClientFirstHourTest {

    private static final ConnectFailure UNTRUSTED = new ConnectFailure.TlsFailure(
            "the server certificate of 127.0.0.1:8883 is not trusted");
    private static final String REBOOT = "iotdm-1/mgmt/initiate/device/reboot";

    // ---- connect() and its first attempt ----

    @Test
    void a_failed_first_attempt_fails_connect_at_once_with_its_cause_and_is_not_retried() {
        try (Harness h = Harness.virtual(b -> b)) {
            CompletableFuture<Void> ready = h.client.connect();
            h.transport.nextConnect().refuse(UNTRUSTED);

            Throwable cause = failure(ready);
            assertThat(cause).isInstanceOf(ConnectFailureException.class).hasMessageContaining("is not trusted");
            h.time.advance(Duration.ofHours(1));
            h.settle();
            assertThat(h.transport.connectAttempts()).isEqualTo(1);
            assertThat(h.events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(ClientEvent.Lifecycle.class,
                    l -> {
                        assertThat(l.event()).isInstanceOf(LifecycleEvent.ConnectFailed.class);
                        assertThat(l.cause()).containsSame(cause);
                    }));
        }
    }

    @Test
    void connect_called_again_after_a_failed_first_attempt_tries_again() {
        try (Harness h = Harness.virtual(b -> b)) {
            CompletableFuture<Void> first = h.client.connect();
            h.transport.nextConnect().refuse(UNTRUSTED);
            failure(first);

            CompletableFuture<Void> second = h.client.connect();
            h.transport.acceptConnectAndSubscribe(false);

            await(second);
            assertThat(h.client.isConnected()).isTrue();
        }
    }

    @Test
    void refused_credentials_name_the_org_type_and_device_id_sent_but_never_the_token() {
        try (Harness h = Harness.virtual(b -> b)) {
            CompletableFuture<Void> ready = h.client.connect();
            h.transport.nextConnect().refuse(new ConnectFailure.NotAuthorized(5, Optional.empty()));

            assertThat(failure(ready)).isInstanceOf(ConnectFailureException.class)
                    .hasMessageContaining("org \"abc123\", type \"sensor\", device id \"dev-1\"")
                    .hasMessageContaining("the broker does not tell which of them or the token is wrong")
                    .hasMessageNotContaining("s3cret-token");
        }
    }

    @Test
    void retrying_until_a_first_connect_times_out_naming_what_it_waited_for_and_the_last_failure() {
        Duration connectTimeout = Duration.ofSeconds(10);
        try (Harness h = Harness.virtual(b -> b.retryUntilFirstConnect(true).connectTimeout(connectTimeout))) {
            CompletableFuture<Void> ready = h.client.connect();
            h.transport.nextConnect().refuse(new ConnectFailure.Unreachable("connection refused by 127.0.0.1:1"));

            h.time.advance(connectTimeout);

            assertThat(failure(ready)).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("CONNACK and the SUBACK")
                    .hasMessageContaining("ManagedClient.Builder.connectTimeout")
                    .hasMessageContaining("connection refused by 127.0.0.1:1")
                    .hasCauseInstanceOf(ConnectFailureException.class);
        }
    }

    // ---- calls in the seed's order ----

    @Test
    void manage_before_connect_connects_first_and_fails_with_the_connect_failure() {
        try (Harness h = Harness.virtual(b -> b)) {
            CompletableFuture<PlatformResponse> managed = h.client.manage(3600, false, false);
            h.transport.nextConnect().refuse(UNTRUSTED);

            assertThat(failure(managed)).isInstanceOf(ConnectFailureException.class)
                    .hasMessageContaining("is not trusted");
            assertThat(h.transport.publishes()).isEmpty();
        }
    }

    @Test
    void a_location_request_before_connect_fails_at_once_naming_connect() {
        try (Harness h = Harness.virtual(b -> b)) {
            CompletableFuture<PlatformResponse> located = h.client.setLocation(Location.of(30.28, -97.73));

            assertThat(failure(located)).isInstanceOf(NotConnectedException.class).hasMessageContaining("connect()");
            assertThat(h.transport.connectAttempts()).isZero();
        }
    }

    @Test
    void location_error_code_and_log_requests_before_a_successful_manage_fail_at_once_naming_manage() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();

            assertThat(failure(h.client.setLocation(Location.of(30.28, -97.73))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("manage()");
            assertThat(failure(h.client.setErrorCode(1))).hasMessageContaining("manage()");
            assertThat(failure(h.client.addLog("boot", LogSeverity.INFORMATIONAL))).hasMessageContaining("manage()");
            assertThat(h.transport.publishes()).isEmpty();
        }
    }

    @Test
    void manage_declaring_actions_without_their_handler_fails_naming_the_missing_handler() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();

            assertThat(failure(h.client.manage(3600, true, false))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("deviceActionHandler");
            assertThat(failure(h.client.manage(3600, false, true))).hasMessageContaining("firmwareHandler");
            assertThat(h.transport.publishes()).isEmpty();
        }
    }

    @Test
    void a_device_action_handler_set_on_the_built_client_answers_the_platform() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.client.setDeviceActionHandler((kind, reqId) -> CompletableFuture.completedFuture(ActionResponse.accepted()));
            h.connect();
            h.manage(dev.iotdm.protocol.session.ManageParams.of(3600, true, false));

            h.transport.deliver(REBOOT, "{\"reqId\":\"reboot-1\"}");

            assertThat(h.responseTo("reboot-1")).hasRc(202);
        }
    }

    // ---- log data: encoded once ----

    @Test
    void add_log_encodes_raw_data_and_add_log_base64_sends_base64_as_given() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connectAndManage();

            h.client.addLog("raw", LogSeverity.WARNING, "hello".getBytes(StandardCharsets.UTF_8));
            Published raw = h.transport.nextPublish("iotdevice-1/add/diag/log");
            h.client.addLogBase64("encoded", LogSeverity.WARNING, "aGVsbG8=");
            Published encoded = h.transport.nextPublish(p -> p.topic().equals("iotdevice-1/add/diag/log")
                    && p.text().contains("encoded"), "the second log");

            assertThat(raw).hasJson("d.data", "\"aGVsbG8=\"");
            assertThat(encoded).hasJson("d.data", "\"aGVsbG8=\"");
        }
    }

    @Test
    void add_log_base64_refuses_text_that_is_not_base64_naming_the_raw_variant() {
        try (Harness h = Harness.virtual(b -> b)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> h.client.addLogBase64("m", LogSeverity.ERROR, "level=7%"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("addLog(message, severity, byte[])");
        }
    }
}
