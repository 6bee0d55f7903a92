package dev.iotdm.conformance.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Qos;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * Issue #10, secrets: with our own logging at TRACE (dm-client, the transport SPI, the Paho and
 * Netty transports) and Paho's own logging at its finest level bridged to SLF4J, a device that
 * connects with a token, manages, publishes and closes writes the token in no log line, neither
 * as text nor as its decimal byte list (Paho's CONNECT trace prints the password that way).
 */
class TokenNeverLoggedTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> TRACED = List.of("dev.iotdm.client", "dev.iotdm.transport",
            "dev.iotdm.protocol", "org.eclipse.paho");

    private static FakePlatform platform;
    private static final Capture CAPTURE = new Capture();
    private static final Map<String, Level> LEVELS = new java.util.HashMap<>();

    @BeforeAll
    static void traceEverything() {
        platform = FakePlatform.start();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        CAPTURE.setContext(context);
        CAPTURE.start();
        for (String name : TRACED) {
            Logger logger = context.getLogger(name);
            LEVELS.put(name, logger.getLevel());
            logger.setLevel(Level.TRACE);
            logger.addAppender(CAPTURE);
            logger.setAdditive(false); // thousands of TRACE lines need not reach the console
        }
    }

    @AfterAll
    static void restore() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (String name : TRACED) {
            Logger logger = context.getLogger(name);
            logger.detachAppender(CAPTURE);
            logger.setLevel(LEVELS.get(name));
            logger.setAdditive(true);
        }
        CAPTURE.stop();
        if (platform != null) {
            platform.close();
        }
    }

    @ParameterizedTest(name = "{0} MQTT {1}")
    @CsvSource({"paho, MQTT_5", "netty, MQTT_3_1_1", "netty, MQTT_5"})
    void the_token_appears_in_no_log_line_at_the_finest_level(String transport, MqttVersion version) throws Exception {
        String deviceId = "secret-" + transport + "-" + version.ordinal();
        String token = "tok-" + deviceId + "-Zq8vW3xK";
        String clientId = platform.registerDevice("org1", "secrets", deviceId, token);
        DeviceOptions options = DeviceOptions.builder().org("org1").typeId("secrets").deviceId(deviceId).token(token)
                .host(platform.broker().host()).port(platform.broker().port()).withoutTls().mqttVersion(version)
                .build();
        CAPTURE.lines.clear();
        try (ManagedClient client = ManagedClient.builder(options).transport(transport).build()) {
            ManagedClient.await(client.connect(), WAIT);
            ManagedClient.await(client.manage(ManageParams.of(3600, false, false)), WAIT);
            ManagedClient.await(client.publishEvent("status", JsonObject.builder().put("ok", 1).build(),
                    Qos.AT_LEAST_ONCE), WAIT);
            platform.awaitEvent(clientId, "status", WAIT);
        }
        List<String> lines = new ArrayList<>(CAPTURE.lines);
        byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
        String decimal = IntStream.range(0, bytes.length).mapToObj(i -> Integer.toString(bytes[i]))
                .collect(Collectors.joining(", "));

        assertThat(lines).as("TRACE lines were captured").isNotEmpty();
        if (transport.equals("paho")) {
            assertThat(lines).as("Paho's CONNECT trace was bridged, its password blanked")
                    .anyMatch(l -> l.contains("password=[***]"));
        }
        assertThat(lines).noneMatch(l -> l.contains(token))
                .noneMatch(l -> l.contains(decimal))
                .noneMatch(l -> l.contains(decimal.replace(" ", "")));
    }

    /** Keeps every formatted line (message and stack trace) written to the traced loggers. */
    private static final class Capture extends AppenderBase<ILoggingEvent> {
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        @Override
        protected void append(ILoggingEvent event) {
            String thrown = event.getThrowableProxy() == null ? ""
                    : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
            lines.add(event.getLoggerName() + " " + event.getFormattedMessage() + thrown);
        }
    }
}
