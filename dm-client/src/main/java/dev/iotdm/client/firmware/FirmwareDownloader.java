package dev.iotdm.client.firmware;

import dev.iotdm.client.firmware.DownloadOutcome.Downloaded;
import dev.iotdm.client.firmware.DownloadOutcome.Failed;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.firmware.Verifier;

/**
 * Streams a firmware image from an {@code http} or {@code https} URI to a file, verifying its
 * digest on the way (protocol.md §6.2 steps 4-5), on the JDK's {@link HttpClient}.
 *
 * <p>The image goes to a hidden temporary file next to the target and is moved onto the target
 * atomically only when it is complete, verified and within the size limit; on failure the
 * temporary file is deleted and an existing target is left untouched. Failures are outcomes, never
 * exceptions, mapped onto {@code mgmt.firmware.updateStatus} (protocol.md §6.1):
 * <ul>
 *   <li>{@link UpdateStatus#INVALID_URI}: malformed URI or scheme other than http/https; host
 *       unknown or unreachable, connection refused or timed out, TLS handshake failed; any 3xx
 *       left after redirects, 4xx, or a 2xx other than 200;</li>
 *   <li>{@link UpdateStatus#CONNECTION_LOST}: the connection broke or stalled after it was
 *       established (before the headers or mid-body, including fewer bytes than announced), the
 *       overall timeout ran out, and 5xx: the server exists but cannot serve now, so a later
 *       retry can succeed, which is what "connection lost" tells the operator and "invalid URI"
 *       would not;</li>
 *   <li>{@link UpdateStatus#VERIFICATION_FAILED}: the digest differs from the verifier;</li>
 *   <li>{@link UpdateStatus#OUT_OF_MEMORY}: larger than {@code maxBytes} (by Content-Length before
 *       reading, or while streaming), or the image could not be stored (no space left, or any other
 *       local file error).</li>
 * </ul>
 *
 * <p>Plain http is allowed but logged at WARN: the image is then protected only by its verifier.
 * Logs and failure reasons show the URI without user info, query or fragment, which may hold
 * credentials (e.g. pre-signed URLs).
 *
 * <p>Thread-safe; share one instance. Concurrent downloads must use different targets.
 */
public final class FirmwareDownloader {

    /** Default time allowed to establish the connection. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Default time allowed for the whole download, from request to last byte. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(FirmwareDownloader.class);

    /**
     * How many body items (lists of the HTTP client's buffers, 16 KiB each by default) are asked
     * for at a time; the file write is synchronous, so at most this many wait in the client.
     */
    static final int DEMAND = 16;
    /** How many bytes go to the file per write. */
    static final int WRITE_BLOCK = 256 * 1024;

    private final HttpClient client;
    private final Duration timeout;

    private FirmwareDownloader(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /**
     * A downloader with the default timeouts (30 s to connect, 10 min per download) and its own
     * {@link HttpClient}.
     *
     * @return a new downloader, to share
     */
    public static FirmwareDownloader create() {
        return builder().build();
    }

    /**
     * Starts a downloader with other timeouts or another {@link HttpClient}.
     *
     * @return a new builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The overall time allowed for each download, from request to last byte.
     *
     * @return the positive bound; past it a download fails with CONNECTION_LOST
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Downloads the image at {@code uri} into {@code target}.
     *
     * @param uri      where the image is, as received on the wire ({@code mgmt.firmware.uri})
     * @param verifier the digest to check, {@link Verifier#NONE} for none
     * @param target   the file to create or replace; its directory must exist
     * @param maxBytes the largest image accepted, positive
     * @return a future that always completes normally with the outcome (unless the caller cancels
     *     it, which aborts the download and deletes the partial file)
     * @throws IllegalArgumentException when an argument is null, {@code maxBytes} is not positive,
     *     {@code target} is a directory or its directory does not exist
     */
    public CompletableFuture<DownloadOutcome> download(String uri, Verifier verifier, Path target, long maxBytes) {
        validate(verifier, target, maxBytes);
        if (uri == null) {
            throw new IllegalArgumentException("uri must not be null");
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return CompletableFuture.completedFuture(new Failed(UpdateStatus.INVALID_URI,
                    "malformed uri: " + e.getReason() + " at index " + e.getIndex()));
        }
        return download(parsed, verifier, target, maxBytes);
    }

    /**
     * Downloads the image at {@code uri} into {@code target}.
     *
     * @param uri      where the image is; only {@code http} and {@code https} are supported
     * @param verifier the digest to check, {@link Verifier#NONE} for none
     * @param target   the file to create or replace; its directory must exist
     * @param maxBytes the largest image accepted, positive
     * @return a future that always completes normally with the outcome (unless the caller cancels
     *     it, which aborts the download and deletes the partial file)
     * @throws IllegalArgumentException when an argument is null, {@code maxBytes} is not positive,
     *     {@code target} is a directory or its directory does not exist
     */
    public CompletableFuture<DownloadOutcome> download(URI uri, Verifier verifier, Path target, long maxBytes) {
        validate(verifier, target, maxBytes);
        if (uri == null) {
            throw new IllegalArgumentException("uri must not be null");
        }
        String where = redact(uri);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return CompletableFuture.completedFuture(new Failed(UpdateStatus.INVALID_URI,
                    "unsupported uri scheme '" + scheme + "' (http or https expected): " + where));
        }
        if (uri.isOpaque() || uri.getHost() == null) {
            return CompletableFuture.completedFuture(new Failed(UpdateStatus.INVALID_URI, "uri has no host: " + where));
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri).GET().timeout(timeout).build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Failed(UpdateStatus.INVALID_URI,
                    "uri not usable for http: " + where));
        }
        if (scheme.equals("http")) {
            LOG.warn("Downloading firmware over plain http from {}: only the verifier protects the image", where);
        }
        Path absoluteTarget = target.toAbsolutePath();
        Download download = new Download(where, verifier, absoluteTarget, maxBytes);
        LOG.info("Downloading firmware from {} to {}", where, absoluteTarget);
        CompletableFuture<HttpResponse<Void>> exchange = client.sendAsync(request, download::subscriberFor);
        download.exchange = exchange;
        exchange.whenComplete((response, error) -> {
            if (error != null) {
                download.finish(remoteFailure(error, where, timeout));
            }
        });
        CompletableFuture<Void> deadline = new CompletableFuture<Void>().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        deadline.whenComplete((ignored, error) -> {
            if (error instanceof TimeoutException) {
                download.finish(new Failed(UpdateStatus.CONNECTION_LOST,
                        "download not complete within " + timeout + " after " + download.bytesText() + ": " + where));
            }
        });
        download.result.whenComplete((outcome, error) -> {
            deadline.complete(null); // cancels the timeout task
            log(outcome);
        });
        CompletableFuture<DownloadOutcome> forCaller = download.result.copy();
        forCaller.whenComplete((outcome, error) -> {
            if (error instanceof CancellationException) {
                download.finish(new Failed(UpdateStatus.CONNECTION_LOST, "download cancelled: " + where));
            }
        });
        return forCaller;
    }

    private static void log(DownloadOutcome outcome) {
        if (outcome instanceof Downloaded d) {
            LOG.info("Firmware downloaded to {}: {} bytes, digest {}", d.file(), d.size(), d.hexDigest());
        } else if (outcome instanceof Failed f) {
            LOG.warn("Firmware download failed ({}): {}", f.status(), f.reason());
        }
    }

    private static void validate(Verifier verifier, Path target, long maxBytes) {
        if (verifier == null) {
            throw new IllegalArgumentException("verifier must not be null (use Verifier.NONE)");
        }
        if (target == null) {
            throw new IllegalArgumentException("target must not be null");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        Path absolute = target.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("target " + absolute + " is a directory");
        }
        if (absolute.getParent() == null || !Files.isDirectory(absolute.getParent())) {
            throw new IllegalArgumentException("target directory " + absolute.getParent() + " does not exist");
        }
    }

    /** The URI without user info, query and fragment, which may carry credentials. */
    static String redact(URI uri) {
        StringBuilder sb = new StringBuilder();
        if (uri.getScheme() != null) {
            sb.append(uri.getScheme()).append(':');
        }
        if (uri.isOpaque()) {
            return sb.append("[opaque]").toString();
        }
        if (uri.getHost() != null) {
            sb.append("//").append(uri.getHost());
            if (uri.getPort() >= 0) {
                sb.append(':').append(uri.getPort());
            }
        }
        if (uri.getRawPath() != null) {
            sb.append(uri.getRawPath());
        }
        return sb.toString();
    }

    /** Maps a failure of the HTTP exchange itself (not of the body) to an outcome. */
    static Failed remoteFailure(Throwable error, String where, Duration timeout) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof HttpConnectTimeoutException) {
            return new Failed(UpdateStatus.INVALID_URI, "could not connect in time: " + where);
        }
        if (t instanceof HttpTimeoutException) {
            return new Failed(UpdateStatus.CONNECTION_LOST, "no response within " + timeout + ": " + where);
        }
        if (t instanceof CancellationException) {
            return new Failed(UpdateStatus.CONNECTION_LOST, "download cancelled: " + where);
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException
                    || c instanceof UnresolvedAddressException || c instanceof NoRouteToHostException) {
                return new Failed(UpdateStatus.INVALID_URI, "could not connect (" + describe(c) + "): " + where);
            }
            if (c instanceof SSLException) {
                return new Failed(UpdateStatus.INVALID_URI, "TLS failed (" + describe(c) + "): " + where);
            }
        }
        if (t instanceof IOException) {
            return new Failed(UpdateStatus.CONNECTION_LOST, "connection lost (" + describe(t) + "): " + where);
        }
        LOG.error("Unexpected failure downloading firmware from {}", where, t);
        return new Failed(UpdateStatus.CONNECTION_LOST, "download failed (" + describe(t) + "): " + where);
    }

    /** Maps a failure to store the image locally to an outcome. */
    static Failed localFailure(IOException error, Path file) {
        String message = String.valueOf(error.getMessage());
        String what = message.toLowerCase(Locale.ROOT).contains("no space left")
                ? "no space left on the device"
                : "could not store the image (" + describe(error) + ")";
        return new Failed(UpdateStatus.OUT_OF_MEMORY, what + ": " + file);
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /**
     * One download: owns the temporary file, its channel, the digest and the outcome. Its lock
     * serialises the HTTP client's callbacks with the timeout and caller cancellation.
     */
    private static final class Download {
        private final String where;
        private final Verifier verifier;
        private final Path target;
        private final long maxBytes;
        private final MessageDigest digest;
        final CompletableFuture<DownloadOutcome> result = new CompletableFuture<>();
        volatile CompletableFuture<HttpResponse<Void>> exchange;

        private Path temp;
        private FileChannel channel;
        private Flow.Subscription subscription;
        /** Items asked for and not yet received. */
        private long outstanding;
        /** Body bytes not yet written; allocated once the body starts. */
        private ByteBuffer block;
        private long bytes;
        private boolean done;

        Download(String where, Verifier verifier, Path target, long maxBytes) {
            this.where = where;
            this.verifier = verifier;
            this.target = target;
            this.maxBytes = maxBytes;
            this.digest = verifier.newDigest();
        }

        synchronized String bytesText() {
            return bytes + " bytes";
        }

        /** The body handler: decides from the status line and headers whether to read the body. */
        synchronized BodySubscriber<Void> subscriberFor(ResponseInfo info) {
            int status = info.statusCode();
            if (status != 200) {
                finish(new Failed(status >= 500 ? UpdateStatus.CONNECTION_LOST : UpdateStatus.INVALID_URI,
                        "HTTP " + status + " from " + where));
                return new Streaming(this);
            }
            long announced = info.headers().firstValueAsLong("content-length").orElse(-1L);
            if (announced > maxBytes) {
                finish(new Failed(UpdateStatus.OUT_OF_MEMORY,
                        "image of " + announced + " bytes exceeds the limit of " + maxBytes + ": " + where));
                return new Streaming(this);
            }
            if (!done) {
                try {
                    temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
                    channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                    block = ByteBuffer.allocateDirect(WRITE_BLOCK);
                } catch (IOException e) {
                    finish(localFailure(e, target));
                }
            }
            return new Streaming(this);
        }

        synchronized void subscribed(Flow.Subscription s) {
            subscription = s;
            if (done) {
                s.cancel(); // already decided (status, size, timeout): close the connection
            } else {
                outstanding = DEMAND;
                s.request(DEMAND);
            }
        }

        synchronized void received(List<ByteBuffer> buffers) {
            if (done) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                bytes += buffer.remaining();
            }
            if (bytes > maxBytes) {
                finish(new Failed(UpdateStatus.OUT_OF_MEMORY,
                        "image exceeds the limit of " + maxBytes + " bytes: " + where));
                return;
            }
            try {
                for (ByteBuffer buffer : buffers) {
                    digest.update(buffer.duplicate());
                    // Gathered into WRITE_BLOCK bytes per write rather than one write per 16 KiB buffer.
                    while (buffer.hasRemaining()) {
                        if (!block.hasRemaining()) {
                            flush();
                        }
                        int n = Math.min(block.remaining(), buffer.remaining());
                        block.put(buffer.slice(buffer.position(), n));
                        buffer.position(buffer.position() + n);
                    }
                }
            } catch (IOException e) {
                finish(localFailure(e, target));
                return;
            }
            // Keep DEMAND items asked for: with request(1) per item the client's reader stopped
            // and restarted (a thread hand-off) for every 16 KiB buffer, half the raw throughput.
            if (--outstanding <= DEMAND / 2) {
                subscription.request(DEMAND - outstanding);
                outstanding = DEMAND;
            }
        }

        /** Writes what {@link #block} gathered. */
        private void flush() throws IOException {
            block.flip();
            while (block.hasRemaining()) {
                channel.write(block);
            }
            block.clear();
        }

        synchronized void failed(Throwable error) {
            if (!done) {
                finish(new Failed(UpdateStatus.CONNECTION_LOST,
                        "connection lost after " + bytes + " bytes (" + describe(error) + "): " + where));
            }
        }

        synchronized void completed() {
            if (done) {
                return;
            }
            byte[] actual = digest.digest();
            String hex = HexFormat.of().formatHex(actual);
            try {
                flush();
                channel.force(true);
                channel.close();
            } catch (IOException e) {
                finish(localFailure(e, target));
                return;
            }
            if (!verifier.matches(actual)) {
                finish(new Failed(UpdateStatus.VERIFICATION_FAILED, verifier.algorithm() + " digest " + hex
                        + " differs from the verifier " + verifier.hex() + ": " + where));
                return;
            }
            try {
                move(temp, target);
            } catch (IOException e) {
                finish(localFailure(e, target));
                return;
            }
            temp = null;
            finish(new Downloaded(target, bytes, hex));
        }

        /** Decides the outcome once; later calls are ignored. Cleans up before completing. */
        synchronized void finish(DownloadOutcome outcome) {
            if (done) {
                return;
            }
            done = true;
            if (subscription != null && outcome instanceof Failed) {
                subscription.cancel();
            }
            CompletableFuture<HttpResponse<Void>> ex = exchange;
            if (ex != null && outcome instanceof Failed) {
                ex.cancel(true); // aborts an exchange still waiting for headers
            }
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.debug("Closing {} failed", temp, e);
                }
            }
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.warn("Could not delete the partial firmware file {}", temp, e);
                }
            }
            result.complete(outcome);
        }

        private static void move(Path from, Path to) throws IOException {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        CompletionStage<Void> body() {
            return result.thenApply(outcome -> null);
        }
    }

    /** Hands the HTTP client's body callbacks to the {@link Download}. */
    private static final class Streaming implements BodySubscriber<Void> {
        private final Download download;

        Streaming(Download download) {
            this.download = download;
        }

        @Override
        public CompletionStage<Void> getBody() {
            return download.body();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            download.subscribed(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            download.received(item);
        }

        @Override
        public void onError(Throwable throwable) {
            download.failed(throwable);
        }

        @Override
        public void onComplete() {
            download.completed();
        }
    }

    /**
     * Options for a {@link FirmwareDownloader}. Not thread-safe; build once.
     */
    public static final class Builder {
        private Duration connectTimeout;
        private Duration timeout = DEFAULT_TIMEOUT;
        private HttpClient httpClient;

        private Builder() {
        }

        /**
         * Time allowed to connect, for the built-in client (default 30 s).
         *
         * @param connectTimeout positive
         * @return this builder
         * @throws IllegalArgumentException if {@code connectTimeout} is null, zero or negative
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = requirePositive("connectTimeout", connectTimeout);
            return this;
        }

        /**
         * Time allowed for each whole download, from request to last byte (default 10 min).
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is null, zero or negative
         */
        public Builder timeout(Duration timeout) {
            this.timeout = requirePositive("timeout", timeout);
            return this;
        }

        /**
         * Use this client (for a proxy, custom TLS trust or executor) instead of the built-in one;
         * its own connect timeout and redirect policy apply.
         *
         * @param httpClient the client to send every download through; not closed by the downloader
         * @return this builder
         * @throws IllegalArgumentException if {@code httpClient} is null
         */
        public Builder httpClient(HttpClient httpClient) {
            if (httpClient == null) {
                throw new IllegalArgumentException("httpClient must not be null");
            }
            this.httpClient = httpClient;
            return this;
        }

        /**
         * The downloader.
         *
         * @return a new downloader, thread-safe and to share
         * @throws IllegalArgumentException when both a connect timeout and an HttpClient were set
         */
        public FirmwareDownloader build() {
            if (httpClient != null && connectTimeout != null) {
                throw new IllegalArgumentException(
                        "connectTimeout applies to the built-in client only; set it on the given httpClient");
            }
            HttpClient client = httpClient != null ? httpClient : HttpClient.newBuilder()
                    .connectTimeout(connectTimeout != null ? connectTimeout : DEFAULT_CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
            return new FirmwareDownloader(client, timeout);
        }

        private static Duration requirePositive(String field, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(field + " must be a positive duration, was " + value);
            }
            return value;
        }
    }
}
