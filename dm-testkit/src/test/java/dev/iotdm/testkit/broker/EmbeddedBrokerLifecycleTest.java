package dev.iotdm.testkit.broker;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Misuse and start failures of {@link EmbeddedBroker}; only one test here starts HiveMQ. */
class EmbeddedBrokerLifecycleTest {

    @Test
    void start_on_a_taken_port_fails_naming_the_port() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             EmbeddedBroker broker = EmbeddedBroker.builder(new InMemoryDeviceRegistry())
                     .port(taken.getLocalPort()).build()) {

            assertThatThrownBy(broker::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(":" + taken.getLocalPort())
                    .hasMessageContaining("in use");
            assertThat(broker.isRunning()).isFalse();
        }
    }

    @Test
    void broker_that_never_started_has_no_port_and_cannot_send() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder(new InMemoryDeviceRegistry()).build()) {

            assertThatThrownBy(broker::port).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not been started");
            assertThatThrownBy(broker::tlsPort).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no TLS listener");
            assertThatThrownBy(() -> broker.sendToDevice("d:o:t:i", "iotdm-1/x", new byte[0], 1, Duration.ofSeconds(1))
                    .get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(IllegalStateException.class)
                    .hasStackTraceContaining("not running");
        }
    }

    @Test
    void builder_rejects_bad_options_naming_them() {
        InMemoryDeviceRegistry registry = new InMemoryDeviceRegistry();

        assertThatThrownBy(() -> EmbeddedBroker.builder(null)).hasMessageContaining("registry");
        assertThatThrownBy(() -> EmbeddedBroker.builder(registry).port(70000)).hasMessageContaining("port");
        assertThatThrownBy(() -> EmbeddedBroker.builder(registry).maxQueueSize(0)).hasMessageContaining("maxQueueSize");
        assertThatThrownBy(() -> EmbeddedBroker.builder(registry).allowApplication("d:o:t:i", "u", "p"))
                .hasMessageContaining("device client id");
        assertThatThrownBy(() -> EmbeddedBroker.builder(registry).allowApplication("a:o:app", "u", ""))
                .hasMessageContaining("password");
    }

    @Test
    void registry_checks_ids_and_tokens() {
        InMemoryDeviceRegistry registry = new InMemoryDeviceRegistry();

        String clientId = registry.register("org1", "type", "dev-1", "token");

        assertThat(clientId).isEqualTo("d:org1:type:dev-1");
        assertThat(registry.hasToken(clientId, "token")).isTrue();
        assertThat(registry.hasToken(clientId, "token2")).isFalse();
        assertThat(registry.hasToken("d:org1:type:other", "token")).isFalse();
        assertThat(registry.toString()).contains(clientId).doesNotContain("token]");
        assertThatThrownBy(() -> registry.register("org1", "type", "a/b", "t")).hasMessageContaining("deviceId");
        assertThatThrownBy(() -> registry.register("org1", "type", "d", "")).hasMessageContaining("token");
    }
}
