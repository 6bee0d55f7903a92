package dev.iotdm.cli;

import dev.iotdm.transport.MqttVersion;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code dm-cli fleet}: a load test. Checks its options, then hands over to a {@link FleetRun}.
 *
 * <p>Thread-safety: one instance per command line, used on one thread.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"Runs N simulated managed devices (one event loop group for all of them on the default"
                + " netty transport) against the embedded fake platform, or against your broker and platform"
                + " with --broker, and drives a device-management traffic mix (location, error codes, log"
                + " entries, QoS 1 events) at a fixed total rate.",
                "Prints a progress line every second, then a table of ops/s, p50 and p99 per operation,"
                        + " errors, reconnects, and heap and threads per device."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every operation succeeded", "1:an operation or a device failed", "2:bad usage"})
final class FleetCommand implements Callable<Integer> {

    /** The environment variable holding the devices' token on an external broker. */
    static final String TOKEN_ENV = "IOTDM_FLEET_TOKEN";

    private final Io io;

    @Spec
    private CommandSpec spec;

    @Option(names = "--devices", paramLabel = "N", defaultValue = "100",
            description = "How many devices, 1 to 100000 (default: ${DEFAULT-VALUE}).")
    private int devices;

    @Option(names = "--rate", paramLabel = "OPS", defaultValue = "100",
            description = "Operations per second over the whole fleet, 1 to 1000000 (default: ${DEFAULT-VALUE}).")
    private int rate;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long the traffic runs after every device is managed, 1 to 86400 seconds"
                    + " (default: ${DEFAULT-VALUE}).")
    private int durationSeconds;

    @Option(names = "--broker", paramLabel = "HOST:PORT", converter = FleetCommand.HostPortConverter.class,
            description = "An external broker (plain TCP) instead of the embedded platform; the answers then come"
                    + " from your platform. Devices are <org>:<type>:fleet-<n>, their token is read from the"
                    + " environment variable " + TOKEN_ENV + ".")
    private HostPort broker;

    @Option(names = "--org", paramLabel = "ORG", defaultValue = "fleetorg",
            description = "The devices' organisation (default: ${DEFAULT-VALUE}).")
    private String org;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "sim",
            description = "The devices' type (default: ${DEFAULT-VALUE}).")
    private String type;

    @Option(names = "--transport", paramLabel = "NAME", defaultValue = "netty",
            description = "The devices' MQTT transport, found by name through ServiceLoader (default: ${DEFAULT-VALUE}).")
    private String transport;

    @Option(names = "--mqtt-version", paramLabel = "VERSION", converter = Converters.MqttVersionConverter.class,
            description = "The MQTT version the devices speak: 5 or 3.1.1 (default: the transport's preferred version).")
    private MqttVersion mqttVersion;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long one operation may take before it counts as an error, 1 to 600 seconds"
                    + " (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    /** A command writing to {@code io}. */
    FleetCommand(Io io) {
        this.io = Objects.requireNonNull(io, "io");
    }

    @Override
    public Integer call() throws Exception {
        MqttVersion version = TransportChoice.version(spec, transport, mqttVersion);
        range("--devices", devices, 1, 100_000);
        range("--rate", rate, 1, 1_000_000);
        range("--duration", durationSeconds, 1, 86_400);
        range("--timeout", timeoutSeconds, 1, 600);
        String token = null;
        if (broker != null) {
            token = io.env().get(TOKEN_ENV);
            if (token == null || token.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--broker needs the devices' token in the"
                        + " environment variable " + TOKEN_ENV + " (never on the command line)");
            }
        }
        FleetRun.Settings settings = new FleetRun.Settings(devices, rate, Duration.ofSeconds(durationSeconds),
                transport, version, org, type, broker, token, Duration.ofSeconds(timeoutSeconds));
        return new FleetRun(io.out(), settings).run();
    }

    private void range(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(),
                    option + " must be " + min + " to " + max + ", was " + value);
        }
    }

    /**
     * An external broker's address.
     *
     * @param host the host name or address
     * @param port the TCP port, 1 to 65535
     */
    record HostPort(String host, int port) {
        /** Validates both. */
        HostPort {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("the broker's host is empty");
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("the broker's port must be 1 to 65535, was " + port);
            }
        }
    }

    /** {@code host:port}, the port after the last colon. */
    static final class HostPortConverter implements ITypeConverter<HostPort> {
        @Override
        public HostPort convert(String value) {
            int colon = value.lastIndexOf(':');
            try {
                if (colon <= 0) {
                    throw new IllegalArgumentException("expected HOST:PORT, e.g. localhost:1883");
                }
                return new HostPort(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "': the port is not a number; expected HOST:PORT");
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "': " + e.getMessage());
            }
        }
    }
}
