package dev.iotdm.client;

import static dev.iotdm.client.Harness.NOTIFY;
import static dev.iotdm.client.Harness.await;
import static dev.iotdm.client.testing.ClientAssertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.iotdm.client.firmware.DownloadOutcome;
import dev.iotdm.client.firmware.FirmwareDownloader;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.firmware.Verifier;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.client.testing.FakeTransport.Published;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ManagedClientFirmwareTest {

    private static final String IMAGE_VERSION = "2.0.1";
    private static final String ANY_MD5 = "9b2f0e8a5c7d41f3a0b6c2d4e8f01a23";

    @TempDir
    Path dir;

    /** A firmware handler whose steps the test completes (or a null-returning seed-style one). */
    private static final class ScriptedHandler implements FirmwareHandler {
        final BlockingQueue<FirmwareInfo> downloads = new ArrayBlockingQueue<>(4);
        final BlockingQueue<FirmwareInfo> installs = new ArrayBlockingQueue<>(4);
        final boolean seedStyle;
        volatile CompletableFuture<Void> download = new CompletableFuture<>();
        volatile CompletableFuture<Void> install = new CompletableFuture<>();

        ScriptedHandler(boolean seedStyle) {
            this.seedStyle = seedStyle;
        }

        @Override
        public CompletionStage<Void> download(FirmwareInfo image) {
            downloads.add(image);
            return seedStyle ? null : download;
        }

        @Override
        public CompletionStage<Void> install(FirmwareInfo image) {
            installs.add(image);
            return seedStyle ? null : install;
        }
    }

    @Test
    void a_download_that_completes_normally_is_notified_as_downloaded() {
        ScriptedHandler handler = new ScriptedHandler(false);
        try (Harness h = Harness.virtual(b -> b.firmwareHandler(handler))) {
            startDownload(h, "http://127.0.0.1:8080/fw.bin", ANY_MD5);
            assertThat(poll(handler.downloads).uri()).contains("http://127.0.0.1:8080/fw.bin");

            handler.download.complete(null);
            Published notify = h.transport.nextPublish(NOTIFY);
            assertThat(notify).hasString("d.fields.0.field", "mgmt.firmware");
            assertThat(notify).hasJson("d.fields.0.value.state", "2");
            assertThat(h.client.firmware().state()).contains(FirmwareState.DOWNLOADED);
        }
    }

    @Test
    void a_download_failing_verification_returns_to_idle_with_update_status_4() {
        ScriptedHandler handler = new ScriptedHandler(false);
        try (Harness h = Harness.virtual(b -> b.firmwareHandler(handler))) {
            startDownload(h, "http://127.0.0.1:8080/fw.bin", ANY_MD5);

            handler.download.completeExceptionally(
                    new FirmwareFailureException(UpdateStatus.VERIFICATION_FAILED, "digest mismatch"));
            Published notify = h.transport.nextPublish(NOTIFY);
            assertThat(notify).hasJson("d.fields.0.value.state", "0");
            assertThat(notify).hasJson("d.fields.0.value.updateStatus", "4");
            assertThat(h.client.firmware().state()).contains(FirmwareState.IDLE);
            assertThat(h.client.firmware().updateStatus()).contains(UpdateStatus.VERIFICATION_FAILED);
        }
    }

    @Test
    void a_successful_install_makes_the_image_version_the_fw_version() {
        ScriptedHandler handler = new ScriptedHandler(false);
        try (Harness h = Harness.virtual(b -> b.firmwareHandler(handler)
                .deviceInfo(DeviceInfo.builder().fwVersion("1.0.0").build()))) {
            startDownload(h, "http://127.0.0.1:8080/fw.bin", ANY_MD5);
            handler.download.complete(null);
            h.transport.nextPublish(NOTIFY); // state 2

            h.transport.deliver("iotdm-1/mgmt/initiate/firmware/update", "{\"reqId\":\"install-1\"}");
            assertThat(h.responseTo("install-1")).hasRc(202);
            assertThat(h.transport.nextPublish(NOTIFY)).hasJson("d.fields.0.value.updateStatus", "1");
            assertThat(poll(handler.installs).version()).contains(IMAGE_VERSION);
            assertThat(h.client.deviceInfo().fwVersion()).contains("1.0.0");

            handler.install.complete(null);
            Published done = h.transport.nextPublish(NOTIFY);
            assertThat(done).hasJson("d.fields.0.value.state", "0");
            assertThat(done).hasJson("d.fields.0.value.updateStatus", "0");
            assertThat(h.client.deviceInfo().fwVersion()).contains(IMAGE_VERSION);
        }
    }

    @Test
    void seed_style_handler_reports_with_set_state_and_set_update_status() {
        ScriptedHandler handler = new ScriptedHandler(true);
        try (Harness h = Harness.virtual(b -> b.firmwareHandler(handler))) {
            startDownload(h, "http://127.0.0.1:8080/fw.bin", ANY_MD5);
            poll(handler.downloads);
            await(h.client.setState(ManagedClient.UPDATESTATE_DOWNLOADING)); // the seed's first call: no change
            await(h.client.setState(ManagedClient.UPDATESTATE_DOWNLOADED));
            assertThat(h.transport.nextPublish(NOTIFY)).hasJson("d.fields.0.value.state", "2");

            h.transport.deliver("iotdm-1/mgmt/initiate/firmware/update", "{\"reqId\":\"install-1\"}");
            assertThat(h.responseTo("install-1")).hasRc(202);
            h.transport.nextPublish(NOTIFY); // updateStatus 1
            poll(handler.installs);
            await(h.client.setUpdateStatus(ManagedClient.UPDATESTATE_IN_PROGRESS));
            await(h.client.setUpdateStatus(ManagedClient.UPDATESTATE_SUCCESS));

            Published done = h.transport.nextPublish(NOTIFY);
            assertThat(done).hasJson("d.fields.0.value.state", "0");
            assertThat(done).hasJson("d.fields.0.value.updateStatus", "0");
            assertThat(h.client.deviceInfo().fwVersion()).contains(IMAGE_VERSION);
        }
    }

    @Test
    void the_seed_download_sample_whose_verification_fails_ends_idle_with_update_status_4() {
        ScriptedHandler handler = new ScriptedHandler(true);
        try (Harness h = Harness.virtual(b -> b.firmwareHandler(handler))) {
            startDownload(h, "http://127.0.0.1:8080/fw.bin", ANY_MD5);
            poll(handler.downloads);

            // The seed's downloadHandler: setState(DOWNLOADED), then verifiyImage finds a wrong digest.
            await(h.client.setState(ManagedClient.UPDATESTATE_DOWNLOADED));
            await(h.client.setUpdateStatus(ManagedClient.UPDATESTATE_VERIFICATION_FAILED));

            assertThat(h.transport.nextPublish(NOTIFY)).hasJson("d.fields.0.value.state", "2");
            Published rejected = h.transport.nextPublish(NOTIFY);
            assertThat(rejected).hasJson("d.fields.0.value.state", "0");
            assertThat(rejected).hasJson("d.fields.0.value.updateStatus", "4");
            assertThat(h.client.firmware().updateStatus()).contains(ManagedClient.UPDATESTATE_VERIFICATION_FAILED);
        }
    }

    @Test
    void a_handler_using_the_firmware_downloader_fetches_and_verifies_the_image_from_an_http_server()
            throws Exception {
        byte[] image = new byte[200_000];
        new SplittableRandom(2026).nextBytes(image);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fw.bin", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, image.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(image);
                }
            } catch (IOException e) {
                // the client went away; the test's assertions report it
            }
        });
        server.start();
        Path target = dir.resolve("fw.bin");
        FirmwareDownloader downloader = FirmwareDownloader.builder()
                .connectTimeout(Duration.ofSeconds(5)).timeout(Duration.ofSeconds(20)).build();
        FirmwareHandler handler = new FirmwareHandler() {
            @Override
            public CompletionStage<Void> download(FirmwareInfo fw) {
                return downloader.download(fw.uri().orElseThrow(), Verifier.of(fw.verifier().orElse("")), target,
                        10_000_000).thenCompose(outcome -> {
                            if (outcome instanceof DownloadOutcome.Failed f) {
                                return CompletableFuture.failedFuture(
                                        new FirmwareFailureException(f.status(), f.reason()));
                            }
                            return CompletableFuture.completedFuture(null);
                        });
            }

            @Override
            public CompletionStage<Void> install(FirmwareInfo fw) {
                return CompletableFuture.completedFuture(null);
            }
        };
        try (Harness h = Harness.virtual(b -> b.firmwareHandler(handler))) {
            String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/fw.bin";
            startDownload(h, uri, md5(image));

            Published notify = h.transport.nextPublish(p -> p.topic().equals(NOTIFY), "the downloaded notify");
            assertThat(notify).hasJson("d.fields.0.value.state", "2");
            assertThat(Files.readAllBytes(target)).isEqualTo(image);
        } finally {
            server.stop(0);
        }
    }

    /**
     * Brings the client up with firmware actions, lets the platform set the image, observe
     * {@code mgmt.firmware} and request the download, and checks the answers up to the
     * DOWNLOADING notify (protocol.md §6.2, §6.4).
     */
    private static void startDownload(Harness h, String uri, String verifier) {
        h.connect();
        h.manage(ManageParams.of(0, false, true));
        h.transport.deliver("iotdm-1/device/update", """
                {"reqId":"set-1","d":{"fields":[{"field":"mgmt.firmware","value":{
                  "version":"%s","name":"fw","uri":"%s","verifier":"%s",
                  "state":0,"updateStatus":0,"updatedDateTime":""}}]}}""".formatted(IMAGE_VERSION, uri, verifier));
        assertThat(h.responseTo("set-1")).hasRc(204);
        h.transport.deliver("iotdm-1/observe", "{\"reqId\":\"observe-1\",\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\"}]}}");
        Published observed = h.responseTo("observe-1");
        assertThat(observed).hasRc(200);
        assertThat(observed).hasJson("d.fields.0.value.state", "0");

        h.transport.deliver("iotdm-1/mgmt/initiate/firmware/download", "{\"reqId\":\"download-1\"}");
        assertThat(h.responseTo("download-1")).hasRc(202);
        assertThat(h.transport.nextPublish(NOTIFY)).hasJson("d.fields.0.value.state", "1");
    }

    private static String md5(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private static <T> T poll(BlockingQueue<T> queue) {
        try {
            T value = queue.poll(Harness.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(value).as("nothing arrived within " + Harness.WAIT).isNotNull();
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
