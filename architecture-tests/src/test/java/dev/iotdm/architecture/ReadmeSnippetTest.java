package dev.iotdm.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.testkit.platform.DeviceView;
import dev.iotdm.testkit.platform.FakePlatform;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's client snippet, taken from README.md itself so the two cannot drift, compiles and
 * manages a device against the fake platform, as the README tells a new user to run it. Only the
 * port changes: the README's {@code --port 1883} becomes the free port the platform got here.
 */
class ReadmeSnippetTest {

    private static final String MARKER = "<!-- readme-snippet:device";
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    private static FakePlatform platform;

    @BeforeAll
    static void startPlatform() {
        platform = FakePlatform.start();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void the_readme_snippet_manages_a_device_on_the_platform_started_as_the_readme_says(@TempDir Path work)
            throws Exception {
        String clientId = platform.registerDevice("myorg", "sensor", "dev-1", "secret-token");
        assertThat(platform.broker().host()).as("the README tells the snippet to use 127.0.0.1").isEqualTo("127.0.0.1");

        String snippet = readmeSnippet();
        assertThat(snippet).contains(".port(1883)");
        Path sources = Files.createDirectories(work.resolve("src"));
        Files.writeString(sources.resolve("Device.java"),
                snippet.replace(".port(1883)", ".port(" + platform.broker().port() + ")"));
        Path classes = work.resolve("classes");
        Javac.compile("the README's snippet", sources, classes,
                List.of("-classpath", System.getProperty("java.class.path")));

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeSnippetTest.class.getClassLoader())) {
            Method main = loader.loadClass("Device").getMethod("main", String[].class);
            main.invoke(null, (Object) new String[0]);
        }

        DeviceView device = platform.awaitManaged(clientId, Duration.ofSeconds(30));
        assertThat(device.deviceInfo()).hasValueSatisfying(info -> assertThat(info.fwVersion()).hasValue("1.0.3"));
        assertThat(device.location()).hasValueSatisfying(location -> {
            assertThat(location.latitude()).isEqualTo(30.28565);
            assertThat(location.longitude()).isEqualTo(-97.73921);
        });
    }

    /** The first {@code ```java} block after the marker comment in README.md. */
    private static String readmeSnippet() throws Exception {
        Path readme = Path.of(System.getProperty("iotdm.readme", ".." + File.separator + "README.md"));
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int marker = text.indexOf(MARKER);
        assertThat(marker).as("%s in %s", MARKER, readme.toAbsolutePath()).isNotNegative();
        Matcher block = JAVA_BLOCK.matcher(text);
        assertThat(block.find(marker)).as("a java block after %s", MARKER).isTrue();
        return block.group(1);
    }
}
