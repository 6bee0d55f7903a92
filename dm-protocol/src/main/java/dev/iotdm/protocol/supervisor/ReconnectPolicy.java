package dev.iotdm.protocol.supervisor;

import java.time.Duration;

/**
 * How the {@link ConnectionSupervisor} spaces its connection attempts.
 *
 * <p>The delay before attempt {@code n + 1} after {@code n} consecutive failures is
 * {@code minDelay * multiplier^(n-1)}, capped at {@code maxDelay}, then spread by
 * {@code ±jitter} of itself and clamped back into {@code [minDelay, maxDelay]}. The failure count
 * goes back to zero only when a connection stayed up for {@code stablePeriod}. When
 * {@code takeOverLosses} connections, each up for less than {@code stablePeriod}, are lost within
 * {@code takeOverWindow}, another client is probably using the same client id (protocol.md §1.4)
 * and the supervisor waits {@code maxDelay} between attempts.
 *
 * <p>Immutable and thread-safe.
 *
 * @param minDelay       shortest wait before a reconnect; positive
 * @param maxDelay       longest wait, also the wait after authentication failures; at least
 *                       {@code minDelay} and at most {@link #MAX_DELAY_LIMIT}
 * @param multiplier     growth factor per consecutive failure; 1 to 100
 * @param jitter         relative spread of each delay, 0 (none) to 1 (±100 %)
 * @param stablePeriod   how long a connection must stay up before the failure count resets; positive
 * @param takeOverLosses short-lived connection losses within {@code takeOverWindow} that indicate a
 *                       client-id take-over; at least 1
 * @param takeOverWindow the sliding window for counting those losses; positive
 */
public record ReconnectPolicy(
        Duration minDelay,
        Duration maxDelay,
        double multiplier,
        double jitter,
        Duration stablePeriod,
        int takeOverLosses,
        Duration takeOverWindow) {

    /** The longest {@code maxDelay} accepted: one day. */
    public static final Duration MAX_DELAY_LIMIT = Duration.ofDays(1);

    /**
     * The defaults: 1 s to 2 min, doubling, ±20 % jitter, stable after 60 s, take-over suspected
     * after 3 short-lived connections within 5 min.
     */
    public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(
            Duration.ofSeconds(1), Duration.ofMinutes(2), 2.0, 0.2,
            Duration.ofSeconds(60), 3, Duration.ofMinutes(5));

    /**
     * Validates every component; the message names the offending one.
     *
     * @param minDelay shortest wait before a reconnect; positive
     * @param maxDelay longest wait, also the wait after authentication failures; at least {@code minDelay}
     *     and at most {@link #MAX_DELAY_LIMIT}
     * @param multiplier growth factor per consecutive failure; 1 to 100
     * @param jitter relative spread of each delay, 0 (none) to 1 (±100 %)
     * @param stablePeriod how long a connection must stay up before the failure count resets; positive
     * @param takeOverLosses short-lived connection losses within {@code takeOverWindow} that indicate a
     *     client-id take-over; at least 1
     * @param takeOverWindow the sliding window for counting those losses; positive
     * @throws IllegalArgumentException naming the component that is null or out of range
     */
    public ReconnectPolicy {
        requirePositive("minDelay", minDelay);
        requirePositive("maxDelay", maxDelay);
        requirePositive("stablePeriod", stablePeriod);
        requirePositive("takeOverWindow", takeOverWindow);
        if (maxDelay.compareTo(minDelay) < 0) {
            throw new IllegalArgumentException(
                    "maxDelay " + maxDelay + " must not be shorter than minDelay " + minDelay);
        }
        if (maxDelay.compareTo(MAX_DELAY_LIMIT) > 0) {
            throw new IllegalArgumentException(
                    "maxDelay " + maxDelay + " must not exceed " + MAX_DELAY_LIMIT);
        }
        if (!(multiplier >= 1.0 && multiplier <= 100.0)) {
            throw new IllegalArgumentException("multiplier must be between 1 and 100, was " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
        if (takeOverLosses < 1) {
            throw new IllegalArgumentException("takeOverLosses must be at least 1, was " + takeOverLosses);
        }
    }

    /**
     * A copy with other delay bounds.
     *
     * @param minDelay shortest wait before a reconnect; positive
     * @param maxDelay longest wait; at least {@code minDelay} and at most {@link #MAX_DELAY_LIMIT}
     * @return a new policy; this one is unchanged
     * @throws IllegalArgumentException naming the bound that is out of range
     */
    public ReconnectPolicy withDelays(Duration minDelay, Duration maxDelay) {
        return new ReconnectPolicy(minDelay, maxDelay, multiplier, jitter, stablePeriod,
                takeOverLosses, takeOverWindow);
    }

    /**
     * A copy with another multiplier and jitter.
     *
     * @param multiplier growth factor per consecutive failure; 1 to 100
     * @param jitter relative spread of each delay, 0 (none) to 1 (±100 %)
     * @return a new policy; this one is unchanged
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public ReconnectPolicy withGrowth(double multiplier, double jitter) {
        return new ReconnectPolicy(minDelay, maxDelay, multiplier, jitter, stablePeriod,
                takeOverLosses, takeOverWindow);
    }

    /**
     * A copy with another stable period.
     *
     * @param stablePeriod how long a connection must stay up before the failure count resets; positive
     * @return a new policy; this one is unchanged
     * @throws IllegalArgumentException if {@code stablePeriod} is null or not positive
     */
    public ReconnectPolicy withStablePeriod(Duration stablePeriod) {
        return new ReconnectPolicy(minDelay, maxDelay, multiplier, jitter, stablePeriod,
                takeOverLosses, takeOverWindow);
    }

    /**
     * A copy with another take-over threshold.
     *
     * @param takeOverLosses short-lived connection losses within {@code takeOverWindow} that indicate a
     *     client-id take-over; at least 1
     * @param takeOverWindow the sliding window for counting those losses; positive
     * @return a new policy; this one is unchanged
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public ReconnectPolicy withTakeOver(int takeOverLosses, Duration takeOverWindow) {
        return new ReconnectPolicy(minDelay, maxDelay, multiplier, jitter, stablePeriod,
                takeOverLosses, takeOverWindow);
    }

    /**
     * The delay before the next attempt after {@code failures} consecutive failures, before
     * jitter: {@code minDelay * multiplier^(failures-1)} capped at {@code maxDelay}.
     *
     * @param failures consecutive failures, at least 1
     * @return the delay, in {@code [minDelay, maxDelay]}
     * @throws IllegalArgumentException if {@code failures} is less than 1
     */
    public Duration baseDelay(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        }
        double nanos = minDelay.toNanos() * Math.pow(multiplier, failures - 1.0);
        return nanos >= maxDelay.toNanos() ? maxDelay : Duration.ofNanos((long) nanos);
    }

    /**
     * Applies jitter to {@code base}: {@code base * (1 + jitter * (2u - 1))} for {@code u} in
     * {@code [0, 1)}, clamped into {@code [minDelay, maxDelay]}.
     *
     * @param base    a delay from {@link #baseDelay(int)}
     * @param uniform a random number in {@code [0, 1)}
     * @return the delay, in {@code [minDelay, maxDelay]}
     * @throws IllegalArgumentException if {@code base} is null or {@code uniform} is outside {@code [0, 1)}
     */
    public Duration jittered(Duration base, double uniform) {
        if (base == null) {
            throw new IllegalArgumentException("base must not be null");
        }
        if (!(uniform >= 0.0 && uniform < 1.0)) {
            throw new IllegalArgumentException("uniform must be in [0, 1), was " + uniform);
        }
        double nanos = base.toNanos() * (1.0 + jitter * (2.0 * uniform - 1.0));
        long clamped = (long) Math.max(minDelay.toNanos(), Math.min(maxDelay.toNanos(), nanos));
        return Duration.ofNanos(clamped);
    }

    private static void requirePositive(String field, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
    }
}
