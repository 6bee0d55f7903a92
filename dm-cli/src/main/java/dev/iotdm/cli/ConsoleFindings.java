package dev.iotdm.cli;

import dev.iotdm.protocol.codec.WireText;
import dev.iotdm.testkit.platform.PlatformEvent;
import dev.iotdm.testkit.platform.PlatformEvent.BrokerRefusal;
import dev.iotdm.testkit.platform.PlatformObserver;
import dev.iotdm.testkit.platform.PlatformRecorder;
import dev.iotdm.testkit.rules.Audience;
import dev.iotdm.testkit.rules.CheckReport;
import dev.iotdm.testkit.rules.RuleBook;
import dev.iotdm.testkit.rules.Verdict;
import dev.iotdm.testkit.rules.Violation;
import dev.iotdm.testkit.transcript.Transcript;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import dev.iotdm.testkit.transcript.TranscriptListener;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the console finds wrong, printed live as it happens: the rule checker's violations, the
 * broker's refusals (a CONNECT, a SUBSCRIBE filter, a forbidden or oversized PUBLISH), each also
 * kept as a violation with a rule id so that {@code violations} and the exit code see it, and the
 * operator's own deviations ({@code --anyway}), which are listed but do not fail the run since the
 * device did nothing wrong.
 *
 * <p>Broker refusals never reach the transcript (the message went nowhere), so the rule checker
 * cannot see them; they are judged here under these rule ids: {@value #CONNECT_RULE},
 * {@value #SUBSCRIBE_RULE}, {@value #PUBLISH_RULE} and {@value #PAYLOAD_RULE}.
 *
 * <p>Thread-safety: thread-safe; the platform thread reports, any thread reads.
 */
final class ConsoleFindings implements PlatformObserver {

    /** A refused CONNECT: the device's connect parameters (§1.4, §1.5). */
    static final String CONNECT_RULE = "C13.1-CONNECT";
    /** A refused SUBSCRIBE filter (§1.10). */
    static final String SUBSCRIBE_RULE = "DM-SUB-2";
    /** A publish on a topic a device may not use (§2.2, §1.9). */
    static final String PUBLISH_RULE = "DM-TOPIC-1";
    /** An oversized payload (§1.9). */
    static final String PAYLOAD_RULE = "C13.7-PAYLOAD-LIMIT";

    private final PrintStream out;
    private final PlatformRecorder recorder;
    private final List<Violation> brokerViolations = new CopyOnWriteArrayList<>();
    private final List<String> deviations = new CopyOnWriteArrayList<>();
    private final Queue<Violation> found = new ConcurrentLinkedQueue<>();

    /** Findings printed to {@code out}; the checker's violations are printed as it finds them. */
    ConsoleFindings(PrintStream out, PlatformRecorder recorder) {
        this.out = Objects.requireNonNull(out, "out");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        // The checker finds a violation while it reads a transcript item, before the live transcript
        // prints that item: the violation waits here and is printed after it (see afterTranscript()).
        recorder.checker().addViolationListener(found::add);
    }

    /**
     * The transcript listener that prints the violations found in an item right after the item's
     * own line; add it to the transcript after the printer.
     */
    TranscriptListener afterTranscript() {
        return item -> {
            for (Violation v = found.poll(); v != null; v = found.poll()) {
                out.println("violation " + describe(v));
            }
        };
    }

    @Override
    public void onConnect(Instant time, String clientId) {
        // the transcript shows connections
    }

    @Override
    public void onDisconnect(Instant time, String clientId) {
        // the transcript shows disconnections
    }

    @Override
    public void onMessage(TranscriptEntry entry) {
        // the recorder's checker judges messages
    }

    @Override
    public void onDecodeProblem(PlatformEvent.DecodeProblem problem) {
        // the checker decodes every entry itself and reports the problem under its rule
    }

    @Override
    public void onBrokerRefusal(BrokerRefusal refusal) {
        String client = WireText.escape(refusal.clientId());
        String detail = WireText.escape(refusal.detail());
        Finding f = switch (refusal.kind()) {
            case CONNECT -> new Finding(CONNECT_RULE, "refused CONNECT of client id " + client + ": " + detail);
            case SUBSCRIBE -> new Finding(SUBSCRIBE_RULE, "refused SUBSCRIBE of " + client + " to " + detail
                    + " (a device may subscribe to iotdm-1/# and iot-2/cmd/+/fmt/+ only; it stays connected)");
            case FORBIDDEN_PUBLISH -> new Finding(PUBLISH_RULE, "refused PUBLISH of " + client + " on the forbidden topic "
                    + detail + " (a device publishes on iotdevice-1/... and iot-2/evt/<event>/fmt/<format> only)");
            case PAYLOAD_TOO_LARGE -> new Finding(PAYLOAD_RULE, "refused PUBLISH of " + client + " on " + detail
                    + ": payload over 131072 bytes; the device was disconnected (§1.9)");
        };
        String rule = f.rule();
        String text = f.text();
        Violation v = new Violation(rule, refusal.clientId(), refusal.time(), text, Optional.empty());
        brokerViolations.add(v);
        out.println("broker " + text + " [" + rule + levelText(rule) + "]");
    }

    /** Records and prints a deviation the operator asked for. */
    void deviation(String clientId, String what) {
        String text = WireText.escape(clientId) + ": " + what;
        deviations.add(Instant.now() + " " + text);
        out.println("deviation (operator): " + text);
    }

    /**
     * Whether the devices pass: no violation, by the devices or at the broker, of a rule that fails
     * an external device (a {@code required} rule binding the device; the rest are deviations,
     * listed but not failing, as {@link Verdict} decides for every command).
     */
    boolean isClean() {
        List<Violation> all = new ArrayList<>(recorder.report().violations());
        all.addAll(brokerViolations);
        return all.stream().noneMatch(v -> Verdict.fails(v, Audience.EXTERNAL_DEVICE, RuleBook.standard()));
    }

    /** The verdict in a few lines: every violation with its rule and level, then the operator's deviations. */
    String verdict() {
        CheckReport report = recorder.report();
        List<Violation> all = new ArrayList<>(report.violations());
        all.addAll(brokerViolations);
        StringBuilder b = new StringBuilder();
        if (all.isEmpty()) {
            b.append("no rule violations (").append(report.exercised().size()).append(" rules exercised)");
        } else {
            b.append(all.size()).append(" rule violation(s):");
            for (Violation v : all) {
                b.append("\n  ").append(describe(v));
            }
        }
        if (!deviations.isEmpty()) {
            b.append("\n  ").append(deviations.size()).append(" operator deviation(s), not counted against the device:");
            deviations.forEach(d -> b.append("\n    ").append(d));
        }
        return b.toString();
    }

    /** One violation on one or two lines, wire text escaped. */
    static String describe(Violation v) {
        return v.ruleId() + " " + WireText.escape(v.clientId()) + " at " + v.time() + levelText(v.ruleId()) + ": "
                + WireText.escape(v.detail(), 1024)
                + v.entry().map(ConsoleFindings::entryLine).orElse("");
    }

    private static String entryLine(TranscriptEntry e) {
        return "\n    " + WireText.escape(Transcript.textLine(e), 1024);
    }

    /** The rule's level as the rule book gives it, e.g. {@code " (required)"}; nothing for an unknown id. */
    static String levelText(String ruleId) {
        return RuleBook.standard().rule(ruleId)
                .map(r -> " (" + r.level().name().toLowerCase(Locale.ROOT) + ")").orElse("");
    }

    /** A refusal's rule and its one-line text. */
    private record Finding(String rule, String text) {
    }
}
