package dev.iotdm.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The exit code and the two output streams of one in-process run of the command line.
 *
 * @param exitCode what {@link DmCli#run} returned
 * @param out standard output
 * @param err standard error
 */
record CliResult(int exitCode, String out, String err) {

    /** Runs the command line with no input and captures its output. */
    static CliResult run(String... args) {
        return runWith(System.getenv(), args);
    }

    /** Runs the command line with no input and these environment variables, and captures its output. */
    static CliResult runWith(java.util.Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = DmCli.run(args, new ByteArrayInputStream(new byte[0]), o, e, env);
        }
        return new CliResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
