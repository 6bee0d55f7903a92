package dev.iotdm.cli;

import static dev.iotdm.cli.CliAssertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installable archives that the package phase built: unpacked into a temporary directory and
 * run from another directory, as a user would. Runs in the integration-test phase (after package),
 * not with the unit tests; the archives' path comes from the {@code dm-cli.distribution} property.
 */
class DistributionCheck {

    private static final long WAIT_SECONDS = 60;

    private static Path archive(String extension) {
        String base = System.getProperty("dm-cli.distribution");
        assertThat(base).as("the dm-cli.distribution property set by the pom").isNotNull();
        return Path.of(base + extension);
    }

    @Test
    void the_tar_gz_unpacked_anywhere_runs_from_another_directory(@TempDir Path install,
            @TempDir Path elsewhere) throws Exception {
        Path archive = archive(".tar.gz");
        assertThat(run(install, "tar", "xzf", archive.toString()).exitCode()).isZero();
        Path home = onlyChild(install);
        Path launcher = home.resolve("bin/dm-cli");
        assertThat(launcher).isExecutable();
        assertThat(home.resolve("bin/dm-cli.bat")).isRegularFile();
        assertThat(home.resolve("lib/dm-cli.jar")).isRegularFile();

        Result version = run(elsewhere, launcher.toString(), "--version");
        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output()).startsWith("dm-cli ").doesNotContain("development build");
    }

    @Test
    void the_zip_holds_the_same_launchers_and_libraries() throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive(".zip")))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                names.add(e.getName());
            }
        }
        String base = archive("").getFileName().toString();
        assertThat(names).contains(base + "/bin/dm-cli", base + "/bin/dm-cli.bat", base + "/lib/dm-cli.jar")
                .anyMatch(n -> n.startsWith(base + "/lib/picocli-"))
                .anyMatch(n -> n.startsWith(base + "/lib/transport-paho-"));
    }

    private static Path onlyChild(Path dir) throws IOException {
        try (var children = Files.list(dir)) {
            List<Path> all = children.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Path dir, String... command) throws IOException, InterruptedException {
        // Output goes to a file, so that a hanging process cannot block the read: the wait has the timeout.
        Path log = Files.createTempFile("dm-cli-run-", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            assertThat(ended).as("%s ended within %d s", String.join(" ", command), WAIT_SECONDS).isTrue();
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
