package dev.iotdm.cli;

import dev.iotdm.transport.MqttVersion;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dm-cli demo}: the one-command demo. Checks its options, then hands over to a
 * {@link DemoRun}.
 *
 * <p>Thread-safety: one instance per command line, used on one thread.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs every device-management feature between a sample managed device and the fake"
                + " platform, over a real MQTT connection on 127.0.0.1: manage, location, error codes, log,"
                + " firmware download (verified) and update, observe/cancel, reboot, factory reset,"
                + " custom action, event, command, unmanage.",
                "Prints the live transcript, then a summary table built from what the platform observed and the"
                        + " rule checker's verdict."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every step succeeded and no rule was violated",
                "1:a step failed or a rule was violated", "2:bad usage"})
final class DemoCommand implements Callable<Integer> {

    private final Io io;

    @Spec
    private CommandSpec spec;

    @Option(names = "--transport", paramLabel = "NAME", defaultValue = "paho",
            description = "The device's MQTT transport, found by name through ServiceLoader (default: ${DEFAULT-VALUE}).")
    private String transport;

    @Option(names = "--mqtt-version", paramLabel = "VERSION",
            converter = Converters.MqttVersionConverter.class,
            description = "The MQTT version the device speaks: 5 or 3.1.1 (default: the transport's preferred"
                    + " version, 5 for paho (which speaks 5 only), 3.1.1 for netty).")
    private MqttVersion mqttVersion;

    @Option(names = "--verifier", paramLabel = "ALGORITHM", defaultValue = "SHA256",
            description = "The firmware image's verifier: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private FirmwareServer.Digest verifier;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long each step may take, 1 to 600 seconds (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Option(names = "--no-transcript", description = "Print only the step results and the summary.")
    private boolean noTranscript;

    /** A command writing to {@code io}. */
    DemoCommand(Io io) {
        this.io = Objects.requireNonNull(io, "io");
    }

    @Override
    public Integer call() throws Exception {
        MqttVersion version = TransportChoice.version(spec, transport, mqttVersion);
        if (timeoutSeconds < 1 || timeoutSeconds > 600) {
            throw new ParameterException(spec.commandLine(),
                    "--timeout must be 1 to 600 seconds, was " + timeoutSeconds);
        }
        return new DemoRun(io.out(), transport, version, verifier, Duration.ofSeconds(timeoutSeconds),
                !noTranscript).run();
    }
}
