package dev.iotdm.protocol.codec;

import dev.iotdm.protocol.message.Message;
import dev.iotdm.protocol.message.Rc;
import java.util.Optional;
import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.Assertions;

/**
 * The AssertJ entry point of the codec tests: everything of {@link Assertions} plus
 * {@code Assertions.assertThat(DecodeResult)} with the codec's own vocabulary.
 */
public final class CodecAssertions {

    /** Assertions on the outcome of {@link Codec#decode(String, byte[])}. */
    public static DecodeResultAssert assertThat(DecodeResult actual) {
        return new DecodeResultAssert(actual);
    }

    /** Domain assertions on a {@link DecodeResult}. */
    public static final class DecodeResultAssert extends AbstractObjectAssert<DecodeResultAssert, DecodeResult> {

        DecodeResultAssert(DecodeResult actual) {
            super(actual, DecodeResultAssert.class);
        }

        private Decoded decoded() {
            isNotNull();
            if (!(actual instanceof Decoded d)) {
                throw failure("expected a decoded message but got %s", actual);
            }
            return d;
        }

        private DecodeError error() {
            isNotNull();
            if (!(actual instanceof DecodeError e)) {
                throw failure("expected a decode error but got %s", actual);
            }
            return e;
        }

        /** The payload decoded to exactly {@code expected}. */
        public DecodeResultAssert decodesTo(Message expected) {
            Message m = decoded().message();
            if (!m.equals(expected)) {
                throw failure("expected message%n  %s%nbut decoded%n  %s", expected, m);
            }
            return this;
        }

        /** The decoder applied exactly these leniencies, in this order. */
        public DecodeResultAssert withNormalisations(Normalisation... expected) {
            Assertions.assertThat(decoded().normalisations()).as("normalisations").containsExactly(expected);
            return this;
        }

        /** The payload was canonical: no leniency applied. */
        public DecodeResultAssert withoutNormalisations() {
            Assertions.assertThat(decoded().normalisations()).as("normalisations").isEmpty();
            return this;
        }

        /** Decoding failed with this problem and exactly this detail text. */
        public DecodeResultAssert failsWith(Problem problem, String detail) {
            DecodeError e = error();
            Assertions.assertThat(e.problem()).as("problem of %s", e).isEqualTo(problem);
            Assertions.assertThat(e.detail()).as("detail of %s", e).isEqualTo(detail);
            return this;
        }

        /** The error carries the reqId read from the payload. */
        public DecodeResultAssert carryingReqId(String reqId) {
            Assertions.assertThat(error().reqId()).as("reqId").hasValue(reqId);
            return this;
        }

        /** The error carries no reqId (none was readable). */
        public DecodeResultAssert withoutReqId() {
            Assertions.assertThat(error().reqId()).as("reqId").isEmpty();
            return this;
        }

        /** The receiver should answer with {@code rc}. */
        public DecodeResultAssert answeredWith(Rc rc) {
            Assertions.assertThat(error().answerWith()).as("answerWith").hasValue(rc);
            return this;
        }

        /** The receiver should not answer. */
        public DecodeResultAssert notAnswered() {
            Assertions.assertThat(error().answerWith()).as("answerWith").isEqualTo(Optional.empty());
            return this;
        }

        /** Whether the topic carries requests. */
        public DecodeResultAssert onRequestTopic(boolean request) {
            Assertions.assertThat(error().request()).as("request").isEqualTo(request);
            return this;
        }
    }
}
