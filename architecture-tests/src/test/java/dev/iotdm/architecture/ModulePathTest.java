package dev.iotdm.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.transport.paho.PahoTransportProvider;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A user's application on the module path: a tiny named module that requires {@code dev.iotdm.client}
 * is compiled with javac and launched with {@code java --module-path ... -m ...} in its own JVM. It
 * finds transport-paho through its {@code provides} clause, connects to a fake platform on a real
 * loopback socket and manages. This proves the module descriptors of dm-protocol, dm-client and
 * transport-paho resolve together (and that Paho resolves as an automatic module).
 */
class ModulePathTest {

    private static final String MODULE = "dev.iotdm.sample.modulepath";

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
        compileSample(modulePath, classes);

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

    private static void compileSample(String modulePath, Path classes) throws IOException {
        Javac.compile("the module-path sample", resource("modulepath"), classes, List.of("--module-path", modulePath));
    }

    private static Path resource(String name) {
        try {
            return Path.of(ModulePathTest.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no file location for test resource " + name, e);
        }
    }
}
