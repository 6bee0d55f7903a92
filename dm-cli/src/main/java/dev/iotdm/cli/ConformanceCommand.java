package dev.iotdm.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dm-cli conformance}: checks one external device, in any language, against the protocol's
 * rules. It starts the embedded broker and the fake platform, serves firmware images over loopback
 * HTTP, waits for the device to connect and manage, runs the platform-side operations its declared
 * {@code supports} allow and writes the rule table as text, JUnit XML and JSON.
 *
 * <p>Thread-safety: one instance per command line, used on one thread.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = {"Checks one device, written in any language, against the device-management protocol's rules:"
                + " starts the fake platform on 127.0.0.1, waits for the device to connect (client id"
                + " d:org:type:id, username use-token-auth, password = token) and manage, checks that it subscribed"
                + " to the platform's request topics, runs the operations its manage declares (device/update,"
                + " observe/cancel; firmware download, update and a verification failure if firmwareActions; reboot"
                + " and factory reset if deviceActions; custom actions of declared bundles) and writes a report:"
                + " the rule table as text, JUnit XML (one test case per rule) and JSON.",
                "Only required rules fail the device; recommended and informational ones are reported as"
                        + " deviations."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no required rule violated", "1:a required rule violated, or the device never managed",
                "2:bad usage"})
final class ConformanceCommand implements Callable<Integer> {

    private final Io io;

    @Spec
    private CommandSpec spec;

    @Option(names = "--device", paramLabel = "ORG:TYPE:ID:TOKEN", required = true,
            converter = Converters.DeviceSpecConverter.class,
            description = "The device under test. The token may contain ':'.")
    private DeviceSpec device;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
            description = "The plain MQTT port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--broker", paramLabel = "HOST:PORT",
            description = "Attach to this MQTT broker (e.g. mosquitto, anonymous access) instead of starting the"
                    + " embedded one: the platform connects to it as an ordinary client, and the device connects"
                    + " through a proxy on 127.0.0.1:--port that reports its connections. A plain broker reports no"
                    + " SUBSCRIBE, so DM-SUB-1 and DM-MANAGE-4 are not checked.")
    private String broker;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long the device may take to connect and manage, and to manage again after a reboot"
                    + " or factory reset, 1 to 3600 seconds (default: ${DEFAULT-VALUE}).")
    private int waitSeconds;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long one operation may take, 1 to 3600 seconds (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Option(names = "--action", paramLabel = "BUNDLE/ACTION",
            description = "A custom action to run when the device declares BUNDLE (repeatable). A declared bundle"
                    + " without one gets a probe action the device should answer 501.")
    private List<String> actions = new ArrayList<>();

    @Option(names = "--report-dir", paramLabel = "DIR", defaultValue = "conformance-report",
            description = "Where conformance.txt, conformance-junit.xml and conformance.json go"
                    + " (default: ${DEFAULT-VALUE}).")
    private Path reportDir;

    @Option(names = "--run-device", paramLabel = "COMMAND",
            description = "Starts the device under test as a child process once the platform listens, with"
                    + " IOTDM_HOST, IOTDM_PORT, IOTDM_ORG, IOTDM_TYPE, IOTDM_DEVICE and IOTDM_TOKEN in its environment;"
                    + " its output is shown prefixed with [device]; it is stopped at the end. The command is split"
                    + " at spaces (no shell).")
    private String runDevice;

    @Option(names = "--scenarios", paramLabel = "N", defaultValue = "0",
            description = "After the fixed operations, run N seeded random scenarios of platform operations on the"
                    + " device (dm-testkit's scenario engine; -Dpbt.seed=S replays one), shrunk and printed with their"
                    + " seed if one fails, 0 to 1000 (default: ${DEFAULT-VALUE}).")
    private int scenarios;

    @Option(names = "--no-transcript", description = "Do not print the live transcript.")
    private boolean noTranscript;

    /** A command writing to {@code io}. */
    ConformanceCommand(Io io) {
        this.io = Objects.requireNonNull(io, "io");
    }

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw usage("--port must be 0 to 65535, was " + port);
        }
        if (waitSeconds < 1 || waitSeconds > 3600) {
            throw usage("--wait must be 1 to 3600 seconds, was " + waitSeconds);
        }
        if (scenarios < 0 || scenarios > 1000) {
            throw usage("--scenarios must be 0 to 1000, was " + scenarios);
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw usage("--timeout must be 1 to 3600 seconds, was " + timeoutSeconds);
        }
        List<ConformanceRun.BundleAction> bundleActions = new ArrayList<>();
        for (String a : actions) {
            int slash = a.indexOf('/');
            if (slash <= 0 || slash == a.length() - 1 || a.indexOf('/', slash + 1) >= 0) {
                throw usage("--action must be BUNDLE/ACTION, was '" + a + "'");
            }
            bundleActions.add(new ConformanceRun.BundleAction(a.substring(0, slash), a.substring(slash + 1)));
        }
        List<String> childCommand = runDevice == null ? List.of()
                : List.of(runDevice.trim().split(" +"));
        if (runDevice != null && runDevice.isBlank()) {
            throw usage("--run-device must name a command");
        }
        Optional<ConformanceRun.BrokerAddress> attach = Optional.empty();
        if (broker != null) {
            int colon = broker.lastIndexOf(':');
            int brokerPort;
            try {
                brokerPort = colon > 0 ? Integer.parseInt(broker.substring(colon + 1)) : -1;
            } catch (NumberFormatException e) {
                brokerPort = -1;
            }
            if (brokerPort < 1 || brokerPort > 65535) {
                throw usage("--broker must be HOST:PORT with a port of 1 to 65535, was '" + broker + "'");
            }
            attach = Optional.of(new ConformanceRun.BrokerAddress(broker.substring(0, colon), brokerPort));
        }
        ConformanceRun run = new ConformanceRun(io.out(), device, attach, port, Duration.ofSeconds(waitSeconds),
                Duration.ofSeconds(timeoutSeconds), bundleActions, scenarios, reportDir, childCommand, !noTranscript);
        return run.run();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
