package dev.iotdm.testkit.platform;

import dev.iotdm.protocol.codec.Codec;

import java.time.Duration;
import java.util.Objects;

/**
 * How the fake platform behaves where protocol.md leaves room.
 *
 * <p>Thread-safety: immutable.
 *
 * @param rejectUnmanaged whether DM requests other than manage from an unmanaged device are answered
 *     400 (protocol.md §12.20; the older documented rule, default {@code true})
 * @param requestGap how long after answering a manage the platform waits before its first
 *     platform-initiated request to that device, because some old clients subscribe to the request
 *     topics only after the manage response (protocol.md §14); default 200 ms of engine time
 * @param operationTimeout the timeout of an operation started without an explicit one; default 30 s
 * @param responseDeliveryTimeout how long a response or command may wait for the device to subscribe
 *     before the transport gives up on it; default 30 s
 * @param logCapacity how many {@code diag.log} entries a device keeps; older ones are dropped
 *     (protocol.md §3.6); default 100
 * @param reqIdPrefix the prefix of the platform's reqIds, followed by a counter; default {@code "p-"}
 * @param codec the codec, which also sets the payload limit (protocol.md §1.9)
 */
public record PlatformConfig(boolean rejectUnmanaged, Duration requestGap, Duration operationTimeout,
        Duration responseDeliveryTimeout, int logCapacity, String reqIdPrefix, Codec codec) {

    /** Validates every part. */
    public PlatformConfig {
        requireNonNegative("requestGap", requestGap);
        requirePositive("operationTimeout", operationTimeout);
        requirePositive("responseDeliveryTimeout", responseDeliveryTimeout);
        if (logCapacity < 1) {
            throw new IllegalArgumentException("logCapacity must be at least 1, was " + logCapacity);
        }
        if (reqIdPrefix == null) {
            throw new IllegalArgumentException("reqIdPrefix must not be null");
        }
        Objects.requireNonNull(codec, "codec");
    }

    /** The defaults listed on the components. */
    public static PlatformConfig defaults() {
        return new PlatformConfig(true, Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(30), 100,
                "p-", Codec.standard());
    }

    /** This configuration with {@code rejectUnmanaged} replaced. */
    public PlatformConfig withRejectUnmanaged(boolean reject) {
        return new PlatformConfig(reject, requestGap, operationTimeout, responseDeliveryTimeout, logCapacity,
                reqIdPrefix, codec);
    }

    /** This configuration with {@code requestGap} replaced. */
    public PlatformConfig withRequestGap(Duration gap) {
        return new PlatformConfig(rejectUnmanaged, gap, operationTimeout, responseDeliveryTimeout, logCapacity,
                reqIdPrefix, codec);
    }

    /** This configuration with {@code operationTimeout} replaced. */
    public PlatformConfig withOperationTimeout(Duration timeout) {
        return new PlatformConfig(rejectUnmanaged, requestGap, timeout, responseDeliveryTimeout, logCapacity,
                reqIdPrefix, codec);
    }

    /** This configuration with {@code responseDeliveryTimeout} replaced. */
    public PlatformConfig withResponseDeliveryTimeout(Duration timeout) {
        return new PlatformConfig(rejectUnmanaged, requestGap, operationTimeout, timeout, logCapacity,
                reqIdPrefix, codec);
    }

    /** This configuration with {@code logCapacity} replaced. */
    public PlatformConfig withLogCapacity(int capacity) {
        return new PlatformConfig(rejectUnmanaged, requestGap, operationTimeout, responseDeliveryTimeout, capacity,
                reqIdPrefix, codec);
    }

    /** This configuration with {@code reqIdPrefix} replaced. */
    public PlatformConfig withReqIdPrefix(String prefix) {
        return new PlatformConfig(rejectUnmanaged, requestGap, operationTimeout, responseDeliveryTimeout,
                logCapacity, prefix, codec);
    }

    /** This configuration with {@code codec} replaced. */
    public PlatformConfig withCodec(Codec newCodec) {
        return new PlatformConfig(rejectUnmanaged, requestGap, operationTimeout, responseDeliveryTimeout,
                logCapacity, reqIdPrefix, newCodec);
    }

    static void requirePositive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be a positive duration, was " + d);
        }
    }

    private static void requireNonNegative(String field, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(field + " must be zero or positive, was " + d);
        }
    }
}
