package dev.iotdm.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.testkit.platform.DeviceView;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.transport.paho.PahoTransportProvider;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
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
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A user's application, compiled here with javac, connects to the fake platform over a real
 * loopback socket and manages, in the two ways the README promises:
 * <ul>
 *   <li>on the module path: a tiny named module that requires {@code dev.iotdm.client} only is
 *       launched with {@code java --module-path ... -m ...} in its own JVM and finds transport-paho
 *       through its {@code provides} clause. This proves the module descriptors of dm-protocol,
 *       dm-client and transport-paho resolve together (Paho as an automatic module);</li>
 *   <li>the README's client snippet, taken from README.md itself so the two cannot drift. Only the
 *       port changes: the README's {@code --port 1883} becomes the free port the platform got here.</li>
 * </ul>
 * One platform serves both (an embedded broker takes about 4 s to stop).
 */
class UserApplicationTest {

    private static final String MODULE = "dev.iotdm.sample.modulepath";
    private static final String README_MARKER = "<!-- readme-snippet:device";
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
    void a_managed_client_over_paho_connects_and_manages_on_the_module_path(@TempDir Path work) throws Exception {
        String clientId = platform.registerDevice("org1", "sensor", "module-path-1", "module-path-token");
        String modulePath = String.join(File.pathSeparator, Stream.of(
                        JsonValue.class, ManagedClient.class, PahoTransportProvider.class, MqttAsyncClient.class,
                        JsonFactory.class, LoggerFactory.class)
                .map(Javac::locationOf).toList());
        Path classes = work.resolve("classes");
        Javac.compile("the module-path sample", resource("modulepath"), classes, List.of("--module-path", modulePath));

        Path output = work.resolve("output.txt");
        ProcessBuilder launch = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath + File.pathSeparator + classes,
                "-m", MODULE + "/" + MODULE + ".Main",
                platform.broker().host(), Integer.toString(platform.broker().port()),
                "org1", "sensor", "module-path-1")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        launch.environment().put("IOTDM_TOKEN", "module-path-token");
        Process process = launch.start();
        boolean exited = process.waitFor(3, TimeUnit.MINUTES);
        if (!exited) {
            process.destroyForcibly();
        }
        String printed = Files.readString(output);

        assertThat(exited).as("the module-path application exits within 3 minutes; it printed:%n%s", printed).isTrue();
        assertThat(process.exitValue()).as("exit code; it printed:%n%s", printed).isZero();
        assertThat(printed)
                .contains("client module: dev.iotdm.client")
                .contains("transport providers: dev.iotdm.transport.paho/PahoTransportProvider")
                .contains("manage rc: 200");
        assertThat(platform.awaitManaged(clientId, Duration.ofSeconds(30)).managed()).isTrue();
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
                UserApplicationTest.class.getClassLoader())) {
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
        Path readme = Path.of(System.getProperty("iotdm.root", "..")).resolve("README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int marker = text.indexOf(README_MARKER);
        assertThat(marker).as("%s in %s", README_MARKER, readme.toAbsolutePath()).isNotNegative();
        Matcher block = JAVA_BLOCK.matcher(text);
        assertThat(block.find(marker)).as("a java block after %s", README_MARKER).isTrue();
        return block.group(1);
    }

    private static Path resource(String name) {
        try {
            return Path.of(UserApplicationTest.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no file location for test resource " + name, e);
        }
    }
}
