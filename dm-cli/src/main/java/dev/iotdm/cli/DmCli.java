package dev.iotdm.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code dm-cli} entry point: {@code demo} runs every device-management feature between a
 * managed device and the fake platform over a real socket; {@code platform} serves the fake
 * platform to devices written in any language; {@code conformance} checks such a device against the
 * rule book and writes a report.
 *
 * <p>{@link #main(String[])} is for the command line; {@link #run} is the same program with its
 * streams passed in, for tests and embedding. Exit codes: {@link #OK}, {@link #FAILED},
 * {@link #USAGE}.
 *
 * <p>Thread-safety: {@link #run} may be called from several threads at once; each call has its
 * own commands and resources.
 */
@Command(name = "dm-cli", mixinStandardHelpOptions = true, versionProvider = DmCli.Version.class,
        description = {"The iotdm command line: a one-command demo of the Watson IoT Platform device-management"
                + " protocol, the fake platform as a server for devices written in any language, and a"
                + " conformance check of such a device."},
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a step failed or a rule was violated", "2:bad usage"})
public final class DmCli implements Callable<Integer> {

    /** Exit code: every step succeeded and no rule was violated. */
    public static final int OK = 0;
    /** Exit code: a step failed or the rule checker found a violation. */
    public static final int FAILED = 1;
    /** Exit code: the arguments were wrong. */
    public static final int USAGE = 2;

    /** The logback configuration the command line uses unless one is given with -Dlogback.configurationFile. */
    static final String LOGBACK_CONFIGURATION = "dev/iotdm/cli/logback-cli.xml";

    // Paho logs through java.util.logging, at SEVERE when a connection closes under it, which the
    // demo's reboot does on purpose; main() silences it (run() leaves the embedding JVM's logging
    // alone). A strong reference keeps the level: JUL holds loggers weakly.
    private static final Logger PAHO_JUL = Logger.getLogger("org.eclipse.paho");

    @Spec
    private CommandSpec spec;

    private DmCli() {
    }

    /**
     * Runs the command line and exits the JVM with a non-zero exit code on failure; on success it
     * returns and the JVM ends by itself, since every command closes what it started.
     *
     * @param args the command and its options, as {@code dm-cli --help} lists them
     */
    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIGURATION);
        }
        PAHO_JUL.setLevel(Level.OFF);
        int code = run(args, System.in, System.out, System.err);
        if (code != OK) {
            System.exit(code);
        }
    }

    /**
     * Runs the command line with these streams.
     *
     * @param args the arguments, e.g. {@code demo} or {@code platform --device o:t:d:token}
     * @param in what the {@code platform} command reads operator commands from
     * @param out where transcripts, tables and outcomes go
     * @param err where errors and usage messages go
     * @return the exit code: {@link #OK}, {@link #FAILED} or {@link #USAGE}
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, in, out, err, System.getenv());
    }

    /** {@link #run(String[], InputStream, PrintStream, PrintStream)} with these environment variables. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        Objects.requireNonNull(args, "args");
        Io io = new Io(Objects.requireNonNull(in, "in"), Objects.requireNonNull(out, "out"),
                Objects.requireNonNull(err, "err"), env);
        CommandLine cli = commandLine(io);
        return cli.execute(args);
    }

    /** The command tree wired to {@code io}, with our exit codes and error printing. */
    static CommandLine commandLine(Io io) {
        CommandLine cli = new CommandLine(new DmCli());
        cli.addSubcommand(new CommandLine(new DemoCommand(io)));
        cli.addSubcommand(new CommandLine(new PlatformCommand(io)));
        cli.addSubcommand(new CommandLine(new ConformanceCommand(io)));
        cli.addSubcommand(new CommandLine(new FleetCommand(io)));
        // "dm-cli help [command]" works like --help.
        cli.addSubcommand(new CommandLine(new CommandLine.HelpCommand()));
        cli.setOut(new PrintWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, args) -> {
            // The problem and where to read more; the full usage would bury the message.
            CommandLine failed = e.getCommandLine();
            PrintWriter err = failed.getErr();
            err.println("error: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // A failure while running is reported in one line, without a stack trace from deep inside.
            commandLine.getErr().println("error: " + describe(e));
            return FAILED;
        });
        return cli;
    }

    /** Without a command, the usage goes to standard error and the exit code says "bad usage". */
    @Override
    public Integer call() {
        spec.commandLine().getErr()
                .println("error: missing command: choose demo, platform or conformance (dm-cli help lists them)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** The message of a failure, or its type when it has none. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** The project version from the jar manifest, if any. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = DmCli.class.getPackage().getImplementationVersion();
            return new String[] {"dm-cli " + (v == null ? "(development build)" : v)};
        }
    }
}
