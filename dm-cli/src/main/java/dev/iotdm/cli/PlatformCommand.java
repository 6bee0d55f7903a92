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
 * <p>Thread-safety: one instance per command line; its input is read on one thread while the
 * console's operations complete on others.
 */
@Command(name = "platform", mixinStandardHelpOptions = true,
        description = {"Runs the fake Watson IoT Platform for external devices, in any language: an MQTT broker on"
                + " 127.0.0.1 that authenticates registered devices (client id d:org:type:id, username"
                + " use-token-auth, password = token), answers their device-management requests and checks them"
                + " against the protocol's rules.",
                "Prints the live transcript and reads operator commands from standard input, one per line"
                        + " (type 'help'), or from --script FILE. Operations run in the background, one at a time per"
                        + " device and any number of devices at once; every other command answers at once. 'quit' or"
                        + " the end of input stops it and abandons pending operations.",
                "Tokens and passwords: prefer --token-file, --keystore-password-file or the IOTDM_TOKEN and"
                        + " IOTDM_KEYSTORE_PASSWORD variables over arguments, which every user sees in 'ps'."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped with no rule violation (with --script: and every step OK)",
                "1:stopped with rule violations or broker refusals (with --script: or a step not OK), or failed to"
                        + " start", "2:bad usage"})
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
            description = "The key store's password (and its key's). Prefer --keystore-password-file or the"
                    + " IOTDM_KEYSTORE_PASSWORD variable: arguments are visible to every user in 'ps'.")
    private String keystorePassword;

    @Option(names = "--keystore-password-file", paramLabel = "FILE",
            description = "Reads the key store's password from the first line of FILE.")
    private Path keystorePasswordFile;

    @Option(names = "--devices-pattern", paramLabel = "ORG:TYPE:ID-PATTERN",
            description = "Registers --count devices whose id is the pattern with %%d replaced by 1..N, e.g."
                    + " 'acme:sensor:dev-%%d'; their token comes from --token-file or the IOTDM_TOKEN variable.")
    private String devicesPattern;

    @Option(names = "--count", paramLabel = "N", description = "How many devices --devices-pattern registers (1 to"
            + " 100000).")
    private Integer count;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "The token of the --devices-pattern devices, the first line of FILE (default: the"
                    + " IOTDM_TOKEN variable).")
    private Path tokenFile;

    @Option(names = "--full-payloads", description = "Print payloads whole in the live transcript instead of cutting"
            + " them at 160 characters.")
    private boolean fullPayloads;

    @Option(names = "--transcript", paramLabel = "FILE",
            description = "At the end, write the complete transcript to FILE as JSON lines (the testkit's format),"
                    + " e.g. for a bug report.")
    private Path transcriptFile;

    @Option(names = "--script", paramLabel = "FILE",
            description = "Run the operator commands in FILE instead of reading standard input, with the extra steps"
                    + " 'wait-managed <device> [seconds]' and 'sleep <seconds>'; at its end, wait for the pending"
                    + " operations, stop, and exit 0 only if every operation and step ended OK and no rule was"
                    + " violated.")
    private Path script;

    @Option(names = "--cert-dir", paramLabel = "DIR",
            description = "Where generated test certificates go (default: a temporary directory removed at exit).")
    private Path certDir;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long an operation may take, 1 to 3600 seconds (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Option(names = "--show-tokens", description = "Print the tokens in the connection settings printed at start"
            + " (default: <token> / $IOTDM_TOKEN).")
    private boolean showTokens;

    @Option(names = "--no-transcript", description = "Do not print the live transcript.")
    private boolean noTranscript;

    /** A command reading from and writing to {@code io}. */
    PlatformCommand(Io io) {
        this.io = Objects.requireNonNull(io, "io");
    }

    /** The variable a --devices-pattern token comes from without --token-file. */
    static final String TOKEN_VARIABLE = "IOTDM_TOKEN";
    /** The variable the key store password comes from without --keystore-password(-file). */
    static final String KEYSTORE_PASSWORD_VARIABLE = "IOTDM_KEYSTORE_PASSWORD";

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
            ConsoleFindings findings = new ConsoleFindings(out, recorder);
            try (FakePlatform platform = FakePlatform.builder()
                    .config(PlatformConfig.defaults().withOperationTimeout(Duration.ofSeconds(timeoutSeconds)))
                    .brokerOptions(b -> {
                        b.port(port);
                        if (listener != null) {
                            b.tls(listener, tlsPort);
                        }
                    })
                    .build();
                    OperatorConsole console = new OperatorConsole(platform, findings, out,
                            Duration.ofSeconds(timeoutSeconds), script != null)) {
                platform.addObserver(recorder);
                platform.addObserver(findings);
                for (DeviceSpec d : all) {
                    try {
                        console.register(d);
                    } catch (IllegalArgumentException e) {
                        throw usage("cannot register " + d.clientId() + ": " + e.getMessage());
                    }
                }
                printBanner(platform, console, tlsNote);
                ConnectionSettingsPrinter.print(out, all, platform.broker().host(), platform.broker().port(), showTokens);
                if (!noTranscript) {
                    recorder.transcript().addListener(new TranscriptPrinter(out, true, fullPayloads));
                }
                recorder.transcript().addListener(findings.afterTranscript());
                boolean idle = readCommands(console);
                out.println("stopping the platform; rule checker: " + console.verdict());
                if (transcriptFile != null) {
                    recorder.transcript().writeJsonLines(transcriptFile);
                    out.println("transcript: " + recorder.transcript().size() + " items written to " + transcriptFile);
                }
                boolean ok = findings.isClean() && (script == null || (idle && console.notOk() == 0));
                if (script != null && console.notOk() > 0) {
                    out.println("script: " + console.notOk() + " step(s) or operation(s) did not end OK");
                }
                return ok ? DmCli.OK : DmCli.FAILED;
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
        if (keystorePassword != null && keystorePasswordFile != null) {
            throw usage("--keystore-password and --keystore-password-file exclude each other");
        }
        if (keystorePasswordFile != null) {
            keystorePassword = firstLine(keystorePasswordFile, "--keystore-password-file");
        } else if (keystorePassword == null && keystore != null) {
            keystorePassword = io.env().get(KEYSTORE_PASSWORD_VARIABLE);
        }
        if ((keystore == null) != (keystorePassword == null)) {
            throw usage("--keystore needs its password: --keystore-password-file FILE, the " + KEYSTORE_PASSWORD_VARIABLE
                    + " variable or --keystore-password; a password needs --keystore");
        }
        if (keystore != null && !Files.isRegularFile(keystore)) {
            throw usage("--keystore " + keystore + " is not a readable file");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw usage("--timeout must be 1 to 3600 seconds, was " + timeoutSeconds);
        }
        if (script != null && !Files.isRegularFile(script)) {
            throw usage("--script " + script + " is not a readable file");
        }
        List<DeviceSpec> all = new ArrayList<>(devices);
        if (devicesFile != null) {
            try {
                all.addAll(DeviceSpec.readFile(devicesFile));
            } catch (IllegalArgumentException e) {
                throw usage("--devices-file: " + e.getMessage());
            }
        }
        all.addAll(patternDevices());
        return all;
    }

    /** The --devices-pattern devices, with their token from --token-file or the variable. */
    private List<DeviceSpec> patternDevices() {
        if (devicesPattern == null) {
            if (count != null || tokenFile != null) {
                throw usage("--count and --token-file go with --devices-pattern");
            }
            return List.of();
        }
        if (count == null || count < 1 || count > 100_000) {
            throw usage("--devices-pattern needs --count 1 to 100000" + (count == null ? "" : ", was " + count));
        }
        String[] parts = devicesPattern.split(":", -1);
        if (parts.length != 3 || !parts[2].contains("%d") || parts[2].indexOf("%d") != parts[2].lastIndexOf("%d")) {
            throw usage("--devices-pattern must be org:type:id with one %d in the id, e.g. acme:sensor:dev-%d; was '"
                    + devicesPattern + "'");
        }
        String token = tokenFile != null ? firstLine(tokenFile, "--token-file") : io.env().get(TOKEN_VARIABLE);
        if (token == null || token.isEmpty()) {
            throw usage("--devices-pattern needs a token: --token-file FILE or the " + TOKEN_VARIABLE + " variable");
        }
        List<DeviceSpec> specs = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            try {
                specs.add(new DeviceSpec(parts[0], parts[1], parts[2].replace("%d", Integer.toString(i)), token));
            } catch (IllegalArgumentException e) {
                throw usage("--devices-pattern: " + e.getMessage());
            }
        }
        return specs;
    }

    private String firstLine(Path file, String option) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            String line = lines.findFirst().map(String::strip).orElse("");
            if (line.isEmpty()) {
                throw usage(option + " " + file + " is empty: its first line must hold the secret");
            }
            return line;
        } catch (IOException | UncheckedIOException e) {
            throw usage(option + ": cannot read " + file + ": " + e.getMessage());
        }
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

    /**
     * Reads operator commands until quit or the end of input; a script's end waits for the pending
     * operations first.
     *
     * @return false if a script's operations were still pending at the bound and were abandoned
     */
    private boolean readCommands(OperatorConsole console) throws IOException, InterruptedException {
        if (script == null) {
            BufferedReader in = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!console.handle(line)) {
                    return true;
                }
            }
            console.quit();
            return true;
        }
        for (String line : Files.readAllLines(script, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.strip().startsWith("#")) {
                io.out().println("> " + line.strip());
            }
            if (!console.handle(line)) {
                return true;
            }
        }
        return console.awaitIdle();
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
