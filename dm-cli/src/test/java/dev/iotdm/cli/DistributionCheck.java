package dev.iotdm.cli;

import static dev.iotdm.cli.CliAssertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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

    @Test
    void the_archive_carries_a_cyclonedx_sbom_of_exactly_its_lib_jars(@TempDir Path install) throws Exception {
        assumeFalse(System.getProperty("dm-cli.offline", "").equals("offline=true"),
                "an offline build (-o) makes no SBOM: Maven skips cyclonedx:makeBom, which requires online mode");
        assertThat(run(install, "tar", "xzf", archive(".tar.gz").toString()).exitCode()).isZero();
        Path home = onlyChild(install);
        Path sbom = home.resolve("dm-cli.cdx.json");
        assertThat(sbom).as("the SBOM at the archive's root").isRegularFile();

        JsonObject bom = (JsonObject) JsonValue.parse(Files.readString(sbom, StandardCharsets.UTF_8));
        assertThat(text(bom, "bomFormat")).isEqualTo("CycloneDX");
        JsonObject metadata = (JsonObject) bom.get("metadata").orElseThrow();
        assertThat(text((JsonObject) metadata.get("component").orElseThrow(), "name")).isEqualTo("dm-cli");
        Set<String> components = new TreeSet<>();
        for (JsonValue c : ((JsonArray) bom.get("components").orElseThrow()).elements()) {
            components.add(text((JsonObject) c, "name") + "-" + text((JsonObject) c, "version") + ".jar");
        }
        Set<String> jars = new TreeSet<>();
        try (var lib = Files.list(home.resolve("lib"))) {
            lib.map(p -> p.getFileName().toString()).filter(n -> !n.equals("dm-cli.jar")).forEach(jars::add);
        }
        assertThat(components).as("the SBOM's components against lib/").isEqualTo(jars)
                .anyMatch(n -> n.startsWith("picocli-"))
                .anyMatch(n -> n.startsWith("transport-paho-"))
                .anyMatch(n -> n.startsWith("transport-netty-"));
    }

    private static String text(JsonObject object, String name) {
        return ((JsonString) object.get(name).orElseThrow(() -> new AssertionError("no " + name + " in " + object)))
                .value();
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
