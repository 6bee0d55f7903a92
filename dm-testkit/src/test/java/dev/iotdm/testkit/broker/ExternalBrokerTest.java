package dev.iotdm.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.client.testing.FakeTransport;
import dev.iotdm.transport.MqttConnectOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The platform as an ordinary MQTT client of a plain broker, through any transport. */
class ExternalBrokerTest {

    private static final String DEVICE = "d:org1:sensor:dev-1";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FakeTransport transport = new FakeTransport().autoAcknowledgePublishes(true);
    private final LinkedBlockingQueue<DevicePublish> seen = new LinkedBlockingQueue<>();

    private ExternalBroker connected() throws Exception {
        MqttConnectOptions options = MqttConnectOptions.builder().clientId("a:org1:platform").host("127.0.0.1")
                .port(1883).build();
        CompletableFuture<ExternalBroker> broker = CompletableFuture.supplyAsync(
                () -> ExternalBroker.connect(transport, options, DEVICE, seen::add, WAIT));
        transport.nextConnect().accept(false);
        var subscribe = transport.nextSubscribe();
        assertThat(subscribe.filters()).containsExactlyElementsOf(ExternalBroker.PLATFORM_SUBSCRIPTIONS);
        subscribe.grantAll();
        return broker.get(5, TimeUnit.SECONDS);
    }

    @Test
    void the_devices_publishes_reach_the_platform_as_that_device() throws Exception {
        connected();
        transport.deliver("iotdevice-1/mgmt/manage", "{\"reqId\":\"m1\"}");
        DevicePublish p = seen.poll(5, TimeUnit.SECONDS);
        assertThat(p).isNotNull();
        assertThat(p.clientId()).isEqualTo(DEVICE);
        assertThat(new String(p.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"reqId\":\"m1\"}");
    }

    @Test
    void the_platform_publishes_to_the_device_topics_and_serves_only_that_device() throws Exception {
        ExternalBroker broker = connected();
        broker.sendToDevice(DEVICE, "iotdm-1/response", "{\"rc\":200}".getBytes(StandardCharsets.UTF_8), 1, WAIT)
                .get(5, TimeUnit.SECONDS);
        assertThat(transport.nextPublish("iotdm-1/response")).isNotNull();
        assertThatThrownBy(() -> broker.sendToDevice("d:org1:sensor:other", "iotdm-1/response", new byte[0], 1, WAIT)
                .get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_refused_subscription_fails_the_connect_with_the_filter_named() {
        MqttConnectOptions options = MqttConnectOptions.builder().clientId("a:org1:platform").host("127.0.0.1")
                .port(1883).build();
        CompletableFuture<ExternalBroker> broker = CompletableFuture.supplyAsync(
                () -> ExternalBroker.connect(transport, options, DEVICE, seen::add, WAIT));
        transport.nextConnect().accept(false);
        transport.nextSubscribe().refuse("iotdevice-1/#");
        assertThatThrownBy(() -> broker.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("iotdevice-1/#");
        assertThat(transport.isClosed()).isTrue();
    }
}
