package dev.iotdm.protocol.testing;

import org.assertj.core.api.Assertions;

/**
 * The one AssertJ entry point of dm-protocol's tests: everything of {@link Assertions} plus the
 * domain assertions on publishes, responses, notifies, request outcomes and decode results
 * ({@code assertThat(response).hasRc(202)}).
 *
 * <p>Thread-safety: stateless.
 */
public class ProtocolAssertions extends Assertions {

    /** Not for instances; extended only to inherit the static entry points. */
    protected ProtocolAssertions() {
    }

    /** Assertions on a device's response (rc, reqId, failed fields, observed values). */
    public static dev.iotdm.protocol.session.SessionAssertions.DeviceResponseAssert assertThat(
            dev.iotdm.protocol.message.DeviceResponse actual) {
        return dev.iotdm.protocol.session.SessionAssertions.assertThat(actual);
    }

    /** Assertions on a notify. */
    public static dev.iotdm.protocol.session.SessionAssertions.NotifyAssert assertThat(
            dev.iotdm.protocol.message.Notify actual) {
        return dev.iotdm.protocol.session.SessionAssertions.assertThat(actual);
    }

    /** Assertions on how a session request ended. */
    public static dev.iotdm.protocol.session.SessionAssertions.OutcomeAssert assertThat(
            dev.iotdm.protocol.session.RequestOutcome actual) {
        return dev.iotdm.protocol.session.SessionAssertions.assertThat(actual);
    }

    /** Assertions on a decode result (message, normalisations, problem, detail, reqId, answer). */
    public static dev.iotdm.protocol.codec.CodecAssertions.DecodeResultAssert assertThat(
            dev.iotdm.protocol.codec.DecodeResult actual) {
        return dev.iotdm.protocol.codec.CodecAssertions.assertThat(actual);
    }
}
