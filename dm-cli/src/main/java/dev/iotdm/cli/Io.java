package dev.iotdm.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/**
 * The streams of one run of the command line: operator input, normal output and errors.
 *
 * @param in operator commands (the {@code platform} command reads it line by line)
 * @param out transcripts, tables and outcomes
 * @param err errors and usage messages
 * @param env the environment variables (tokens and passwords may come from there, not from the command line)
 */
record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {

    /** Requires every stream and copies the environment. */
    Io {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        env = Map.copyOf(env);
    }

    /** The streams with this process's environment. */
    Io(InputStream in, PrintStream out, PrintStream err) {
        this(in, out, err, System.getenv());
    }
}
