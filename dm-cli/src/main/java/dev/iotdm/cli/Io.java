package dev.iotdm.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Objects;

/**
 * The streams of one run of the command line: operator input, normal output and errors.
 *
 * @param in operator commands (the {@code platform} command reads it line by line)
 * @param out transcripts, tables and outcomes
 * @param err errors and usage messages
 */
record Io(InputStream in, PrintStream out, PrintStream err) {

    /** Requires every stream. */
    Io {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }
}
