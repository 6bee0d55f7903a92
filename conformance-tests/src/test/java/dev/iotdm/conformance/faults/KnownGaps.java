package dev.iotdm.conformance.faults;

import java.util.Optional;

/**
 * The cells of the fault matrix that do not converge yet, each with the finding that explains it
 * (issue #10 stays open for them). {@link FaultMatrixTest} reports them as {@code KNOWN GAP} and
 * still prints their figures; {@code -Dfault.matrix.strict=true} makes them fail. Remove an entry
 * with the fix that makes its cells converge.
 */
final class KnownGaps {

    private KnownGaps() {
    }

    /** The finding that keeps the cell from converging today, or empty when it must converge. */
    static Optional<String> of(String transport, NetworkFault fault, Flow flow) {
        if (transport.equals("paho") && (fault == NetworkFault.STALL || fault == NetworkFault.HALF_OPEN)
                && flow != Flow.BURST_200_REQUESTS) {
            // Paho fails a publish in flight when its keep-alive times out with reason code 32000;
            // PahoTranslation turns that into a plain IOException, which ClientDriver.publishFailure
            // takes for REFUSED_BY_BROKER, so the engine drops the answer (the 202 to a reboot, the
            // 202 to a firmware update) or the QoS 1 event instead of re-sending it after the
            // reconnect. Whether a cell meets it depends on timing: some of these cells converge.
            return Optional.of("Paho 32000 (keep-alive timeout) is taken for a broker refusal: the publish is dropped");
        }
        if (flow == Flow.BURST_200_REQUESTS) {
            // With a kept session, answers published on the link that died are not sent again after
            // the reconnect (session present): the handler ran for all 200 reqIds, 7 to 191 answers
            // never reached the platform (Paho and Netty alike, every fault).
            return Optional.of("kept session: answers in flight on a dead link are not re-sent");
        }
        return Optional.empty();
    }
}
