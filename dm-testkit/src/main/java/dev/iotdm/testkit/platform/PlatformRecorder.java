package dev.iotdm.testkit.platform;

import dev.iotdm.testkit.rules.CheckReport;
import dev.iotdm.testkit.rules.RuleChecker;
import dev.iotdm.testkit.transcript.Transcript;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Records what a {@link FakePlatform} sees into a {@link Transcript} and runs the
 * {@link RuleChecker} on it as it grows: attach with {@code platform.addObserver(recorder)}.
 *
 * <p>Thread-safety: thread-safe (the transcript and the checker are).
 */
public final class PlatformRecorder implements PlatformObserver {

    private final Transcript transcript = new Transcript();
    private final RuleChecker checker;
    private final boolean liveSubscriptions;

    /** A recorder whose checker follows its transcript; SUBSCRIBEs are not reported to it. */
    public PlatformRecorder() {
        this(new RuleChecker(), false);
    }

    private PlatformRecorder(RuleChecker checker, boolean liveSubscriptions) {
        this.checker = checker;
        this.liveSubscriptions = liveSubscriptions;
        transcript.addListener(checker);
    }

    /**
     * A recorder whose checker is also told of every SUBSCRIBE as the broker grants it
     * ({@link RuleChecker#withLiveSubscriptions()}): it then checks that manage comes after the
     * device's SUBSCRIBE (DM-MANAGE-4) and that requests go to subscribed topics (DM-SUB-1). Use
     * it on a platform whose broker reports subscriptions (the embedded one).
     *
     * @return a new recorder with an empty transcript
     */
    public static PlatformRecorder withLiveSubscriptions() {
        return new PlatformRecorder(RuleChecker.withLiveSubscriptions(), true);
    }

    /**
     * An observer feeding this recorder with what the platform sees of {@code clientId} only: for
     * one device's scenario on a platform that serves others too.
     *
     * @param clientId the device's MQTT client id; not {@code null}
     * @return an observer to add to the platform in place of this recorder
     */
    public PlatformObserver onlyFor(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        PlatformRecorder recorder = this;
        return new PlatformObserver() {
            @Override
            public void onConnect(Instant time, String id) {
                if (id.equals(clientId)) {
                    recorder.onConnect(time, id);
                }
            }

            @Override
            public void onDisconnect(Instant time, String id) {
                if (id.equals(clientId)) {
                    recorder.onDisconnect(time, id);
                }
            }

            @Override
            public void onMessage(TranscriptEntry entry) {
                if (entry.clientId().equals(clientId)) {
                    recorder.onMessage(entry);
                }
            }

            @Override
            public void onDecodeProblem(PlatformEvent.DecodeProblem problem) {
                if (problem.clientId().equals(clientId)) {
                    recorder.onDecodeProblem(problem);
                }
            }

            @Override
            public void onSubscribe(Instant time, String id, List<String> filters) {
                if (id.equals(clientId)) {
                    recorder.onSubscribe(time, id, filters);
                }
            }
        };
    }

    /**
     * The transcript so far.
     *
     * @return the live transcript (it keeps growing); not a copy
     */
    public Transcript transcript() {
        return transcript;
    }

    /**
     * The checker following the transcript.
     *
     * @return the live checker
     */
    public RuleChecker checker() {
        return checker;
    }

    /**
     * The checker's report so far.
     *
     * @return a snapshot; later messages do not change it
     */
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
    public void onSubscribe(Instant time, String clientId, List<String> filters) {
        if (liveSubscriptions) {
            checker.onSubscribe(time, clientId, filters);
        }
    }

    @Override
    public void onDecodeProblem(PlatformEvent.DecodeProblem problem) {
        // The checker decodes every entry itself and reports the problem under its rule.
    }
}
