package dev.iotdm.bench;

import com.sun.net.httpserver.HttpServer;
import dev.iotdm.bench.Ratios.Result;
import dev.iotdm.bench.Ratios.Settings;
import dev.iotdm.bench.Ratios.Variant;
import dev.iotdm.client.firmware.DownloadOutcome;
import dev.iotdm.client.firmware.FirmwareDownloader;
import dev.iotdm.protocol.firmware.Verifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * P4: {@link FirmwareDownloader} fetching an image from a loopback HTTP server, against the
 * floor of reading the same bytes from the same server with a plain {@link HttpURLConnection},
 * digesting them with SHA-256, writing them to a file and forcing it to disk. Both verify the
 * same digest and fsync; the ratio is the floor's time over the downloader's (throughput ratio).
 */
final class FirmwareRatios {

    /** Target: the downloader reaches at least 0.9 of the floor's throughput. */
    static final double TARGET = 0.9;

    private FirmwareRatios() {
    }

    static void run(PrintStream out, boolean smoke) throws Exception {
        int size = smoke ? 256 * 1024 : 50 * 1024 * 1024;
        byte[] image = new byte[size];
        new Random(15).nextBytes(image);
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
        Verifier verifier = new Verifier(Verifier.Algorithm.SHA_256, hex);
        Path dir = Files.createTempDirectory("dm-bench-fw-");
        ExecutorService serverThreads = Executors.newFixedThreadPool(2);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fw.bin", exchange -> {
            exchange.sendResponseHeaders(200, image.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(image);
            }
        });
        server.setExecutor(serverThreads);
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/fw.bin");
        FirmwareDownloader downloader = FirmwareDownloader.builder().timeout(Duration.ofMinutes(2)).build();
        try {
            Settings settings = smoke ? new Settings(1, 1, 1, 1) : new Settings(1, 7, 1, 1);
            Result r = Ratios.run(List.of(
                    new Variant("raw", () -> raw(uri, dir.resolve("raw.bin"), hex)),
                    new Variant("downloader", () -> {
                        DownloadOutcome o = downloader.download(uri, verifier, dir.resolve("fw.bin"), size)
                                .get(2, TimeUnit.MINUTES);
                        if (!(o instanceof DownloadOutcome.Downloaded)) {
                            throw new IllegalStateException("download failed: " + o);
                        }
                        return o;
                    })), settings);
            Ratios.Spread slower = r.ratio("downloader", "raw");
            double throughput = 1 / slower.median();
            out.printf("P4 firmware download of %d KiB over loopback HTTP, SHA-256 verified and fsynced,"
                    + " %d rounds; floor = HttpURLConnection read + SHA-256 + write + fsync%n", size >> 10,
                    settings.rounds());
            out.print(Ratios.table(List.of("variant", "time / raw time", "throughput / raw (>= 0.9)"),
                    List.of(List.of("FirmwareDownloader", slower.ratio(),
                            String.format("%.2fx [%.2f-%.2f]", throughput, 1 / slower.max(), 1 / slower.min())))));
            out.printf("P4 target: throughput >= %.1fx raw %s%n", TARGET, throughput >= TARGET ? "met" : "MISSED");
        } finally {
            server.stop(0);
            serverThreads.shutdownNow();
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** The floor: read, digest, write, fsync; fails unless the digest matches. */
    private static Object raw(URI uri, Path target, String hex) throws Exception {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = c.getInputStream();
                FileChannel f = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[64 * 1024];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                sha.update(buf, 0, n);
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) {
                    f.write(b);
                }
            }
            f.force(true);
        } finally {
            c.disconnect();
        }
        String got = HexFormat.of().formatHex(sha.digest());
        if (!got.equals(hex)) {
            throw new IOException("raw download digest " + got + " is not " + hex);
        }
        return got;
    }
}
