package dev.iotdm.testkit.platform;

import dev.iotdm.testkit.rules.CheckReport;
import dev.iotdm.testkit.rules.RuleChecker;
import dev.iotdm.testkit.transcript.Transcript;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import java.time.Instant;
import java.util.Optional;

/**
 * Records what a {@link FakePlatform} sees into a {@link Transcript} and runs the
 * {@link RuleChecker} on it as it grows: attach with {@code platform.addObserver(recorder)}.
 *
 * <p>Thread-safety: thread-safe (the transcript and the checker are).
 */
public final class PlatformRecorder implements PlatformObserver {

    private final Transcript transcript = new Transcript();
    private final RuleChecker checker = new RuleChecker();

    /** A recorder whose checker follows its transcript. */
    public PlatformRecorder() {
        transcript.addListener(checker);
    }

    /** The transcript so far. */
    public Transcript transcript() {
        return transcript;
    }

    /** The checker following the transcript. */
    public RuleChecker checker() {
        return checker;
    }

    /** The checker's report so far. */
    public CheckReport report() {
        return checker.report();
    }

    @Override
    public void onConnect(Instant time, String clientId) {
        transcript.connected(time, clientId, Optional.empty());
    }

    @Override
    public void onDisconnect(Instant time, String clientId) {
        transcript.disconnected(time, clientId);
    }

    @Override
    public void onMessage(TranscriptEntry entry) {
        transcript.add(entry);
    }

    @Override
    public void onDecodeProblem(PlatformEvent.DecodeProblem problem) {
        // The checker decodes every entry itself and reports the problem under its rule.
    }
}
