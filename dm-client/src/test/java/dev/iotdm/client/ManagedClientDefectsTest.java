package dev.iotdm.client;

import static dev.iotdm.client.Harness.MANAGE;
import static dev.iotdm.client.Harness.await;
import static dev.iotdm.client.Harness.failure;
import static dev.iotdm.client.testing.ClientAssertions.assertThat;
import static dev.iotdm.client.testing.ClientAssertions.assertThatThrownBy;

import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.client.testing.FakeTransport;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.session.DeliveryFailedException;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.session.PublishFailure;
import dev.iotdm.protocol.supervisor.LifecycleEvent;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.PublishRefusedException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The defects of the architecture issue, each shown by a test that failed before its fix. */
@Timeout(30)
class ManagedClientDefectsTest {

    /** An application's callback executor after it was shut down. */
    private static final Executor SHUT_DOWN = task -> {
        throw new RejectedExecutionException("the application shut its executor down");
    };

    @Test
    void a_manage_whose_publish_the_broker_refuses_fails_at_once_not_at_the_request_timeout() {
        try (Harness h = Harness.virtual(b -> b)) {
            h.connect();
            CompletableFuture<PlatformResponse> managed = h.client.manage(3600, false, false);

            h.transport.nextPublish(MANAGE).fail(new PublishRefusedException(MANAGE, 0x87));

            // No virtual time passes: before the fix the future failed only at the request timeout.
            Throwable cause = failure(managed);
            assertThat(cause).isInstanceOf(DeliveryFailedException.class);
            assertThat(((DeliveryFailedException) cause).failure()).isEqualTo(PublishFailure.REFUSED_BY_BROKER);
        }
    }

    @Test
    void a_callback_executor_that_refuses_work_loses_no_publish_of_the_same_step() {
        try (Harness h = Harness.virtual(b -> b.callbackExecutor(SHUT_DOWN))) {
            CompletableFuture<PlatformResponse> managed = h.client.manage(ManageParams.of(3600, false, false));

            // Ready is told to the listener (refused) in the same step that sends the manage.
            h.connect();

            h.transport.respond(h.transport.nextPublish(MANAGE), 200);
            assertThat(await(managed).rc().code()).isEqualTo(200);
        }
    }

    @Test
    void a_device_action_whose_handler_cannot_be_handed_off_is_answered_500() {
        try (Harness h = Harness.virtual(b -> b.callbackExecutor(SHUT_DOWN)
                .deviceActionHandler((kind, reqId) -> CompletableFuture.completedFuture(ActionResponse.accepted())))) {
            h.connect();
            h.manage(ManageParams.of(0, true, false));

            h.transport.deliver("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"reboot-1\"}");

            assertThat(h.responseTo("reboot-1")).hasRc(500);
        }
    }

    @Test
    void without_an_explicit_version_the_client_takes_the_transports_preferred_one() {
        FakeTransport mqtt5Only = new FakeTransport().speaking(MqttVersion.MQTT_5);
        try (ManagedClient client = ManagedClient.builder(Harness.options()).transport(mqtt5Only).build()) {
            client.connect();

            assertThat(mqtt5Only.nextConnect().options().version()).isEqualTo(MqttVersion.MQTT_5);
        } finally {
            mqtt5Only.close();
        }
    }

    @Test
    void a_version_the_transport_cannot_speak_is_refused_at_build_naming_what_it_speaks() {
        FakeTransport mqtt5Only = new FakeTransport().speaking(MqttVersion.MQTT_5);
        DeviceOptions v311 = DeviceOptions.builder().org("abc123").typeId("sensor").deviceId("dev-1")
                .token("s3cret-token").mqttVersion(MqttVersion.MQTT_3_1_1).build();
        try {
            assertThatThrownBy(() -> ManagedClient.builder(v311).transport(mqtt5Only).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("MQTT_3_1_1").hasMessageContaining("[MQTT_5]");
            assertThat(mqtt5Only.connectAttempts()).isZero();
        } finally {
            mqtt5Only.close();
        }
    }

    @Test
    void a_transient_connect_failure_names_its_cause_in_the_reconnect_event() {
        try (Harness h = Harness.virtual(b -> b.retryUntilFirstConnect(true))) {
            h.client.connect();

            h.transport.nextConnect().fail(new IOException("connection refused by 127.0.0.1:1"));
            h.settle();

            assertThat(h.events).anySatisfy(e -> {
                assertThat(e).isInstanceOf(ClientEvent.Lifecycle.class);
                assertThat(((ClientEvent.Lifecycle) e).event()).isInstanceOfSatisfying(
                        LifecycleEvent.ReconnectScheduled.class,
                        r -> assertThat(r.cause()).contains("connection refused by 127.0.0.1:1"));
            });
        }
    }
}
