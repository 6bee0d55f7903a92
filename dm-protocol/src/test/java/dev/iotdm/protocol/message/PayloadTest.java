package dev.iotdm.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonValue;
import org.junit.jupiter.api.Test;

/** Event and command payloads: immutable bytes compared by content. */
class PayloadTest {

    @Test
    void payloads_with_the_same_bytes_are_equal() {
        Payload a = Payload.of(new byte[] {1, 2, 3});
        Payload b = Payload.of(new byte[] {1, 2, 3});

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(Payload.of(new byte[] {1, 2}));
        assertThat(a).isNotEqualTo("not a payload");
        assertThat(a).hasToString("Payload[3 bytes]");
        assertThat(a.size()).isEqualTo(3);
    }

    @Test
    void a_payload_cannot_be_changed_through_the_arrays_it_was_given_or_gives() {
        byte[] in = {1, 2, 3};
        Payload p = Payload.of(in);
        in[0] = 9;
        p.bytes()[1] = 9;

        assertThat(p.bytes()).containsExactly(1, 2, 3);
    }

    @Test
    void text_and_json_views() {
        assertThat(Payload.ofUtf8("grüezi").asUtf8()).isEqualTo("grüezi");
        assertThat(Payload.ofUtf8("grüezi").size()).isEqualTo(7);
        assertThat(Payload.ofJson(JsonObject.builder().put("a", 1).build()).asUtf8()).isEqualTo("{\"a\":1}");
        assertThat(Payload.ofUtf8("{\"a\":1}").asJson()).isEqualTo(JsonValue.parse("{\"a\":1}"));
        assertThatThrownBy(() -> Payload.ofUtf8("{").asJson()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Payload.of(null)).isInstanceOf(NullPointerException.class).hasMessage("bytes");
    }
}
