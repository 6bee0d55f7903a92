package dev.iotdm.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A wrapper built on the forwarding base hides nothing of the wrapped transport, defaults included. */
class ForwardingMqttTransportTest {

    /** Answers every call with something no SPI default returns, and records the calls. */
    private static final class Mqtt5Only implements MqttTransport {
        final List<String> calls = new ArrayList<>();

        @Override
        public CompletableFuture<ConnectResult> connect(MqttConnectOptions options, TransportListener listener) {
            calls.add("connect");
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<List<SubscribeResult>> subscribe(List<Subscription> subscriptions) {
            calls.add("subscribe");
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos) {
            calls.add("publish " + topic);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            calls.add("disconnect");
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public Set<MqttVersion> supportedVersions() {
            return EnumSet.of(MqttVersion.MQTT_5);
        }

        @Override
        public int inFlightCapacity() {
            return 7;
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    @Test
    void every_call_reaches_the_wrapped_transport_and_only_the_overridden_one_changes() {
        Mqtt5Only wrapped = new Mqtt5Only();
        List<String> seen = new ArrayList<>();
        MqttTransport wrapper = new ForwardingMqttTransport(wrapped) {
            @Override
            public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos) {
                seen.add(topic);
                return super.publish(topic, payload, qos);
            }
        };

        assertThat(wrapper.supportedVersions()).containsExactly(MqttVersion.MQTT_5);
        assertThat(wrapper.preferredVersion()).isEqualTo(MqttVersion.MQTT_5);
        assertThat(wrapper.inFlightCapacity()).isEqualTo(7);
        assertThat(wrapper.isConnected()).isTrue();
        wrapper.connect(null, null);
        wrapper.subscribe(List.of());
        wrapper.publish("iotdevice-1/notify", new byte[0], Qos.AT_LEAST_ONCE);
        wrapper.disconnect();
        wrapper.close();

        assertThat(wrapped.calls).containsExactly("connect", "subscribe", "publish iotdevice-1/notify", "disconnect",
                "close");
        assertThat(seen).containsExactly("iotdevice-1/notify");
    }
}
