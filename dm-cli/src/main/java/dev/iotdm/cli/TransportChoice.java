package dev.iotdm.cli;

import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Transports;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --transport} and {@code --mqtt-version} options of the commands that run devices:
 * the transport must be one ServiceLoader finds, and the version defaults to its preferred one.
 *
 * <p>Thread-safety: stateless.
 */
final class TransportChoice {

    private TransportChoice() {
    }

    /**
     * The MQTT version to speak over {@code transport}.
     *
     * @param spec the command, for the usage error
     * @param transport the provider name given with {@code --transport}
     * @param requested the version given with {@code --mqtt-version}, or null
     * @return {@code requested}, or the transport's preferred version
     * @throws ParameterException naming the available transports when {@code transport} is not one
     */
    static MqttVersion version(CommandSpec spec, String transport, MqttVersion requested) {
        List<String> available = Transports.available();
        if (!available.contains(transport)) {
            throw new ParameterException(spec.commandLine(), "unknown transport '" + transport + "' for --transport;"
                    + " available: " + (available.isEmpty() ? "none" : String.join(", ", available)));
        }
        return requested != null ? requested : Transports.provider(transport).orElseThrow().preferredVersion();
    }
}
