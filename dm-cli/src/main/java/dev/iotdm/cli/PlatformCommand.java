package dev.iotdm.cli;

import dev.iotdm.testkit.broker.TlsListener;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.platform.PlatformConfig;
import dev.iotdm.testkit.platform.PlatformRecorder;
import dev.iotdm.testkit.tls.TestCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dm-cli platform}: the fake platform (embedded broker with the platform's authentication
 * and topic permissions, platform engine, rule checker) as a server for devices written in any
 * language, driven by operator commands read from standard input, one per line.
 *
 * <p>It owns the platform, its broker and, when it generated them, the test certificates'
 * directory, and closes them all when input ends or {@code quit} is read.
 *
 * <p>Thread-safety: one instance per command line, used on one thread.
 */
@Command(name = "platform", mixinStandardHelpOptions = true,
        description = {"Runs the fake Watson IoT Platform for external devices, in any language: an MQTT broker on"
                + " 127.0.0.1 that authenticates registered devices (client id d:org:type:id, username"
                + " use-token-auth, password = token), answers their device-management requests and checks them"
                + " against the protocol's rules.",
                "Prints the live transcript and reads operator commands from standard input, one per line"
                        + " (type 'help'); 'quit' or the end of input stops it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped with no rule violation", "1:stopped with rule violations, or failed to start",
                "2:bad usage"})
final class PlatformCommand implements Callable<Integer> {

    /** The password of generated test key and trust stores: throwaway test material, not a secret. */
    static final String GENERATED_STORE_PASSWORD = "changeit";

    private final Io io;

    @Spec
    private CommandSpec spec;

    @Option(names = "--device", paramLabel = "ORG:TYPE:ID:TOKEN", converter = Converters.DeviceSpecConverter.class,
            description = "Registers a device (repeatable). The token may contain ':'.")
    private List<DeviceSpec> devices = new ArrayList<>();

    @Option(names = "--devices-file", paramLabel = "FILE",
            description = "Registers the devices in FILE: one ORG:TYPE:ID:TOKEN per line, '#' starts a comment.")
    private Path devicesFile;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
            description = "The plain MQTT port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--tls-port", paramLabel = "PORT",
            description = "Also listen for MQTT over TLS on this port of 127.0.0.1; 0 picks a free one.")
    private Integer tlsPort;

    @Option(names = "--keystore", paramLabel = "FILE",
            description = "The TLS server key store (PKCS12 or JKS). Without it, test certificates are generated.")
    private Path keystore;

    @Option(names = "--keystore-password", paramLabel = "PASSWORD",
            description = "The key store's password (and its key's).")
    private String keystorePassword;

    @Option(names = "--cert-dir", paramLabel = "DIR",
            description = "Where generated test certificates go (default: a temporary directory removed at exit).")
    private Path certDir;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long an operation may take, 1 to 3600 seconds (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Option(names = "--no-transcript", description = "Do not print the live transcript.")
    private boolean noTranscript;

    /** A command reading from and writing to {@code io}. */
    PlatformCommand(Io io) {
        this.io = Objects.requireNonNull(io, "io");
    }

    @Override
    public Integer call() throws Exception {
        List<DeviceSpec> all = checkedOptions();
        PrintStream out = io.out();
        Path generatedDir = null;
        try {
            TlsListener tls = null;
            String tlsNote = null;
            if (tlsPort != null) {
                if (keystore != null) {
                    tls = tlsListener(keystore, keystorePassword);
                    tlsNote = "server key store " + keystore;
                } else {
                    Path dir = certDir;
                    if (dir == null) {
                        dir = Files.createTempDirectory("iotdm-platform-certs-");
                        generatedDir = dir;
                    }
                    TestCertificates.WrittenFiles files = TestCertificates.generate()
                            .writeTo(dir, GENERATED_STORE_PASSWORD.toCharArray());
                    tls = TlsListener.serverOnly(files.serverKeyStore(), GENERATED_STORE_PASSWORD);
                    tlsNote = "generated test certificates in " + dir + ": trust " + files.caPem()
                            + " (or " + files.caTrustStore() + ", password " + GENERATED_STORE_PASSWORD + ")";
                }
            }
            TlsListener listener = tls;
            PlatformRecorder recorder = new PlatformRecorder();
            try (FakePlatform platform = FakePlatform.builder()
                    .config(PlatformConfig.defaults().withOperationTimeout(Duration.ofSeconds(timeoutSeconds)))
                    .brokerOptions(b -> {
                        b.port(port);
                        if (listener != null) {
                            b.tls(listener, tlsPort);
                        }
                    })
                    .build()) {
                platform.addObserver(recorder);
                OperatorConsole console = new OperatorConsole(platform, recorder, out,
                        Duration.ofSeconds(timeoutSeconds));
                for (DeviceSpec d : all) {
                    console.register(d);
                }
                printBanner(platform, console, tlsNote);
                if (!noTranscript) {
                    recorder.transcript().addListener(new TranscriptPrinter(out, true));
                }
                readCommands(console);
                String verdict = console.verdict();
                out.println("stopping the platform; rule checker: " + verdict);
                return recorder.report().isClean() ? DmCli.OK : DmCli.FAILED;
            }
        } finally {
            if (generatedDir != null) {
                deleteRecursively(generatedDir);
            }
        }
    }

    /** Checks the options that picocli cannot, and reads the device file. */
    private List<DeviceSpec> checkedOptions() {
        if (port < 0 || port > 65535) {
            throw usage("--port must be 0 to 65535, was " + port);
        }
        if (tlsPort != null && (tlsPort < 0 || tlsPort > 65535)) {
            throw usage("--tls-port must be 0 to 65535, was " + tlsPort);
        }
        if (tlsPort == null && (keystore != null || certDir != null)) {
            throw usage("--keystore and --cert-dir need --tls-port");
        }
        if (keystore != null && certDir != null) {
            throw usage("--keystore and --cert-dir exclude each other: give a key store, or let test certificates"
                    + " be generated into --cert-dir");
        }
        if ((keystore == null) != (keystorePassword == null)) {
            throw usage("--keystore and --keystore-password go together");
        }
        if (keystore != null && !Files.isRegularFile(keystore)) {
            throw usage("--keystore " + keystore + " is not a readable file");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw usage("--timeout must be 1 to 3600 seconds, was " + timeoutSeconds);
        }
        List<DeviceSpec> all = new ArrayList<>(devices);
        if (devicesFile != null) {
            try {
                all.addAll(DeviceSpec.readFile(devicesFile));
            } catch (IllegalArgumentException e) {
                throw usage("--devices-file: " + e.getMessage());
            }
        }
        return all;
    }

    private TlsListener tlsListener(Path store, String password) {
        try {
            return TlsListener.serverOnly(store, password);
        } catch (IllegalArgumentException e) {
            throw usage("--keystore: " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private void printBanner(FakePlatform platform, OperatorConsole console, String tlsNote) {
        PrintStream out = io.out();
        String host = platform.broker().host();
        out.println("iotdm fake platform is running");
        out.println("  listening: mqtt://" + host + ":" + platform.broker().port() + " (plain MQTT 3.1.1 and 5)");
        if (tlsNote != null) {
            out.println("  listening: mqtts://" + host + ":" + platform.broker().tlsPort() + " (TLS; " + tlsNote + ")");
        }
        out.println("  devices connect with client id d:<org>:<type>:<id>, username use-token-auth, password = token;");
        out.println("  they publish on iotdevice-1/... and iot-2/evt/<event>/fmt/<format>, and subscribe to iotdm-1/#"
                + " and iot-2/cmd/+/fmt/+");
        List<String> ids = console.clientIds();
        out.println("  registered: " + (ids.isEmpty() ? "none (use 'register <org:type:id:token>')"
                : String.join(", ", ids)));
        out.println("Type 'help' for the operator commands; 'quit' or the end of input stops the platform.");
    }

    private void readCommands(OperatorConsole console) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (!console.handle(line)) {
                return;
            }
        }
    }

    private void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            io.err().println("note: could not delete " + root + ": " + e.getMessage());
        }
    }
}
