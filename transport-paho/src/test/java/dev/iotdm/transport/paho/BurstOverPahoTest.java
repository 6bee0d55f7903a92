package dev.iotdm.transport.paho;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.testkit.broker.DevicePublish;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.tck.ContractBroker;
import dev.iotdm.protocol.json.JsonNumber;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A burst far beyond the broker's Receive Maximum over real sockets: Paho refuses a publish
 * beyond its window (32202), and the client's one outbound queue makes every request and every
 * event wait for room instead of failing.
 */
@Timeout(120)
class BurstOverPahoTest {

    private static final int BURST = 200;
    private static final Pattern REQ_ID = Pattern.compile("\"reqId\"\\s*:\\s*\"([^\"]*)\"");
    private static final AtomicInteger EVENTS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static ContractBroker platform;

    @BeforeAll
    static void startBroker() {
        platform = ContractBroker.plain(BurstOverPahoTest::answerRequests);
    }

    @AfterAll
    static void stopBroker() {
        platform.close();
    }

    /** The platform answers every device request 200 and counts the events. */
    private static void answerRequests(DevicePublish publish) {
        if (publish.topic().startsWith("iot-2/evt/")) {
            EVENTS.incrementAndGet();
            return;
        }
        if (publish.topic().equals("iotdevice-1/response") || publish.topic().equals("iotdevice-1/notify")) {
            return;
        }
        Matcher reqId = REQ_ID.matcher(new String(publish.payload(), StandardCharsets.UTF_8));
        if (reqId.find()) {
            String answer = "{\"rc\":200,\"reqId\":\"" + reqId.group(1) + "\"}";
            platform.broker().sendToDevice(publish.clientId(), "iotdm-1/response",
                    answer.getBytes(StandardCharsets.UTF_8), 1, WAIT);
        }
    }

    @Test
    void a_burst_of_requests_and_qos1_events_beyond_the_window_loses_nothing() throws Exception {
        ContractBroker.Device device = platform.newDevice();
        DeviceOptions options = DeviceOptions.builder()
                .org(ContractBroker.ORG).typeId(ContractBroker.TYPE).deviceId(device.deviceId()).token(device.token())
                .host(platform.broker().host()).port(platform.broker().port()).withoutTls()
                .build();
        try (ManagedClient client = ManagedClient.builder(options).transport("paho")
                .requestTimeout(Duration.ofSeconds(60)).build()) {
            ManagedClient.await(client.connect(), WAIT);
            ManagedClient.await(client.manage(3600, false, false), WAIT);

            List<CompletableFuture<PlatformResponse>> requests = new ArrayList<>();
            List<CompletableFuture<Void>> events = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                requests.add(client.addErrorCode(i));
                events.add(client.publishEvent("burst", JsonNumber.of(i), Qos.AT_LEAST_ONCE));
            }

            CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
            CompletableFuture.allOf(events.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
            assertThat(requests).allSatisfy(r -> assertThat(r.join().rc().code()).isEqualTo(200));
            assertThat(EVENTS.get()).isEqualTo(BURST);
        }
    }
}
