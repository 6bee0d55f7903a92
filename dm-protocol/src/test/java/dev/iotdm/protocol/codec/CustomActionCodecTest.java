package dev.iotdm.protocol.codec;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.codec.Wire.compact;
import static dev.iotdm.protocol.codec.Wire.decode;
import static dev.iotdm.protocol.codec.Wire.encode;

import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.CustomAction;
import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.Parameter;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.topic.CustomActionTopic;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden tests of device-management extension actions (protocol.md §4.9, §8). */
class CustomActionCodecTest {

    private static final String INSTALL_PLUGIN = "iotdm-1/mgmt/custom/acme-plugins-v1/installPlugin";
    private static final CustomActionTopic INSTALL_PLUGIN_TOPIC =
            new CustomActionTopic("acme-plugins-v1", "installPlugin");

    @Test
    void custom_action_example_of_section_8_3_carries_its_parameters_in_order() {
        String wire = """
                {"reqId":"e7a1…","d":{"fields":[{"field":"pluginId","value":"pA"},{"field":"pluginURI","value":"http://example.com/pA.zip"}]}}""";
        CustomAction expected = new CustomAction("e7a1…", INSTALL_PLUGIN_TOPIC, List.of(
                new Parameter("pluginId", new JsonString("pA")),
                new Parameter("pluginURI", new JsonString("http://example.com/pA.zip"))));

        assertThat(decode(INSTALL_PLUGIN, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(wire);
        assertThat(Wire.CODEC.encode(expected).topic()).isEqualTo(INSTALL_PLUGIN);
        assertThat(expected.bundleId()).isEqualTo("acme-plugins-v1");
        assertThat(expected.actionId()).isEqualTo("installPlugin");
        assertThat(expected.parameter("pluginURI")).hasValue(expected.parameters().get(1));
        assertThat(expected.parameter("absent")).isEmpty();
    }

    @Test
    void custom_action_without_parameters_has_no_d() {
        String wire = """
                {"reqId":"e7a2"}""";
        CustomAction expected = new CustomAction("e7a2", INSTALL_PLUGIN_TOPIC, List.of());

        assertThat(decode(INSTALL_PLUGIN, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(wire);
    }

    @Test
    void custom_action_parameter_values_may_be_any_json() {
        String wire = """
                {
                  "reqId": "e7a3",
                  "d": {
                    "fields": [
                      { "field": "retries", "value": 3 },
                      { "field": "options", "value": { "force": true, "mirrors": [ "a", "b" ] } },
                      { "field": "note", "value": null }
                    ]
                  }
                }""";
        CustomAction expected = new CustomAction("e7a3", INSTALL_PLUGIN_TOPIC, List.of(
                new Parameter("retries", JsonValue.parse("3")),
                new Parameter("options", JsonValue.parse("{\"force\":true,\"mirrors\":[\"a\",\"b\"]}")),
                new Parameter("note", JsonValue.parse("null"))));

        assertThat(decode(INSTALL_PLUGIN, wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo(compact(wire));
    }

    @Test
    void custom_action_response_of_section_8_4_is_200_when_done() {
        String wire = """
                { "rc": 200, "reqId": "e7a1…" }""";

        assertThat(decode("iotdevice-1/response", wire)).decodesTo(DeviceResponse.of("e7a1…", Rc.OK))
                .withoutNormalisations();
        assertThat(encode(DeviceResponse.of("e7a1…", Rc.OK))).isEqualTo(compact(wire));
    }

    @Test
    void unknown_custom_action_answers_501_as_the_python_clients_did() {
        String wire = """
                {"rc": 501, "message": "Operation not implemented", "reqId": "e7a4"}""";
        DeviceResponse expected = DeviceResponse.of("e7a4", Rc.NOT_IMPLEMENTED, "Operation not implemented");

        assertThat(decode("iotdevice-1/response", wire)).decodesTo(expected).withoutNormalisations();
        assertThat(encode(expected)).isEqualTo("{\"rc\":501,\"reqId\":\"e7a4\",\"message\":\"Operation not implemented\"}");
    }
}
