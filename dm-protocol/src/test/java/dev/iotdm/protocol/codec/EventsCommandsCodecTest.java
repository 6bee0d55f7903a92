package dev.iotdm.protocol.codec;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.codec.Wire.decode;

import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.Command;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.protocol.message.Payload;
import dev.iotdm.protocol.topic.CommandTopic;
import dev.iotdm.protocol.topic.EventTopic;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Events and commands carry opaque payloads, JSON or not (protocol.md §10.1, §10.2). */
class EventsCommandsCodecTest {

    @Test
    void json_event_is_published_on_its_event_topic_with_the_callers_json_verbatim() {
        Event event = Event.json("status", JsonObject.builder().put("temp", 21).put("ok", true).build());

        Encoded e = Wire.CODEC.encode(event);

        assertThat(e.topic()).isEqualTo("iot-2/evt/status/fmt/json");
        assertThat(e.payloadText()).isEqualTo("{\"temp\":21,\"ok\":true}");
        assertThat(event.eventId()).isEqualTo("status");
        assertThat(event.format()).isEqualTo("json");
        assertThat(event.requestId()).isEmpty();
    }

    @Test
    void legacy_iotf_event_shape_is_kept_byte_for_byte() {
        String wire = """
                {"d": {"temp": 21}, "ts": "2018-05-01T10:15:30Z"}""";

        assertThat(decode("iot-2/evt/status/fmt/json", wire)).decodesTo(new Event(new EventTopic("status", "json"),
                Payload.ofUtf8(wire))).withoutNormalisations();
    }

    @Test
    void event_of_any_format_and_any_bytes_decodes_without_parsing() {
        byte[] bytes = {(byte) 0xff, 0, 1, '{'};

        assertThat(decode("iot-2/evt/raw/fmt/bin", bytes))
                .decodesTo(Event.of("raw", "bin", bytes))
                .withoutNormalisations();
        assertThat(Wire.CODEC.encode(Event.of("raw", "bin", bytes)).payload()).containsExactly(bytes);
    }

    @Test
    void command_of_section_10_2_decodes_with_its_id_and_format() {
        String wire = """
                {"interval":30}""";

        assertThat(decode("iot-2/cmd/setInterval/fmt/json", wire))
                .decodesTo(new Command(new CommandTopic("setInterval", "json"), Payload.ofUtf8(wire)))
                .withoutNormalisations();
        Command c = Command.json("setInterval", JsonObject.builder().put("interval", 30).build());
        assertThat(Wire.CODEC.encode(c).topic()).isEqualTo("iot-2/cmd/setInterval/fmt/json");
        assertThat(Wire.CODEC.encode(c).payloadText()).isEqualTo(wire);
        assertThat(c.commandId()).isEqualTo("setInterval");
        assertThat(c.format()).isEqualTo("json");
        assertThat(c.requestId()).isEmpty();
    }

    @Test
    void text_command_is_opaque_bytes() {
        byte[] text = "reboot now".getBytes(StandardCharsets.UTF_8);

        assertThat(decode("iot-2/cmd/say/fmt/txt", text)).decodesTo(Command.of("say", "txt", text));
        assertThat(Command.of("say", "txt", text).payload().asUtf8()).isEqualTo("reboot now");
    }
}
