package dev.iotdm.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdm.protocol.message.Reboot;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

/** The encoded payload is handed out without a second copy, and nobody can write into it. */
class EncodedTest {

    private final Encoded encoded = Codec.standard().encode(new Reboot("r1"));

    @Test
    void the_view_holds_exactly_the_payload_bytes() {
        ByteBuffer view = encoded.payloadView();

        byte[] read = new byte[view.remaining()];
        view.get(read);
        assertThat(read).isEqualTo(encoded.payload()).asString().isEqualTo("{\"reqId\":\"r1\"}");
    }

    @Test
    void the_view_cannot_be_written_into() {
        assertThatThrownBy(() -> encoded.payloadView().put(0, (byte) 'x')).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(encoded.payloadText()).isEqualTo("{\"reqId\":\"r1\"}");
    }

    @Test
    void each_view_has_its_own_position() {
        ByteBuffer first = encoded.payloadView();
        first.get();

        assertThat(encoded.payloadView().position()).isZero();
    }
}
