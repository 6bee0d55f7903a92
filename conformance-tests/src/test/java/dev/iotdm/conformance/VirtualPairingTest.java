package dev.iotdm.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.protocol.firmware.FirmwareInput;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.MetadataField;
import dev.iotdm.protocol.message.Parameter;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.session.DeviceStateStore;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.session.RequestOutcome;
import dev.iotdm.protocol.session.SessionConfig;
import dev.iotdm.protocol.session.SessionEvent;
import dev.iotdm.testkit.platform.DeviceView;
import dev.iotdm.testkit.platform.FirmwareImage;
import dev.iotdm.testkit.platform.OperationOutcome;
import dev.iotdm.testkit.platform.OperationToken;
import dev.iotdm.testkit.platform.PlatformEngine;
import dev.iotdm.testkit.platform.PlatformEvent;
import dev.iotdm.testkit.platform.PlatformFault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our device engine against the platform engine, on one virtual clock. */
class VirtualPairingTest {

    private final PlatformEngine platform = new PlatformEngine();
    private final List<PlatformEvent> seen = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private String clientId;
    private VirtualPairing pair;

    @BeforeEach
    void pair() {
        clientId = platform.register("org1", "sensor", "dev-1", "tok");
        SessionConfig config = SessionConfig.builder().deviceActionHandler(true).firmwareHandler(true)
                .customActionBundles(java.util.Set.of("acme-v1"))
                .reqIds(() -> "dev-" + ids.incrementAndGet()).build();
        pair = new VirtualPairing(Instant.parse("2026-11-25T00:00:00Z"), platform, clientId, config,
                DeviceStateStore.inMemory(), seen::add);
        pair.connect();
        pair.device().manage(pair.now(), ManageParams.of(3600, true, true, "acme-v1"));
        pair.pump();
    }

    private DeviceView view() {
        return platform.device(clientId).orElseThrow();
    }

    @Test
    void the_device_stays_managed_for_a_day_by_re_managing_before_each_lifetime_ends() {
        assertThat(view().managed()).isTrue();
        pair.advance(Duration.ofHours(24));
        assertThat(view().managed()).isTrue();
        assertThat(view().dormant()).isFalse();
        long manages = seen.stream().filter(e -> e instanceof PlatformEvent.MessageSeen m
                && m.entry().topic().equals("iotdevice-1/mgmt/manage")).count();
        assertThat(manages).isGreaterThanOrEqualTo(25);
    }

    @Test
    void an_offline_device_becomes_dormant_when_its_lifetime_runs_out() {
        pair.dropConnection();
        pair.advance(Duration.ofSeconds(3599));
        assertThat(view().dormant()).isFalse();
        pair.advance(Duration.ofSeconds(2));
        assertThat(view().dormant()).isTrue();
        assertThat(view().managed()).isFalse();
    }

    @Test
    void a_reboot_completes_when_the_device_manages_again_after_restarting() {
        OperationToken reboot = platform.reboot(pair.now(), clientId, Duration.ofMinutes(5));
        pair.advance(Duration.ofSeconds(1));
        List<SessionEvent.DeviceActionRequested> asked = pair.takeDeviceEvents(SessionEvent.DeviceActionRequested.class);
        assertThat(asked).hasSize(1);
        pair.device().respondDeviceAction(pair.now(), asked.get(0).reqId(), Rc.ACCEPTED, null);
        pair.pump();
        assertThat(pair.outcome(reboot)).isEmpty();
        pair.restartDevice();
        pair.advance(Duration.ofSeconds(30));
        pair.connect();
        pair.advance(Duration.ofSeconds(1));
        assertThat(pair.outcome(reboot)).get().isInstanceOf(OperationOutcome.Succeeded.class);
    }

    @Test
    void a_firmware_download_and_update_run_the_full_flows_between_the_two_engines() {
        FirmwareImage image = FirmwareImage.of("2.0", "fw", "https://example.com/fw.bin",
                "0123456789abcdef0123456789abcdef");
        OperationToken download = platform.firmwareDownload(pair.now(), clientId, java.util.Optional.of(image),
                Duration.ofMinutes(10));
        pair.advance(Duration.ofSeconds(1));
        assertThat(pair.takeDeviceEvents(SessionEvent.FirmwareDownloadRequested.class)).hasSize(1);
        pair.advance(Duration.ofMinutes(2)); // the download takes virtual minutes
        pair.device().reportFirmware(pair.now(), FirmwareInput.DOWNLOAD_SUCCEEDED, null);
        pair.advance(Duration.ofSeconds(1));
        assertThat(pair.outcome(download)).get().isInstanceOf(OperationOutcome.Succeeded.class);
        assertThat(view().firmware().flatMap(f -> f.state())).contains(FirmwareState.DOWNLOADED);

        OperationToken update = platform.firmwareUpdate(pair.now(), clientId, java.util.Optional.empty(),
                Duration.ofMinutes(10));
        pair.advance(Duration.ofSeconds(1));
        assertThat(pair.takeDeviceEvents(SessionEvent.FirmwareInstallRequested.class)).hasSize(1);
        pair.device().reportFirmware(pair.now(), FirmwareInput.INSTALL_SUCCEEDED, null);
        pair.advance(Duration.ofSeconds(1));
        assertThat(pair.outcome(update)).get().isInstanceOf(OperationOutcome.Succeeded.class);
        assertThat(view().firmware().flatMap(f -> f.state())).contains(FirmwareState.IDLE);
        assertThat(pair.device().deviceInfo().fwVersion()).contains("2.0");
    }

    @Test
    void a_custom_action_and_an_attribute_update_complete_with_their_answers() {
        OperationToken action = platform.customAction(pair.now(), clientId, "acme-v1", "install",
                List.of(new Parameter("pluginId", new JsonString("pA"))), Duration.ofMinutes(1));
        pair.advance(Duration.ofSeconds(1));
        SessionEvent.CustomActionRequested asked = pair.takeDeviceEvents(SessionEvent.CustomActionRequested.class).get(0);
        assertThat(asked.action().parameter("pluginId")).isPresent();
        pair.device().respondCustomAction(pair.now(), asked.action().reqId(), Rc.OK, null);
        pair.pump();
        assertThat(pair.outcome(action)).get().isInstanceOf(OperationOutcome.Succeeded.class);

        OperationToken update = platform.deviceUpdate(pair.now(), clientId,
                List.of(new MetadataField(JsonObject.builder().put("owner", "ops").build())), Duration.ofMinutes(1));
        pair.advance(Duration.ofSeconds(1));
        assertThat(pair.outcome(update)).get().isInstanceOf(OperationOutcome.Succeeded.class);
        assertThat(pair.takeDeviceEvents(SessionEvent.AttributesUpdated.class)).hasSize(1);
    }

    @Test
    void a_request_the_platform_never_answers_times_out_in_virtual_time() {
        platform.addFault(new PlatformFault.NeverAnswer(PlatformFault.Target.anyDevice(), 1));
        long token = pair.device().updateLocation(pair.now(), Location.of(1, 2));
        pair.pump();
        pair.advance(Duration.ofSeconds(29));
        assertThat(completion(token)).isEmpty();
        pair.advance(Duration.ofSeconds(2));
        assertThat(completion(token)).get().isInstanceOf(RequestOutcome.TimedOut.class);
    }

    private java.util.Optional<RequestOutcome> completion(long token) {
        return pair.deviceEvents().stream().filter(e -> e instanceof SessionEvent.RequestCompleted c && c.token() == token)
                .map(e -> ((SessionEvent.RequestCompleted) e).outcome()).findFirst();
    }
}
