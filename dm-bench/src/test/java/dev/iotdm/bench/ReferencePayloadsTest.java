package dev.iotdm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.bench.ReferencePayloads.Payload;
import dev.iotdm.protocol.codec.Codec;
import dev.iotdm.protocol.codec.Decoded;
import org.junit.jupiter.api.Test;

/** The payloads the codec benchmarks time are valid DM messages that every rival reads too. */
class ReferencePayloadsTest {

    @Test
    void every_reference_payload_decodes_without_an_error() {
        assertThat(ReferencePayloads.all()).hasSizeGreaterThanOrEqualTo(17).allSatisfy(p ->
                assertThat(Codec.standard().decode(p.topic(), p.payload())).as(p.name()).isInstanceOf(Decoded.class));
    }

    @Test
    void the_zoneless_payloads_are_decoded_with_their_normalisation() {
        Payload p = ReferencePayloads.named("addLog-zoneless");

        Decoded d = (Decoded) Codec.standard().decode(p.topic(), p.payload());

        assertThat(d.normalisations()).hasSize(1);
    }

    @Test
    void every_rival_reads_every_reference_payload_and_finds_the_same_req_id() throws Exception {
        for (Payload p : ReferencePayloads.all()) {
            CodecRivals.Envelope pojo = CodecRivals.readPojo(p.payload(), CodecRivals.pojoClass(p.topic()));
            String viaTree = CodecRivals.readTree(p.payload()).path("reqId").asText(null);
            assertThat(pojo.reqId).as(p.name()).isEqualTo(viaTree);
            assertThat(CodecRivals.gsonExtract(p.payload())).as(p.name()).isPositive();
        }
    }
}
