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

    /**
     * Validates every part.
     *
     * @param rejectUnmanaged whether DM requests from an unmanaged device are answered 400
     * @param requestGap zero or positive
     * @param operationTimeout positive
     * @param responseDeliveryTimeout positive
     * @param logCapacity at least 1
     * @param reqIdPrefix not {@code null}; may be empty
     * @param codec not {@code null}
     * @throws IllegalArgumentException naming the part that is out of range or {@code null}
     * @throws NullPointerException if {@code codec} is {@code null}
     */
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

    /**
     * The defaults listed on the components.
     *
     * @return reject unmanaged, 200 ms gap, 30 s timeouts, 100 log entries, prefix {@code p-},
     *     the standard codec
     */
    public static PlatformConfig defaults() {
        return new PlatformConfig(true, Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(30), 100,
                "p-", Codec.standard());
    }

    /**
     * This configuration with {@code rejectUnmanaged} replaced.
     *
     * @param reject {@code false} answers an unmanaged device's DM requests as if it were managed
     * @return a copy
     */
    public PlatformConfig withRejectUnmanaged(boolean reject) {
        return new PlatformConfig(reject, requestGap, operationTimeout, responseDeliveryTimeout, logCapacity,
                reqIdPrefix, codec);
    }

    /**
     * This configuration with {@code requestGap} replaced.
     *
     * @param gap engine time between a manage response and the first request; zero or positive
     * @return a copy
     * @throws IllegalArgumentException if {@code gap} is null or negative
     */
    public PlatformConfig withRequestGap(Duration gap) {
        return new PlatformConfig(rejectUnmanaged, gap, operationTimeout, responseDeliveryTimeout, logCapacity,
                reqIdPrefix, codec);
    }

    /**
     * This configuration with {@code operationTimeout} replaced.
     *
     * @param timeout engine time an operation started without its own timeout may take; positive
     * @return a copy
     * @throws IllegalArgumentException if {@code timeout} is null, zero or negative
     */
    public PlatformConfig withOperationTimeout(Duration timeout) {
        return new PlatformConfig(rejectUnmanaged, requestGap, timeout, responseDeliveryTimeout, logCapacity,
                reqIdPrefix, codec);
    }

    /**
     * This configuration with {@code responseDeliveryTimeout} replaced.
     *
     * @param timeout how long a response may wait for the device's subscription; positive
     * @return a copy
     * @throws IllegalArgumentException if {@code timeout} is null, zero or negative
     */
    public PlatformConfig withResponseDeliveryTimeout(Duration timeout) {
        return new PlatformConfig(rejectUnmanaged, requestGap, operationTimeout, timeout, logCapacity,
                reqIdPrefix, codec);
    }

    /**
     * This configuration with {@code logCapacity} replaced.
     *
     * @param capacity {@code diag.log} entries kept per device; at least 1
     * @return a copy
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    public PlatformConfig withLogCapacity(int capacity) {
        return new PlatformConfig(rejectUnmanaged, requestGap, operationTimeout, responseDeliveryTimeout, capacity,
                reqIdPrefix, codec);
    }

    /**
     * This configuration with {@code reqIdPrefix} replaced.
     *
     * @param prefix put before the counter in the platform's reqIds; not {@code null}
     * @return a copy
     * @throws IllegalArgumentException if {@code prefix} is null
     */
    public PlatformConfig withReqIdPrefix(String prefix) {
        return new PlatformConfig(rejectUnmanaged, requestGap, operationTimeout, responseDeliveryTimeout,
                logCapacity, prefix, codec);
    }

    /**
     * This configuration with {@code codec} replaced.
     *
     * @param newCodec reads and writes every payload and sets the payload limit; not {@code null}
     * @return a copy
     */
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
