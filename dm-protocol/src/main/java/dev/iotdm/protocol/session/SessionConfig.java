package dev.iotdm.protocol.session;

import dev.iotdm.protocol.codec.Codec;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.DeviceInfo;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * How a {@link DeviceSession} behaves. Build with {@link #builder()}.
 *
 * @param codec the codec (payload limits)
 * @param requestTimeout how long a device request waits for the platform's response
 * @param manageRetryMin first delay before an automatic manage is retried
 * @param manageRetryMax cap of the automatic manage retry delay
 * @param reqIdMemory how many answered platform requests are remembered to answer redeliveries
 * @param answerMemoryBytes how many bytes (UTF-8 reqIds plus answers) the remembered answers may
 *     take; the oldest are forgotten first beyond either bound
 * @param offlineEventLimit the offline policy: how many events, and separately how many device
 *     requests, may wait while offline and go out after the next connect (0 = fail fast: then
 *     events and requests made offline fail at once, and requests lost with a connection are
 *     not sent again)
 * @param keepsSession whether the connection keeps its broker session (clean session false), so
 *     responses made while offline may still reach the platform
 * @param deviceInfo the device's deviceInfo at start
 * @param metadata the device's metadata at start, if any
 * @param firmwareHandler whether the application handles firmware download and update
 * @param deviceActionHandler whether the application handles reboot and factory reset
 * @param customActionBundles bundles whose custom actions the application handles; the bundle
 *     must also be declared in manage
 * @param anyCustomAction whether a catch-all custom action handler is registered
 * @param reqIds source of fresh, unique request ids (§2.1); an input, because the engine has no
 *     random source (dm-client passes random UUIDs)
 */
public record SessionConfig(
        Codec codec,
        Duration requestTimeout,
        Duration manageRetryMin,
        Duration manageRetryMax,
        int reqIdMemory,
        int answerMemoryBytes,
        int offlineEventLimit,
        boolean keepsSession,
        DeviceInfo deviceInfo,
        Optional<JsonObject> metadata,
        boolean firmwareHandler,
        boolean deviceActionHandler,
        Set<String> customActionBundles,
        boolean anyCustomAction,
        Supplier<String> reqIds) {

    /**
     * Validates every component; the message names the offending one.
     *
     * @param codec the codec (payload limits), not null
     * @param requestTimeout how long a device request waits for the platform's response; positive
     * @param manageRetryMin first delay before an automatic manage is retried; positive
     * @param manageRetryMax cap of the automatic manage retry delay; at least {@code manageRetryMin}
     * @param reqIdMemory how many answered platform requests are remembered; at least 1
     * @param answerMemoryBytes how many bytes the remembered answers may take; at least 1
     * @param offlineEventLimit how many events, and separately how many device requests, may wait
     *     while offline; 0 (fail fast) or more
     * @param keepsSession whether the connection keeps its broker session (clean session false)
     * @param deviceInfo the device's deviceInfo at start, not null
     * @param metadata the device's metadata at start, if any; not null
     * @param firmwareHandler whether the application handles firmware download and update
     * @param deviceActionHandler whether the application handles reboot and factory reset
     * @param customActionBundles bundles whose custom actions the application handles; copied, not null
     * @param anyCustomAction whether a catch-all custom action handler is registered
     * @param reqIds source of fresh, unique request ids (§2.1), not null
     * @throws IllegalArgumentException naming the component that is missing or out of range
     */
    public SessionConfig {
        Objects.requireNonNull(codec, "codec");
        positive("requestTimeout", requestTimeout);
        positive("manageRetryMin", manageRetryMin);
        positive("manageRetryMax", manageRetryMax);
        if (manageRetryMax.compareTo(manageRetryMin) < 0) {
            throw new IllegalArgumentException("manageRetryMax must not be below manageRetryMin");
        }
        if (reqIdMemory < 1) {
            throw new IllegalArgumentException("reqIdMemory must be at least 1, got " + reqIdMemory);
        }
        if (answerMemoryBytes < 1) {
            throw new IllegalArgumentException("answerMemoryBytes must be at least 1, got " + answerMemoryBytes);
        }
        if (offlineEventLimit < 0) {
            throw new IllegalArgumentException("offlineEventLimit must not be negative, got " + offlineEventLimit);
        }
        Objects.requireNonNull(deviceInfo, "deviceInfo");
        Objects.requireNonNull(metadata, "metadata");
        customActionBundles = Set.copyOf(customActionBundles);
        if (reqIds == null) {
            throw new IllegalArgumentException("reqIds must be given: the engine has no random source; pass a"
                    + " supplier of unique request ids, e.g. () -> UUID.randomUUID().toString()");
        }
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }

    /**
     * A builder with the defaults: 30 s requests, retries 5 s to 5 min, 256 answers within
     * {@value #DEFAULT_ANSWER_MEMORY_BYTES} bytes, 1000 offline events (and 1000 offline requests).
     * The reqId source has no default: set {@link Builder#reqIds}.
     *
     * @return a new builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The default of {@link #answerMemoryBytes()}: 256 KiB. */
    public static final int DEFAULT_ANSWER_MEMORY_BYTES = 256 * 1024;

    /** Builds a {@link SessionConfig}. Not thread-safe. */
    public static final class Builder {
        private Codec codec = Codec.standard();
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration manageRetryMin = Duration.ofSeconds(5);
        private Duration manageRetryMax = Duration.ofMinutes(5);
        private int reqIdMemory = 256;
        private int answerMemoryBytes = DEFAULT_ANSWER_MEMORY_BYTES;
        private int offlineEventLimit = 1000;
        private boolean keepsSession;
        private DeviceInfo deviceInfo = DeviceInfo.EMPTY;
        private JsonObject metadata;
        private boolean firmwareHandler;
        private boolean deviceActionHandler;
        private Set<String> customActionBundles = Set.of();
        private boolean anyCustomAction;
        private Supplier<String> reqIds;

        private Builder() {
        }

        /**
         * Sets the codec.
         *
         * @param v the codec, not null (checked by {@link #build()}); default {@link Codec#standard()}
         * @return this builder
         */
        public Builder codec(Codec v) {
            codec = v;
            return this;
        }

        /**
         * Sets the device request timeout.
         *
         * @param v how long a device request waits for its response; positive, default 30 s
         * @return this builder
         */
        public Builder requestTimeout(Duration v) {
            requestTimeout = v;
            return this;
        }

        /**
         * Sets the automatic manage retry delays.
         *
         * @param min first delay before an automatic manage is retried; positive, default 5 s
         * @param max cap of the delay; at least {@code min}, default 5 min
         * @return this builder
         */
        public Builder manageRetry(Duration min, Duration max) {
            manageRetryMin = min;
            manageRetryMax = max;
            return this;
        }

        /**
         * Sets how many answered requests are remembered.
         *
         * @param v the number of answers kept to answer redeliveries; at least 1, default 256
         * @return this builder
         */
        public Builder reqIdMemory(int v) {
            reqIdMemory = v;
            return this;
        }

        /**
         * Sets how many bytes the remembered answers may take.
         *
         * @param v UTF-8 bytes of reqIds plus answers; at least 1, default
         *     {@value SessionConfig#DEFAULT_ANSWER_MEMORY_BYTES}
         * @return this builder
         */
        public Builder answerMemoryBytes(int v) {
            answerMemoryBytes = v;
            return this;
        }

        /**
         * Sets how many events, and how many requests, may wait while offline (0 = fail fast).
         *
         * @param v the limit for each; 0 or more, default 1000
         * @return this builder
         */
        public Builder offlineEventLimit(int v) {
            offlineEventLimit = v;
            return this;
        }

        /**
         * Sets whether the broker session is kept across reconnects (clean session false).
         *
         * @param v true when the transport connects with clean session false; default false
         * @return this builder
         */
        public Builder keepsSession(boolean v) {
            keepsSession = v;
            return this;
        }

        /**
         * Sets the starting deviceInfo.
         *
         * @param v the deviceInfo sent with the first manage, not null; default empty
         * @return this builder
         */
        public Builder deviceInfo(DeviceInfo v) {
            deviceInfo = v;
            return this;
        }

        /**
         * Sets the starting metadata.
         *
         * @param v the metadata sent with manage, or null for none (the default)
         * @return this builder
         */
        public Builder metadata(JsonObject v) {
            metadata = v;
            return this;
        }

        /**
         * Declares that the application handles firmware actions.
         *
         * @param v true when a firmware handler is registered; default false
         * @return this builder
         */
        public Builder firmwareHandler(boolean v) {
            firmwareHandler = v;
            return this;
        }

        /**
         * Declares that the application handles device actions.
         *
         * @param v true when a reboot and factory-reset handler is registered; default false
         * @return this builder
         */
        public Builder deviceActionHandler(boolean v) {
            deviceActionHandler = v;
            return this;
        }

        /**
         * Declares the bundles whose custom actions the application handles.
         *
         * @param v the bundle ids, not null; copied by {@link #build()}; default none
         * @return this builder
         */
        public Builder customActionBundles(Set<String> v) {
            customActionBundles = v;
            return this;
        }

        /**
         * Declares a catch-all custom action handler.
         *
         * @param v true when a handler for any bundle is registered; default false
         * @return this builder
         */
        public Builder anyCustomAction(boolean v) {
            anyCustomAction = v;
            return this;
        }

        /**
         * Sets the source of request ids.
         *
         * @param v a supplier of fresh, unique ids, called on the session's thread; required
         * @return this builder
         */
        public Builder reqIds(Supplier<String> v) {
            reqIds = v;
            return this;
        }

        /**
         * The configuration.
         *
         * @return a new immutable configuration; the builder can go on
         * @throws IllegalArgumentException naming a setting that is missing or out of range
         */
        public SessionConfig build() {
            return new SessionConfig(codec, requestTimeout, manageRetryMin, manageRetryMax, reqIdMemory,
                    answerMemoryBytes, offlineEventLimit, keepsSession, deviceInfo, Optional.ofNullable(metadata), firmwareHandler,
                    deviceActionHandler, customActionBundles, anyCustomAction, reqIds);
        }
    }
}
