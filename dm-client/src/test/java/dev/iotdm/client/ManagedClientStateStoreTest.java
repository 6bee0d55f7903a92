package dev.iotdm.client;

import dev.iotdm.client.store.FileStateStore;
import static dev.iotdm.client.Harness.MANAGE;
import static dev.iotdm.client.testing.ClientAssertions.assertThat;

import dev.iotdm.protocol.session.DeviceStateStore;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.client.testing.FakeTransport.Published;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ManagedClientStateStoreTest {

    private static final String REBOOT = "iotdm-1/mgmt/initiate/device/reboot";

    @TempDir
    Path dir;

    @Test
    void after_a_restart_the_client_remanages_at_connect_and_answers_a_redelivered_reboot_without_rebooting_again() {
        Path state = dir.resolve("device-state.json");
        AtomicInteger rebootsBefore = new AtomicInteger();
        AtomicInteger rebootsAfter = new AtomicInteger();

        Published firstManage;
        String firstAnswer;
        try (Harness before = Harness.virtual(b -> b.stateStore(new FileStateStore(state))
                .deviceActionHandler((kind, reqId) -> {
                    rebootsBefore.incrementAndGet();
                    return CompletableFuture.completedFuture(ActionResponse.accepted());
                }))) {
            before.connect();
            firstManage = before.manage(ManageParams.of(3600, true, false));
            before.transport.deliver(REBOOT, "{\"reqId\":\"reboot-1\"}");
            firstAnswer = before.responseTo("reboot-1").text();
            assertThat(rebootsBefore).hasValue(1);
        } // the process ends: client and transport are gone, only the file remains

        try (Harness after = Harness.virtual(b -> b.stateStore(new FileStateStore(state))
                .deviceActionHandler((kind, reqId) -> {
                    rebootsAfter.incrementAndGet();
                    return CompletableFuture.completedFuture(ActionResponse.accepted());
                }))) {
            after.connect();
            Published remanage = after.transport.nextPublish(MANAGE);
            assertThat(remanage.at("d.lifetime")).isEqualTo(firstManage.at("d.lifetime"));
            assertThat(remanage.at("d.supports")).isEqualTo(firstManage.at("d.supports"));
            after.transport.respond(remanage, 200);

            after.transport.deliver(REBOOT, "{\"reqId\":\"reboot-1\"}");
            assertThat(after.responseTo("reboot-1").text()).isEqualTo(firstAnswer);
            after.settle();
            assertThat(rebootsAfter).hasValue(0);
        }
    }
}
