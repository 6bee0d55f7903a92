package dev.iotdm.cli;

import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.testkit.platform.DeviceView;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.platform.FirmwareImage;
import dev.iotdm.testkit.platform.OperationOutcome;
import dev.iotdm.testkit.platform.PlatformRecorder;
import dev.iotdm.testkit.rules.CheckReport;
import dev.iotdm.testkit.rules.Violation;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Carries out operator commands against a running {@link FakePlatform} and prints each outcome
 * as one line {@code <command> <client id>: <outcome>}, or {@code error: ...} for a command that
 * could not run. Operations are waited for, one at a time, up to the platform's own timeout.
 *
 * <p>Thread-safety: not thread-safe; one console reads one input on one thread.
 */
final class OperatorConsole {

    /** Extra time for an operation's future beyond its own timeout, which the engine enforces. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final FakePlatform platform;
    private final PlatformRecorder recorder;
    private final PrintStream out;
    private final Duration timeout;
    private final List<String> clientIds = new ArrayList<>();

    /**
     * A console.
     *
     * @param platform the running platform
     * @param recorder the recorder whose checker judges the devices
     * @param out where outcomes go
     * @param timeout the operations' timeout
     */
    OperatorConsole(FakePlatform platform, PlatformRecorder recorder, PrintStream out, Duration timeout) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.out = Objects.requireNonNull(out, "out");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Registers a device with the platform.
     *
     * @return its client id
     * @throws IllegalArgumentException if the platform refuses it
     */
    String register(DeviceSpec spec) {
        String clientId = platform.registerDevice(spec.org(), spec.typeId(), spec.deviceId(), spec.token());
        if (!clientIds.contains(clientId)) {
            clientIds.add(clientId);
        }
        return clientId;
    }

    /** The client ids registered so far, in order. */
    List<String> clientIds() {
        return List.copyOf(clientIds);
    }

    /**
     * Handles one input line.
     *
     * @return false when the line asked to quit
     */
    boolean handle(String line) {
        Optional<OperatorCommand> parsed;
        try {
            parsed = OperatorCommand.parse(line);
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            return true;
        }
        if (parsed.isEmpty()) {
            return true;
        }
        OperatorCommand command = parsed.get();
        if (command instanceof OperatorCommand.Quit) {
            return false;
        }
        try {
            run(command);
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.println("error: " + DmCli.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("error: interrupted");
            return false;
        }
        return true;
    }

    /** The rule checker's verdict in a few lines. */
    String verdict() {
        CheckReport report = recorder.report();
        if (report.isClean()) {
            return "no rule violations (" + report.exercised().size() + " rules exercised)";
        }
        StringBuilder b = new StringBuilder().append(report.violations().size()).append(" rule violation(s):");
        for (Violation v : report.violations()) {
            b.append("\n  ").append(v.toString().replace("\n", "\n  "));
        }
        return b.toString();
    }

    private void run(OperatorCommand command) throws InterruptedException {
        if (command instanceof OperatorCommand.Devices) {
            devices();
        } else if (command instanceof OperatorCommand.Register c) {
            out.println("register " + register(c.device()) + ": OK");
        } else if (command instanceof OperatorCommand.Reboot c) {
            String id = resolve(c.device());
            operation("reboot " + id, () -> platform.reboot(id, timeout));
        } else if (command instanceof OperatorCommand.FactoryReset c) {
            String id = resolve(c.device());
            operation("factory-reset " + id, () -> platform.factoryReset(id, timeout));
        } else if (command instanceof OperatorCommand.Download c) {
            String id = resolve(c.device());
            FirmwareImage image = FirmwareImage.of(c.version().orElse(null), null, c.uri(), c.verifier().orElse(null));
            operation("download " + id, () -> platform.firmwareDownload(id, Optional.of(image), timeout));
        } else if (command instanceof OperatorCommand.Update c) {
            String id = resolve(c.device());
            operation("update " + id, () -> platform.firmwareUpdate(id, Optional.empty(), timeout));
        } else if (command instanceof OperatorCommand.Custom c) {
            String id = resolve(c.device());
            operation("custom " + id + " " + c.bundleId() + "/" + c.actionId(),
                    () -> platform.customAction(id, c.bundleId(), c.actionId(), c.parameters(), timeout));
        } else if (command instanceof OperatorCommand.Set c) {
            String id = resolve(c.device());
            operation("set " + id + " " + c.field().field(), () -> platform.deviceUpdate(id, List.of(c.field()), timeout));
        } else if (command instanceof OperatorCommand.Observe c) {
            String id = resolve(c.device());
            operation("observe " + id + " " + String.join(" ", c.fields()), () -> platform.observe(id, c.fields(), timeout));
        } else if (command instanceof OperatorCommand.Cancel c) {
            String id = resolve(c.device());
            operation("cancel " + id + " " + String.join(" ", c.fields()), () -> platform.cancel(id, c.fields(), timeout));
        } else if (command instanceof OperatorCommand.SendCommand c) {
            String id = resolve(c.device());
            operation("command " + id + " " + c.commandId(), () -> platform.command(id, c.commandId(), "json",
                    c.json().getBytes(StandardCharsets.UTF_8)));
        } else if (command instanceof OperatorCommand.Violations) {
            out.println("violations: " + verdict());
        } else if (command instanceof OperatorCommand.Help) {
            out.println(OperatorCommand.HELP);
        }
    }

    private void operation(String what, Supplier<CompletableFuture<OperationOutcome>> start)
            throws InterruptedException {
        CompletableFuture<OperationOutcome> future = start.get();
        out.println(what + ": started");
        String outcome;
        try {
            outcome = Outcomes.describe(future.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            outcome = "ERROR " + DmCli.describe(e.getCause());
        } catch (TimeoutException e) {
            outcome = "TIMED OUT: the platform did not finish within " + timeout.plus(GRACE).toSeconds() + " s";
        }
        out.println(what + ": " + outcome);
    }

    private void devices() {
        if (clientIds.isEmpty()) {
            out.println("devices: none registered");
            return;
        }
        out.println("devices: " + clientIds.size());
        for (String id : clientIds) {
            DeviceView v = platform.device(id);
            out.println("  " + id + (v.connected() ? " connected" : " offline")
                    + (v.managed() ? " managed" : v.dormant() ? " dormant" : " unmanaged")
                    + " fwVersion=" + v.deviceInfo().flatMap(DeviceInfo::fwVersion).orElse("-")
                    + " firmware=" + v.firmwareState().map(Enum::name).orElse("-")
                    + "/" + v.firmwareUpdateStatus().map(Enum::name).orElse("-")
                    + " errorCodes=" + v.errorCodes() + " log=" + v.log().size()
                    + (v.observations().isEmpty() ? "" : " observing=" + v.observations())
                    + v.location().map(l -> " location=" + l.latitude() + "," + l.longitude()).orElse(""));
        }
    }

    /** A client id, or a device id that names exactly one registered device. */
    private String resolve(String device) {
        if (clientIds.contains(device)) {
            return device;
        }
        List<String> matches = clientIds.stream().filter(id -> id.endsWith(":" + device)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (clientIds.isEmpty()) {
            throw new IllegalArgumentException("unknown device '" + device + "': no devices are registered");
        }
        throw new IllegalArgumentException((matches.isEmpty() ? "unknown device '" : "ambiguous device '") + device
                + "'; registered: " + String.join(", ", clientIds));
    }
}
