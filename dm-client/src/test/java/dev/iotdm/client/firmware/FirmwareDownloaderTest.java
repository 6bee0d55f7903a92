package dev.iotdm.client.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.iotdm.client.firmware.DownloadOutcome.Downloaded;
import dev.iotdm.client.firmware.DownloadOutcome.Failed;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.firmware.Verifier;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirmwareDownloaderTest {

    private static final byte[] IMAGE = new byte[300_000];

    static {
        new SplittableRandom(6_2).nextBytes(IMAGE);
    }

    @TempDir
    Path dir;

    private HttpServer server;
    private ExecutorService serverThreads;
    private final FirmwareDownloader downloader = FirmwareDownloader.builder()
            .connectTimeout(Duration.ofSeconds(5)).timeout(Duration.ofSeconds(20)).build();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext("/fw.bin", exchange -> respond(exchange, 200, IMAGE, false));
        server.createContext("/chunked.bin", exchange -> respond(exchange, 200, IMAGE, true));
        server.createContext("/missing.bin", exchange -> respond(exchange, 404, new byte[0], false));
        server.createContext("/busy.bin", exchange -> respond(exchange, 503, new byte[0], false));
        server.start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.stop(0);
        serverThreads.shutdownNow();
        assertThat(serverThreads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void respond(HttpExchange exchange, int status, byte[] body, boolean chunked) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(status, chunked ? 0 : (body.length == 0 ? -1 : body.length));
            if (body.length > 0) {
                OutputStream out = exchange.getResponseBody();
                for (int at = 0; at < body.length; at += 8192) {
                    out.write(body, at, Math.min(8192, body.length - at));
                }
            }
        } catch (IOException e) {
            // the client hung up on purpose (size limit): not a server failure
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static DownloadOutcome await(CompletableFuture<DownloadOutcome> future) {
        return future.orTimeout(30, TimeUnit.SECONDS).join();
    }

    private static String digest(String algorithm) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(IMAGE));
    }

    private List<Path> filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private Failed assertFailed(DownloadOutcome outcome, UpdateStatus status, Path target) throws IOException {
        assertThat(outcome).isInstanceOf(Failed.class);
        Failed failed = (Failed) outcome;
        assertThat(failed.status()).as(failed.reason()).isEqualTo(status);
        assertThat(target).doesNotExist();
        assertThat(filesInDir()).as("no partial files remain").isEmpty();
        return failed;
    }

    // ---- success ----

    @Test
    void an_image_matching_its_md5_verifier_is_stored_at_the_target() throws Exception {
        Path target = dir.resolve("fw.bin");

        DownloadOutcome outcome = await(downloader.download(uri("/fw.bin"), Verifier.of(digest("MD5")), target, 1 << 20));

        assertThat(outcome).isEqualTo(new Downloaded(target, IMAGE.length, digest("MD5")));
        assertThat(Files.readAllBytes(target)).isEqualTo(IMAGE);
        assertThat(filesInDir()).containsExactly(target);
    }

    @Test
    void an_image_matching_its_sha_256_verifier_is_stored_at_the_target() throws Exception {
        Path target = dir.resolve("fw.bin");

        DownloadOutcome outcome = await(downloader.download(uri("/chunked.bin").toString(),
                Verifier.of(digest("SHA-256").toUpperCase()), target, IMAGE.length));

        assertThat(outcome).isEqualTo(new Downloaded(target, IMAGE.length, digest("SHA-256")));
        assertThat(Files.readAllBytes(target)).isEqualTo(IMAGE);
        assertThat(filesInDir()).containsExactly(target);
    }

    @Test
    void without_a_verifier_the_image_is_stored_and_identified_by_sha_256() throws Exception {
        Path target = dir.resolve("fw.bin");

        DownloadOutcome outcome = await(downloader.download(uri("/fw.bin"), Verifier.NONE, target, IMAGE.length));

        assertThat(outcome).isEqualTo(new Downloaded(target, IMAGE.length, digest("SHA-256")));
        assertThat(Files.readAllBytes(target)).isEqualTo(IMAGE);
    }

    // ---- verification ----

    @Test
    void a_wrong_digest_fails_verification_and_leaves_no_file() throws Exception {
        Path target = dir.resolve("fw.bin");
        Verifier wrong = Verifier.of("0".repeat(64));

        Failed failed = assertFailed(await(downloader.download(uri("/fw.bin"), wrong, target, 1 << 20)),
                UpdateStatus.VERIFICATION_FAILED, target);
        assertThat(failed.reason()).contains(digest("SHA-256"));
    }

    @Test
    void a_failed_download_leaves_an_existing_target_untouched() throws Exception {
        Path target = dir.resolve("fw.bin");
        Files.writeString(target, "the old image");

        DownloadOutcome outcome = await(downloader.download(uri("/fw.bin"), Verifier.of("0".repeat(32)), target, 1 << 20));

        assertThat(outcome).isInstanceOf(Failed.class);
        assertThat(target).hasContent("the old image");
        assertThat(filesInDir()).containsExactly(target);
    }

    // ---- where the image cannot be fetched ----

    @Test
    void http_404_is_an_invalid_uri() throws Exception {
        Path target = dir.resolve("fw.bin");

        Failed failed = assertFailed(await(downloader.download(uri("/missing.bin"), Verifier.NONE, target, 1 << 20)),
                UpdateStatus.INVALID_URI, target);
        assertThat(failed.reason()).contains("404");
    }

    @Test
    void http_503_is_a_lost_connection_worth_retrying() throws Exception {
        Path target = dir.resolve("fw.bin");

        assertFailed(await(downloader.download(uri("/busy.bin"), Verifier.NONE, target, 1 << 20)),
                UpdateStatus.CONNECTION_LOST, target);
    }

    @Test
    void a_refused_connection_is_an_invalid_uri() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Path target = dir.resolve("fw.bin");

        assertFailed(await(downloader.download(URI.create("http://127.0.0.1:" + closedPort + "/fw.bin"),
                Verifier.NONE, target, 1 << 20)), UpdateStatus.INVALID_URI, target);
    }

    @Test
    void unsupported_schemes_and_malformed_uris_are_invalid_without_a_request() throws Exception {
        Path target = dir.resolve("fw.bin");
        for (String bad : new String[] {"ftp://127.0.0.1/fw.bin", "file:///etc/passwd", "http://bad host/fw.bin",
                "http:///fw.bin", "mailto:ops@example.com", "fw.bin", ""}) {
            assertFailed(await(downloader.download(bad, Verifier.NONE, target, 1 << 20)), UpdateStatus.INVALID_URI,
                    target);
        }
    }

    // ---- broken streams ----

    @Test
    void a_connection_dropped_before_the_announced_length_is_lost() throws Exception {
        Path target = dir.resolve("fw.bin");
        try (RawHttpServer raw = new RawHttpServer((out, released) -> {
            RawHttpServer.writeHead(out, "Content-Length: " + IMAGE.length + "\r\n");
            out.write(IMAGE, 0, 10_000);
            out.flush();
        })) {
            Failed failed = assertFailed(await(downloader.download(URI.create("http://127.0.0.1:" + raw.port() + "/fw.bin"),
                    Verifier.NONE, target, 1 << 20)), UpdateStatus.CONNECTION_LOST, target);
            assertThat(failed.reason()).contains("connection lost");
        }
    }

    @Test
    void a_stalled_body_times_out_as_a_lost_connection() throws Exception {
        Path target = dir.resolve("fw.bin");
        FirmwareDownloader impatient = FirmwareDownloader.builder().timeout(Duration.ofMillis(300)).build();
        try (RawHttpServer raw = new RawHttpServer((out, released) -> {
            RawHttpServer.writeHead(out, "Content-Length: " + IMAGE.length + "\r\n");
            out.write(IMAGE, 0, 1_000);
            out.flush();
            released.await(30, TimeUnit.SECONDS);
        })) {
            Failed failed = assertFailed(await(impatient.download(URI.create("http://127.0.0.1:" + raw.port() + "/fw.bin"),
                    Verifier.NONE, target, 1 << 20)), UpdateStatus.CONNECTION_LOST, target);
            assertThat(failed.reason()).contains("within");
        }
    }

    @Test
    void cancelling_the_future_aborts_the_download_and_deletes_the_partial_file() throws Exception {
        Path target = dir.resolve("fw.bin");
        CompletableFuture<Void> halfway = new CompletableFuture<>();
        try (RawHttpServer raw = new RawHttpServer((out, released) -> {
            RawHttpServer.writeHead(out, "Content-Length: " + IMAGE.length + "\r\n");
            out.write(IMAGE, 0, 1_000);
            out.flush();
            halfway.complete(null);
            released.await(30, TimeUnit.SECONDS);
        })) {
            CompletableFuture<DownloadOutcome> future = downloader.download(
                    URI.create("http://127.0.0.1:" + raw.port() + "/fw.bin"), Verifier.NONE, target, 1 << 20);
            halfway.get(30, TimeUnit.SECONDS);

            assertThat(future.cancel(true)).isTrue();

            assertThat(target).doesNotExist();
            assertThat(filesInDir()).isEmpty();
        }
    }

    // ---- size limit ----

    @Test
    void an_announced_length_above_the_limit_is_refused_before_reading() throws Exception {
        Path target = dir.resolve("fw.bin");

        Failed failed = assertFailed(await(downloader.download(uri("/fw.bin"), Verifier.NONE, target, IMAGE.length - 1)),
                UpdateStatus.OUT_OF_MEMORY, target);
        assertThat(failed.reason()).contains(String.valueOf(IMAGE.length));
    }

    @Test
    void a_chunked_body_growing_past_the_limit_is_cut_off() throws Exception {
        Path target = dir.resolve("fw.bin");

        assertFailed(await(downloader.download(uri("/chunked.bin"), Verifier.NONE, target, 50_000)),
                UpdateStatus.OUT_OF_MEMORY, target);
    }

    // ---- failure mapping that servers cannot provoke ----

    @Test
    void a_full_disk_maps_to_out_of_memory() {
        Failed failed = FirmwareDownloader.localFailure(
                new FileSystemException("/data/.fw.bin.part", null, "No space left on device"), dir.resolve("fw.bin"));

        assertThat(failed.status()).isEqualTo(UpdateStatus.OUT_OF_MEMORY);
        assertThat(failed.reason()).contains("no space left");
    }

    @Test
    void connect_failures_map_to_invalid_uri_and_broken_exchanges_to_connection_lost() {
        assertThat(FirmwareDownloader.remoteFailure(new CompletionException(new ConnectException()), "h", Duration.ZERO)
                .status()).isEqualTo(UpdateStatus.INVALID_URI);
        assertThat(FirmwareDownloader.remoteFailure(new HttpConnectTimeoutException("slow"), "h", Duration.ZERO)
                .status()).isEqualTo(UpdateStatus.INVALID_URI);
        assertThat(FirmwareDownloader.remoteFailure(new javax.net.ssl.SSLHandshakeException("untrusted"), "h",
                Duration.ZERO).status()).isEqualTo(UpdateStatus.INVALID_URI);
        assertThat(FirmwareDownloader.remoteFailure(new IOException("EOF reached"), "h", Duration.ZERO).status())
                .isEqualTo(UpdateStatus.CONNECTION_LOST);
    }

    @Test
    void logs_and_reasons_never_show_query_or_user_info() {
        URI secret = URI.create("https://user:pw@cdn.example.com:8443/fw/2.0.bin?X-Amz-Signature=abc#frag");

        assertThat(FirmwareDownloader.redact(secret)).isEqualTo("https://cdn.example.com:8443/fw/2.0.bin");
    }

    // ---- caller errors ----

    @Test
    void bad_arguments_are_rejected_naming_the_argument() {
        Path target = dir.resolve("fw.bin");
        URI uri = uri("/fw.bin");
        assertThatThrownBy(() -> downloader.download((URI) null, Verifier.NONE, target, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uri");
        assertThatThrownBy(() -> downloader.download(uri, null, target, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("verifier");
        assertThatThrownBy(() -> downloader.download(uri, Verifier.NONE, null, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target");
        assertThatThrownBy(() -> downloader.download(uri, Verifier.NONE, target, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes");
        assertThatThrownBy(() -> downloader.download(uri, Verifier.NONE, dir.resolve("no/such/dir/fw.bin"), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> downloader.download(uri, Verifier.NONE, dir, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a directory");
        assertThatThrownBy(() -> FirmwareDownloader.builder().timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> FirmwareDownloader.builder().connectTimeout(Duration.ofSeconds(1))
                .httpClient(java.net.http.HttpClient.newHttpClient()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
    }
}
