package dev.iotdm.cli;

import dev.iotdm.protocol.codec.WireText;
import dev.iotdm.testkit.platform.OperationOutcome;

/**
 * Short readable text for a platform operation's outcome, shared by the demo's table and the
 * platform console.
 *
 * <p>Thread-safety: stateless.
 */
final class Outcomes {

    private Outcomes() {
    }

    /** Whether the operation did what it was asked. */
    static boolean succeeded(OperationOutcome outcome) {
        return outcome instanceof OperationOutcome.Succeeded;
    }

    /**
     * {@code OK} (with the response data, if any), {@code FAILED rc 501: message},
     * {@code FAILED updateStatus VERIFICATION_FAILED}, {@code TIMED OUT waiting for ...},
     * {@code DEVICE GONE: ...} or {@code REFUSED: ...}; wire text in them is escaped
     * ({@link WireText#escape}).
     */
    static String describe(OperationOutcome outcome) {
        if (outcome instanceof OperationOutcome.Succeeded s) {
            return s.data().map(d -> "OK " + WireText.escape(d.toJson())).orElse("OK");
        } else if (outcome instanceof OperationOutcome.Failed f) {
            String what = f.rc().map(rc -> "rc " + rc.code()).orElseGet(
                    () -> "updateStatus " + f.updateStatus().map(Enum::name).orElse("?"));
            return "FAILED " + what + f.message().map(m -> ": " + WireText.escape(m)).orElse("");
        } else if (outcome instanceof OperationOutcome.TimedOut t) {
            return "TIMED OUT waiting for " + WireText.escape(t.waitingFor());
        } else if (outcome instanceof OperationOutcome.DeviceGone g) {
            return "DEVICE GONE: " + WireText.escape(g.why());
        } else if (outcome instanceof OperationOutcome.Refused r) {
            return "REFUSED: " + r.why();
        }
        throw new IllegalArgumentException("unknown outcome " + outcome);
    }
}
