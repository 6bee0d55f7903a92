package dev.iotdm.transport.paho;

import static dev.iotdm.transport.paho.Futures.await;
import static dev.iotdm.transport.paho.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.Secret;
import dev.iotdm.transport.Subscription;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A closed {@link PahoTransport} leaves no thread behind, whatever state it was closed in. */
class PahoThreadsTest {

    private static final int CYCLES = 200;
    private static final int PARALLEL = 8; // Paho spends most of a connect asleep, so cycles overlap well
    private static final Duration THREADS_END_WITHIN = Duration.ofSeconds(5); // less than an idle thread lives

    private static TestBroker platform;
    /** Accepts TCP connections into its backlog and never answers: connects to it stay pending. */
    private static ServerSocket silent;

    @BeforeAll
    static void startBroker() throws IOException {
        platform = TestBroker.plain();
        silent = new ServerSocket(0, CYCLES, InetAddress.getLoopbackAddress());
    }

    @AfterAll
    static void stopBroker() throws IOException {
        silent.close();
        platform.close();
    }

    @Test
    void two_hundred_connect_disconnect_close_cycles_leave_no_thread_behind() throws Exception {
        Set<Thread> before = Threads.ofTransports();
        AtomicInteger next = new AtomicInteger();
        ExecutorService runners = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int r = 0; r < PARALLEL; r++) {
                runs.add(runners.submit(() -> {
                    for (int i = next.getAndIncrement(); i < CYCLES; i = next.getAndIncrement()) {
                        cycle(i);
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(3, TimeUnit.MINUTES);
            }
        } finally {
            runners.shutdownNow();
            assertThat(runners.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        Set<Thread> left = Threads.awaitNone(t -> !before.contains(t) && Threads.isTransportThread(t),
                THREADS_END_WITHIN);
        assertThat(left).as("threads left by closed transports: %s", Threads.names(left)).isEmpty();
    }

    /** One transport's life; the kind of life varies so that every way to close it is covered. */
    private static void cycle(int i) throws Exception {
        TestBroker.Device device = platform.newDevice();
        PahoTransport t = new PahoTransport();
        try {
            switch (i % 5) {
                case 0 -> {
                    await(t.connect(platform.options(device).build(), new RecordingListener()));
                    await(t.disconnect());
                }
                case 1 -> await(t.connect(platform.options(device).build(), new RecordingListener()));
                case 2 -> assertThat(failureOf(t.connect(platform.options(device)
                        .credentials("use-token-auth", Secret.of("wrong")).build(), new RecordingListener())))
                        .isInstanceOf(ConnectFailureException.class);
                case 3 -> {
                    // closed while the connect is still waiting for CONNACK
                    CompletableFuture<?> pending = t.connect(platform.options(device).host("127.0.0.1")
                            .port(silent.getLocalPort()).build(), new RecordingListener());
                    t.close();
                    assertThat(failureOf(pending)).isInstanceOf(ConnectFailureException.class);
                }
                default -> {
                    await(t.connect(platform.options(device).build(), new RecordingListener()));
                    await(t.subscribe(List.of(new Subscription("iotdm-1/#", Qos.AT_LEAST_ONCE))));
                    await(t.publish("iotdevice-1/mgmt/manage", "{}".getBytes(StandardCharsets.UTF_8),
                            Qos.AT_LEAST_ONCE));
                    await(t.disconnect());
                }
            }
        } finally {
            t.close();
        }
    }
}
