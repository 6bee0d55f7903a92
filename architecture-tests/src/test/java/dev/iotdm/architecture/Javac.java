package dev.iotdm.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/** Compiles Java sources that tests write or extract (the JDK's own compiler, in this JVM). */
final class Javac {

    private Javac() {
    }

    /**
     * Compiles every {@code .java} file under {@code sources} into {@code classes}.
     *
     * @param what names the sources in the failure message
     * @param options javac options before the files (class path or module path)
     */
    static void compile(String what, Path sources, Path classes, List<String> options) throws IOException {
        List<String> arguments = new ArrayList<>(options);
        arguments.addAll(List.of("-d", classes.toString()));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).forEach(arguments::add);
        }
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler()
                .run(null, diagnostics, diagnostics, arguments.toArray(String[]::new));
        assertThat(status).as("javac of %s:%n%s", what, diagnostics.toString(StandardCharsets.UTF_8)).isZero();
    }

    /** The jar (or classes directory, in a reactor build) a class was loaded from. */
    static String locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no file location for " + type, e);
        }
    }
}
