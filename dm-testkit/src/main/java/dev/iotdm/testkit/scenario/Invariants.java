package dev.iotdm.testkit.scenario;

import dev.iotdm.protocol.codec.WireText;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.topic.Direction;
import dev.iotdm.testkit.platform.DeviceView;
import dev.iotdm.testkit.rules.Audience;
import dev.iotdm.testkit.rules.CheckReport;
import dev.iotdm.testkit.rules.RuleBook;
import dev.iotdm.testkit.rules.Verdict;
import dev.iotdm.testkit.rules.Violation;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Owns the checks run after every scenario (issue 11, item 4): no rule violated, every operation
 * ended with an outcome, every request answered at least once with identical answers per reqId, no
 * firmware download succeeding with an image that does not verify (§6.2), and after a final
 * re-manage the platform's record equal to the device's own values (§11). Stateless.
 */
public final class Invariants {

    /** Topic of the device's answers to platform requests (§2.2). */
    public static final String DEVICE_RESPONSE = "iotdevice-1/response";
    /** Topic of the platform's answers to device requests (§2.2). */
    public static final String PLATFORM_RESPONSE = "iotdm-1/response";

    private Invariants() {
    }

    /**
     * Every problem of a finished scenario.
     *
     * @param rules the rule checker's report
     * @param messages every message of the run
     * @param steps what each step started, with its step
     * @param platform the platform's record after the final re-manage
     * @param device the device's own values, when it can be asked
     * @return every problem, rules first; empty when the scenario passed
     */
    public static List<Problem> check(CheckReport rules, List<TranscriptEntry> messages, List<StepRun> steps,
            Optional<DeviceView> platform, Optional<DeviceSnapshot> device) {
        return check(Audience.OUR_DEVICE, rules, messages, steps, platform, device);
    }

    /**
     * Every problem of a finished scenario, the rules judged for {@code audience}: our devices
     * answer to every rule but the informational ones, an external device to the required ones
     * (the one Verdict decides).
     *
     * @param audience whose device the rules are judged for
     * @param rules the rule checker's report
     * @param messages every message of the run
     * @param steps what each step started, with its step
     * @param platform the platform's record after the final re-manage
     * @param device the device's own values, when it can be asked
     * @return every problem, rules first; empty when the scenario passed
     */
    public static List<Problem> check(Audience audience, CheckReport rules, List<TranscriptEntry> messages,
            List<StepRun> steps, Optional<DeviceView> platform, Optional<DeviceSnapshot> device) {
        List<Problem> problems = new ArrayList<>();
        for (Violation v : rules.violations()) {
            if (Verdict.fails(v, audience, RuleBook.standard())) {
                problems.add(new Problem("rule " + v.ruleId(), v.toString()));
            }
        }
        for (StepRun run : steps) {
            for (Pending p : run.started()) {
                if (p.outcome().isEmpty()) {
                    problems.add(new Problem("no outcome", p.describe() + " of step " + run.step()));
                }
            }
            if (run.step() instanceof ScenarioStep.FirmwareDownload d && !d.verifies()) {
                for (Pending p : run.started()) {
                    if (p.outcome().filter(o -> o.startsWith("Succeeded")).isPresent()) {
                        problems.add(new Problem("firmware verified a bad image",
                                p.describe() + " succeeded with verifier " + PlatformOps.BAD_VERIFIER));
                    }
                }
            }
        }
        problems.addAll(answers(messages, Direction.PLATFORM_TO_DEVICE, DEVICE_RESPONSE));
        problems.addAll(answers(messages, Direction.DEVICE_TO_PLATFORM, PLATFORM_RESPONSE));
        boolean wiped = steps.stream().anyMatch(r -> r.step() instanceof ScenarioStep.FactoryReset
                && r.started().stream().anyMatch(p -> p.outcome().filter(o -> o.startsWith("Succeeded")).isPresent()));
        device.ifPresent(d -> problems.addAll(sameRecord(platform, d, !wiped)));
        return problems;
    }

    /**
     * Requests sent in {@code requestDirection} must each be answered at least once on
     * {@code responseTopic}, and all answers to one reqId must be identical (a second, identical
     * answer is QoS 1 redelivery).
     *
     * @param messages every message of the run, in order
     * @param requestDirection the direction of the requests checked
     * @param responseTopic the topic their answers come on, {@link #DEVICE_RESPONSE} or
     *     {@link #PLATFORM_RESPONSE}
     * @return one problem per unanswered request and per reqId with differing answers
     */
    public static List<Problem> answers(List<TranscriptEntry> messages, Direction requestDirection, String responseTopic) {
        Set<String> asked = new LinkedHashSet<>();
        Map<String, JsonValue> answered = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (TranscriptEntry e : messages) {
            if (e.direction() == requestDirection && isDmRequest(e.topic())) {
                reqId(e).ifPresent(asked::add);
            } else if (e.direction() != requestDirection && e.topic().equals(responseTopic)) {
                Optional<JsonValue> body = json(e);
                Optional<String> id = reqId(e);
                if (body.isPresent() && id.isPresent()) {
                    JsonValue first = answered.putIfAbsent(id.get(), body.get());
                    if (first != null && !first.equals(body.get())) {
                        problems.add(new Problem("answers differ", "reqId " + WireText.escape(id.get()) + ": "
                                + WireText.escape(first.toString()) + " then " + WireText.escape(body.get().toString())));
                    }
                }
            }
        }
        for (String id : asked) {
            if (!answered.containsKey(id)) {
                problems.add(new Problem("unanswered request", (requestDirection == Direction.PLATFORM_TO_DEVICE
                        ? "the device never answered platform request " : "the platform never answered device request ")
                        + WireText.escape(id)));
            }
        }
        return problems;
    }

    private static boolean isDmRequest(String topic) {
        return (topic.startsWith("iotdm-1/") || topic.startsWith("iotdevice-1/"))
                && !topic.equals(DEVICE_RESPONSE) && !topic.equals(PLATFORM_RESPONSE)
                && !topic.equals("iotdevice-1/notify");
    }

    private static Optional<JsonValue> json(TranscriptEntry e) {
        try {
            return Optional.of(JsonValue.parse(e.payload()));
        } catch (IllegalArgumentException notJson) {
            return Optional.empty(); // the rule checker reports undecodable payloads
        }
    }

    private static Optional<String> reqId(TranscriptEntry e) {
        return json(e).filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
                .flatMap(o -> o.get("reqId")).filter(JsonString.class::isInstance)
                .map(v -> ((JsonString) v).value());
    }

    /** After the final re-manage the platform's record must hold the device's own values (§11). */
    static List<Problem> sameRecord(Optional<DeviceView> platform, DeviceSnapshot device, boolean firmwareKnown) {
        if (platform.isEmpty()) {
            return List.of(new Problem("record differs", "the platform has no record of the device"));
        }
        DeviceView view = platform.get();
        List<Problem> problems = new ArrayList<>();
        compare(problems, "deviceInfo", view.deviceInfo().orElse(DeviceInfo.EMPTY), device.deviceInfo());
        compare(problems, "metadata", view.metadata(), device.metadata());
        // The platform stamps the times (measuredDateTime, updatedDateTime); the values must match.
        compare(problems, "location", view.location().map(Invariants::place), device.location().map(Invariants::place));
        compare(problems, "supports", view.supports(), Optional.of(device.supports()));
        // The platform records mgmt.firmware only once a flow or a device/update touched it.
        // Of mgmt.firmware the platform knows only what was written or notified: compare those
        // sub-fields of the image. Not state/updateStatus yet: a device/update of a new image resets
        // the device to idle (§6.1) without a notify, and the platform engine does not apply that
        // state itself (issue 11 item 1, DM-FW-UPDATE); compare them too once it does.
        // After a factory reset (§7.2) the device starts with no image and no message brings
        // mgmt.firmware back to the platform unless observed: only compare before one.
        view.firmware().filter(f -> firmwareKnown).ifPresent(f -> {
            List<Optional<?>> platformParts = image(f);
            List<Optional<?>> deviceParts = image(device.firmware());
            for (int i = 0; i < platformParts.size(); i++) {
                if (platformParts.get(i).isPresent()) {
                    compare(problems, "mgmt.firmware." + FIRMWARE_PARTS.get(i), platformParts.get(i), deviceParts.get(i));
                }
            }
        });
        return problems;
    }

    private static List<Object> place(Location l) {
        return List.of(l.latitude(), l.longitude(), l.elevation(), l.accuracy());
    }

    private static final List<String> FIRMWARE_PARTS = List.of("version", "name", "uri", "verifier");

    private static List<Optional<?>> image(FirmwareInfo f) {
        return List.of(f.version(), f.name(), f.uri(), f.verifier());
    }

    private static void compare(List<Problem> problems, String field, Object platform, Object device) {
        if (!Objects.equals(platform, device)) {
            problems.add(new Problem("record differs: " + field, "platform " + WireText.escape(String.valueOf(platform))
                    + ", device " + WireText.escape(String.valueOf(device))));
        }
    }

    /**
     * What one step started.
     *
     * @param step the step
     * @param started its operations and requests; empty for steps that start none
     * @param skipped why the step was skipped, when the world or device could not run it
     */
    public record StepRun(ScenarioStep step, List<Pending> started, Optional<String> skipped) {
        /**
         * Copies the list.
         *
         * @param step the step; not {@code null}
         * @param started its operations and requests; copied
         * @param skipped the reason, or empty; not {@code null}
         */
        public StepRun {
            Objects.requireNonNull(step, "step");
            started = List.copyOf(started);
            Objects.requireNonNull(skipped, "skipped");
        }
    }
}
