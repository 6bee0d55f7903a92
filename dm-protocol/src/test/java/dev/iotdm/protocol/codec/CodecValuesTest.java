package dev.iotdm.protocol.codec;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;

import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Reboot;
import dev.iotdm.protocol.message.Unmanage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The codec's own value types: encoded output, decode results, normalisation metadata. */
class CodecValuesTest {

    @Test
    void encoded_output_is_compared_by_topic_and_bytes_and_never_shared() {
        Encoded a = Wire.CODEC.encode(new Reboot("c1"));
        Encoded b = Wire.CODEC.encode(new Reboot("c1"));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(Wire.CODEC.encode(new Reboot("c2")));
        assertThat(a).isNotEqualTo(Wire.CODEC.encode(new Unmanage("c1")));
        assertThat(a).isNotEqualTo("iotdm-1/mgmt/initiate/device/reboot");
        assertThat(a).hasToString("iotdm-1/mgmt/initiate/device/reboot {\"reqId\":\"c1\"}");
        assertThat(a.size()).isEqualTo(14);
        a.payload()[0] = 'X';
        assertThat(a.payloadText()).isEqualTo("{\"reqId\":\"c1\"}");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Normalisation.class)
    void every_normalisation_cites_the_protocol_section_that_documents_it(Normalisation n) {
        assertThat(n.section()).matches("§\\d+(\\.\\d+)?");
        assertThat(n.description()).isNotBlank();
    }

    @Test
    void the_codec_refuses_a_null_message_naming_it() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Wire.CODEC.encode(null))
                .isInstanceOf(NullPointerException.class).hasMessage("message");
    }

    @Test
    void a_decode_error_answers_only_requests_with_a_req_id() {
        DecodeError request = new DecodeError("t", Problem.WRONG_TYPE, "d", Optional.of("r"), true);
        DecodeError unknownTopic = new DecodeError("t", Problem.UNKNOWN_TOPIC, "d", Optional.of("r"), true);
        DecodeError response = new DecodeError("t", Problem.WRONG_TYPE, "d", Optional.of("r"), false);
        DecodeError anonymous = new DecodeError("t", Problem.WRONG_TYPE, "d", Optional.empty(), true);

        assertThat(request.answerWith()).hasValue(Rc.BAD_REQUEST);
        assertThat(unknownTopic.answerWith()).hasValue(Rc.NOT_FOUND);
        assertThat(response.answerWith()).isEmpty();
        assertThat(anonymous.answerWith()).isEmpty();
        assertThat(anonymous).hasToString("DecodeError[t: WRONG_TYPE: d]");
    }

    @Test
    void decoded_copies_its_normalisations() {
        java.util.ArrayList<Normalisation> list = new java.util.ArrayList<>(List.of(Normalisation.RC_AS_STRING));
        Decoded d = new Decoded(new Reboot("r"), list);
        list.clear();

        assertThat(d.normalisations()).containsExactly(Normalisation.RC_AS_STRING);
    }
}
