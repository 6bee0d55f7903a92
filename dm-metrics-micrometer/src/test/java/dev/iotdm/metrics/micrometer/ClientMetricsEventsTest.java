package dev.iotdm.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.client.ClientEvent;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.session.RequestOutcome;
import dev.iotdm.protocol.session.SessionEvent;
import dev.iotdm.protocol.supervisor.LifecycleEvent;
import dev.iotdm.transport.NotConnectedException;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each kind of client event does to the meters (events built by hand: a unit test). */
class ClientMetricsEventsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClientMetrics metrics = new ClientMetrics(registry, Tags.of("device", "d1"));

    @Test
    void only_connections_after_the_first_count_as_reconnects() {
        metrics.onEvent(connected());
        metrics.onEvent(new ClientEvent.Lifecycle(new LifecycleEvent.Disconnected("network down")));
        metrics.onEvent(connected());

        assertThat(registry.get(ClientMetrics.RECONNECTS).counter().count()).isEqualTo(1);
    }

    @Test
    void the_automatic_manage_sets_managed_and_a_successful_unmanage_clears_it() {
        metrics.onEvent(new ClientEvent.Session(new SessionEvent.AutoManageSucceeded("connected")));
        assertThat(registry.get(ClientMetrics.MANAGED).gauge().value()).isEqualTo(1);

        metrics.onEvent(answered("unmanage", Rc.OK));
        assertThat(registry.get(ClientMetrics.MANAGED).gauge().value()).isZero();
    }

    @Test
    void a_refused_manage_leaves_the_device_unmanaged_and_is_counted_with_its_rc() {
        metrics.onEvent(answered("manage", Rc.BAD_REQUEST));

        assertThat(registry.get(ClientMetrics.MANAGED).gauge().value()).isZero();
        assertThat(registry.get(ClientMetrics.REQUESTS).tags("type", "manage", "rc", "400").timer().count())
                .isEqualTo(1);
    }

    @Test
    void a_failed_event_publish_is_tagged_failed_with_no_rc() {
        metrics.onEvent(new ClientEvent.RequestCompleted("event temp",
                new RequestOutcome.Failed(new NotConnectedException("not connected")), Duration.ofMillis(3)));

        assertThat(registry.get(ClientMetrics.REQUESTS).tags("type", "event", "outcome", "failed", "rc", "none")
                .timer().count()).isEqualTo(1);
    }

    @Test
    void a_full_outbound_queue_is_counted() {
        metrics.onEvent(new ClientEvent.OutboundQueueFull("iot-2/evt/temp/fmt/json", 16));

        assertThat(registry.get(ClientMetrics.QUEUE_FULL).counter().count()).isEqualTo(1);
    }

    @Test
    void close_removes_every_meter_it_registered_and_only_those() {
        registry.counter("someone.else");
        metrics.onEvent(answered("manage", Rc.OK));

        metrics.close();

        assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).containsExactly("someone.else");
    }

    private static ClientEvent connected() {
        return new ClientEvent.Lifecycle(new LifecycleEvent.Connected(false));
    }

    private static ClientEvent answered(String request, Rc rc) {
        PlatformResponse response = new PlatformResponse(rc, Optional.of("r1"), Optional.empty(), Optional.empty());
        return new ClientEvent.RequestCompleted(request, new RequestOutcome.Answered(response), Duration.ofMillis(5));
    }
}
