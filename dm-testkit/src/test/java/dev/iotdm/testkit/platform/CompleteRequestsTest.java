package dev.iotdm.testkit.platform;

import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.testkit.platform.PlatformEvent.BrokerRefusal;
import dev.iotdm.testkit.broker.PublishRefusal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.iotdm.testkit.platform.EngineHarness.TIMEOUT;
import static dev.iotdm.testkit.platform.EngineHarness.reqId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Every {@code mgmt.firmware} value the platform writes carries the seven keys of protocol.md §6.2
 * step 1 (old SDKs read each one unconditionally, §14), and the broker's refusals become platform
 * events; sans-I/O, on the engine.
 */
class CompleteRequestsTest {

    private static final String[] SEVEN_KEYS = {"name", "version", "uri", "verifier", "state", "updateStatus",
        "updatedDateTime"};

    private final EngineHarness h = new EngineHarness();
    private final String device = h.managed("dev1");

    @Test
    void a_download_with_only_a_uri_sends_all_seven_keys_with_the_missing_ones_empty() {
        h.started(h.engine.firmwareDownload(h.now, device,
                Optional.of(FirmwareImage.of(null, null, "https://h/fw.bin", null)), TIMEOUT));

        JsonObject value = firmwareValue(h.take(device, "iotdm-1/device/update"));
        assertThat(value.members().keySet()).containsExactlyInAnyOrder(SEVEN_KEYS);
        assertThat(value.toJson()).contains("\"name\":\"\"").contains("\"version\":\"\"").contains("\"verifier\":\"\"")
                .contains("\"uri\":\"https://h/fw.bin\"").contains("\"state\":0").contains("\"updateStatus\":0");
    }

    @Test
    void partial_firmware_writes_merge_into_the_record_and_each_sends_all_seven_keys() {
        h.started(h.engine.deviceUpdate(h.now, device,
                List.of(new FirmwareField(FirmwareInfo.ofImage(null, "core", "https://h/a.bin", null))), TIMEOUT));
        JsonObject first = h.take(device, "iotdm-1/device/update");
        assertThat(firmwareValue(first).members().keySet()).containsExactlyInAnyOrder(SEVEN_KEYS);
        h.answer(device, reqId(first), 204, "");

        h.started(h.engine.deviceUpdate(h.now, device,
                List.of(new FirmwareField(FirmwareInfo.ofImage("2.0", null, null, null))), TIMEOUT));
        JsonObject secondUpdate = h.take(device, "iotdm-1/device/update");
        JsonObject second = firmwareValue(secondUpdate);
        assertThat(second.members().keySet()).containsExactlyInAnyOrder(SEVEN_KEYS);
        assertThat(second.toJson()).contains("\"name\":\"core\"").contains("\"uri\":\"https://h/a.bin\"")
                .contains("\"version\":\"2.0\"");
        h.answer(device, reqId(secondUpdate), 204, "");

        h.started(h.engine.firmwareDownload(h.now, device,
                Optional.of(FirmwareImage.of(null, null, "https://h/b.bin", null)), TIMEOUT));
        JsonObject third = firmwareValue(h.take(device, "iotdm-1/device/update"));
        assertThat(third.toJson()).as("the name and version of the record, the operator's uri")
                .contains("\"name\":\"core\"").contains("\"version\":\"2.0\"").contains("\"uri\":\"https://h/b.bin\"");
    }

    @Test
    void broker_refusals_become_platform_events_with_their_reason() {
        h.engine.brokerRefused(h.now, "d:org1:t:x", BrokerRefusal.Kind.CONNECT, "device d:org1:t:x is not registered");
        h.engine.payloadRefused(h.now, device, "iotdm-1/response", PublishRefusal.FORBIDDEN_TOPIC);
        h.collect();

        assertThat(h.events(BrokerRefusal.class)).extracting(BrokerRefusal::kind, BrokerRefusal::detail)
                .containsExactly(tuple(BrokerRefusal.Kind.CONNECT,
                                "device d:org1:t:x is not registered"),
                        tuple(BrokerRefusal.Kind.FORBIDDEN_PUBLISH, "iotdm-1/response"));
    }

    @Test
    void the_registry_says_why_a_connect_is_refused_without_the_token() {
        assertThat(h.engine.whyRefused(device, "use-token-auth", "not-the-token"))
                .contains("wrong token for device " + device);
        assertThat(h.engine.whyRefused("d:org1:t:nobody", "use-token-auth", "x"))
                .contains("device d:org1:t:nobody is not registered");
        assertThat(h.engine.whyRefused(device, "someone", "x")).hasValueSatisfying(r -> assertThat(r)
                .startsWith("the user name must be use-token-auth"));
        assertThat(h.engine.whyRefused("d:quickstart:t:x", "use-token-auth", "x")).hasValueSatisfying(r ->
                assertThat(r).contains("quickstart organisation (protocol.md §1.8)"));
    }

    @Test
    void a_quickstart_device_cannot_be_registered() {
        assertThatThrownBy(() -> h.engine.register("quickstart", "t", "d", "token"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("'quickstart' cannot be used");
    }

    private static JsonObject firmwareValue(JsonObject update) {
        JsonArray fields = (JsonArray) ((JsonObject) update.get("d").orElseThrow()).get("fields").orElseThrow();
        JsonValue value = ((JsonObject) fields.elements().get(0)).get("value").orElseThrow();
        return (JsonObject) value;
    }
}
