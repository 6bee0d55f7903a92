package dev.iotdm.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Notify;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CodecSmokeTest {

    private final Codec codec = Codec.standard();

    private DecodeResult decode(String topic, String json) {
        return codec.decode(topic, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void manage_example_decodes_and_reencodes_to_the_same_meaning() {
        DecodeResult r = decode("iotdevice-1/mgmt/manage", """
                { "d": { "lifetime": 7200,
                    "supports": { "deviceActions": true, "firmwareActions": true, "acme-plugins-v1": true },
                    "deviceInfo": { "serialNumber": "SN-0042", "manufacturer": "Acme", "model": "T1000",
                                    "deviceClass": "sensor", "description": "yard sensor", "fwVersion": "1.0.3",
                                    "hwVersion": "rev B", "descriptiveLocation": "building 7" },
                    "metadata": { "owner": "ops" } },
                  "reqId": "0b7c2f0e-4d1c-4a54-9d43-1f1f4a0c9a11" }
                """);
        assertThat(r).isInstanceOf(Decoded.class);
        Manage m = (Manage) ((Decoded) r).message();
        assertThat(m.lifetime()).hasValue(7200);
        assertThat(m.supports().orElseThrow().bundleIds()).containsExactly("acme-plugins-v1");
        Encoded e = codec.encode(m);
        assertThat(codec.decode(e.topic(), e.payload())).isEqualTo(new Decoded(m, java.util.List.of()));
    }

    @Test
    void notify_single_field_is_normalised() {
        DecodeResult r = decode("iotdevice-1/notify", """
                { "d": { "field": "deviceInfo.fwVersion", "value": "1.0.4" }, "reqId": "x" }""");
        assertThat(r).isInstanceOf(Decoded.class);
        assertThat(((Decoded) r).normalisations()).containsExactly(Normalisation.NOTIFY_SINGLE_FIELD);
        assertThat(codec.encode((Notify) ((Decoded) r).message()).payloadText()).isEqualTo(
                "{\"d\":{\"fields\":[{\"field\":\"deviceInfo.fwVersion\",\"value\":\"1.0.4\"}]},\"reqId\":\"x\"}");
    }

    @Test
    void bad_lifetime_keeps_the_req_id() {
        DecodeResult r = decode("iotdevice-1/mgmt/manage", "{\"d\":{\"lifetime\":5},\"reqId\":\"abc\"}");
        assertThat(r).isInstanceOf(DecodeError.class);
        DecodeError e = (DecodeError) r;
        assertThat(e.problem()).isEqualTo(Problem.OUT_OF_RANGE);
        assertThat(e.detail()).isEqualTo("d.lifetime: must be 0 or at least 3600 seconds, got 5");
        assertThat(e.reqId()).hasValue("abc");
        assertThat(e.answerWith()).hasValue(dev.iotdm.protocol.message.Rc.BAD_REQUEST);
    }

    @Test
    void value_before_field_is_read_by_name() {
        DecodeResult r = decode("iotdm-1/device/update", """
                {"reqId":"r1","d":{"fields":[{"value":{"state":0,"updatedDateTime":""},"field":"mgmt.firmware"}]}}""");
        assertThat(r).isInstanceOf(Decoded.class);
        // "" is the platform's documented initial updatedDateTime in a device/update (§4.2): canonical there.
        assertThat(((Decoded) r).normalisations()).isEmpty();
    }

    @Test
    void deep_error_path_is_named() {
        DecodeResult r = decode("iotdevice-1/notify", """
                {"d":{"fields":[{"field":"mgmt.firmware","value":{"state":7}}]}}""");
        assertThat(((DecodeError) r).detail()).isEqualTo("d.fields[0].value.state: 7 is outside [0, 2]");
    }
}
