package dev.iotdm.testkit.platform;

import dev.iotdm.testkit.broker.DevicePublish;
import dev.iotdm.testkit.broker.PublishRefusal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The facade driven by a transport other than the broker, as the in-memory transport will do. */
class FakePlatformWithoutBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<String> link = new LinkedBlockingQueue<>();
    private final FakePlatform platform = FakePlatform.builder().withoutBroker().build();

    @AfterEach
    void close() {
        platform.close();
    }

    private void attachRecordingLink() {
        platform.attach(new DeviceLink() {
            @Override
            public CompletableFuture<Void> send(String clientId, String topic, byte[] payload, int qos,
                    Duration timeout) {
                link.add("send " + clientId + " " + topic + " q" + qos + " "
                        + new String(payload, StandardCharsets.UTF_8));
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void disconnect(String clientId) {
                link.add("disconnect " + clientId);
            }
        });
    }

    private String next() throws InterruptedException {
        String item = link.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(item).as("an action on the link within " + WAIT).isNotNull();
        return item;
    }

    @Test
    void a_transport_feeds_the_listeners_and_receives_the_answers_through_its_link() throws Exception {
        attachRecordingLink();
        String device = platform.registerDevice("org1", "sensor", "mem1", "secret");
        assertThat(platform.deviceRegistry().hasToken(device, "secret")).isTrue();

        platform.connectionListener().onConnected(device);
        platform.publishListener().onPublish(new DevicePublish(device, "iotdevice-1/mgmt/manage",
                "{\"reqId\":\"m1\"}".getBytes(StandardCharsets.UTF_8), 1, false));

        assertThat(next()).isEqualTo("send " + device + " iotdm-1/response q1 {\"rc\":200,\"reqId\":\"m1\"}");
        assertThat(platform.awaitManaged(device, WAIT).connected()).isTrue();
        assertThatThrownBy(platform::broker).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void an_oversized_payload_makes_the_platform_disconnect_the_device() throws Exception {
        attachRecordingLink();
        String device = platform.registerDevice("org1", "sensor", "mem2", "secret");

        platform.publishListener().onRefused(new DevicePublish(device, "iotdevice-1/add/diag/log", new byte[0], 1,
                false), PublishRefusal.PAYLOAD_TOO_LARGE);

        assertThat(next()).isEqualTo("disconnect " + device);
    }

    @Test
    void bad_arguments_fail_fast_on_the_callers_thread() {
        assertThatThrownBy(() -> platform.registerDevice("org1", "sensor", "bad id", "secret"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deviceId");
        assertThatThrownBy(() -> platform.reboot("d:org1:sensor:nobody"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nobody");
        assertThatThrownBy(() -> platform.device("d:org1:sensor:nobody"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
