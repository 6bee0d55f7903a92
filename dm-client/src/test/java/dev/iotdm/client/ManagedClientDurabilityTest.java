package dev.iotdm.client;

import static dev.iotdm.client.testing.ClientAssertions.assertThat;

import dev.iotdm.protocol.session.DeviceState;
import dev.iotdm.protocol.session.DeviceStateStore;
import dev.iotdm.protocol.session.ManageParams;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The driver performs each save before the actions after it, and reports a save that fails. */
@Timeout(30)
class ManagedClientDurabilityTest {

    private static final String REBOOT = "iotdm-1/mgmt/initiate/device/reboot";

    /** Records, at each durable save that remembers reboot-1, how many publishes the transport had seen. */
    private static final class Recording implements DeviceStateStore {
        final List<Integer> publishesAtDurableSave = new CopyOnWriteArrayList<>();
        Harness harness;

        @Override
        public Optional<DeviceState> load() {
            return Optional.empty();
        }

        @Override
        public void save(DeviceState state) {
            save(state, true);
        }

        @Override
        public void save(DeviceState state, boolean durable) {
            if (durable && state.answered().stream().anyMatch(a -> a.reqId().equals("reboot-1"))) {
                publishesAtDurableSave.add(harness.transport.publishes().size());
            }
        }
    }

    @Test
    void a_reboot_answer_is_saved_durably_before_the_transport_sees_it() {
        Recording store = new Recording();
        try (Harness h = Harness.virtual(b -> b.stateStore(store)
                .deviceActionHandler((kind, reqId) -> CompletableFuture.completedFuture(ActionResponse.accepted())))) {
            store.harness = h;
            h.connect();
            h.manage(ManageParams.of(3600, true, false));
            int before = h.transport.publishes().size();

            h.transport.deliver(REBOOT, "{\"reqId\":\"reboot-1\"}");
            h.responseTo("reboot-1");

            assertThat(store.publishesAtDurableSave).first().isEqualTo(before);
        }
    }

    @Test
    void a_save_that_fails_is_reported_and_the_answer_still_goes_out() {
        DeviceStateStore broken = new DeviceStateStore() {
            @Override
            public Optional<DeviceState> load() {
                return Optional.empty();
            }

            @Override
            public void save(DeviceState state) {
                throw new dev.iotdm.protocol.session.StateStoreException("disk full", null);
            }
        };
        try (Harness h = Harness.virtual(b -> b.stateStore(broken)
                .deviceActionHandler((kind, reqId) -> CompletableFuture.completedFuture(ActionResponse.accepted())))) {
            h.connect();
            h.manage(ManageParams.of(3600, true, false));

            h.transport.deliver(REBOOT, "{\"reqId\":\"reboot-1\"}");
            h.responseTo("reboot-1");
            h.settle();

            assertThat(h.events).anySatisfy(e -> assertThat(e).isEqualTo(new ClientEvent.StateNotSaved("disk full")));
        }
    }
}
