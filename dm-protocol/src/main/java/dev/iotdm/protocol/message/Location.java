package dev.iotdm.protocol.message;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A location (protocol.md §3.3, §11). Each update is a complete set: an optional value left out
 * deletes the one sent before, so optional values go on the wire iff they are present, even when
 * zero (§12.22).
 *
 * @param latitude decimal degrees, -90 to 90
 * @param longitude decimal degrees, -180 to 180
 * @param elevation metres, if known
 * @param accuracy metres, if known; not negative
 * @param measuredDateTime when it was measured; the receipt time when absent
 * @param updatedDateTime set by the platform only (§12.23); devices leave it empty
 */
public record Location(
        double latitude,
        double longitude,
        OptionalDouble elevation,
        OptionalDouble accuracy,
        Optional<Timestamp> measuredDateTime,
        Optional<Timestamp> updatedDateTime) {

    /**
     * Validates the ranges.
     *
     * @param latitude decimal degrees, -90 to 90
     * @param longitude decimal degrees, -180 to 180
     * @param elevation metres, if known; not null
     * @param accuracy metres, if known; not negative; not null
     * @param measuredDateTime when it was measured; the receipt time when absent; not null
     * @param updatedDateTime set by the platform only (§12.23); devices leave it empty; not null
     * @throws IllegalArgumentException naming the component that is out of range or not finite
     */
    public Location {
        if (!(latitude >= -90 && latitude <= 90)) {
            throw new IllegalArgumentException("latitude must be within [-90, 90], got " + latitude);
        }
        if (!(longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException("longitude must be within [-180, 180], got " + longitude);
        }
        Objects.requireNonNull(elevation, "elevation");
        Objects.requireNonNull(accuracy, "accuracy");
        if (elevation.isPresent() && !Double.isFinite(elevation.getAsDouble())) {
            throw new IllegalArgumentException("elevation must be a finite number, got " + elevation.getAsDouble());
        }
        if (accuracy.isPresent() && !(accuracy.getAsDouble() >= 0 && Double.isFinite(accuracy.getAsDouble()))) {
            throw new IllegalArgumentException("accuracy must be a finite number >= 0, got " + accuracy.getAsDouble());
        }
        Objects.requireNonNull(measuredDateTime, "measuredDateTime");
        Objects.requireNonNull(updatedDateTime, "updatedDateTime");
    }

    /**
     * A location with only latitude and longitude.
     *
     * @param latitude decimal degrees north, -90 to 90
     * @param longitude decimal degrees east, -180 to 180
     * @return the location
     * @throws IllegalArgumentException if a value is out of range
     */
    public static Location of(double latitude, double longitude) {
        return new Location(latitude, longitude, OptionalDouble.empty(), OptionalDouble.empty(),
                Optional.empty(), Optional.empty());
    }

    /**
     * A builder that names each value, so latitude and longitude cannot be swapped unnoticed
     * (the seed's {@code setLocation} takes longitude first):
     * {@code Location.builder().latitude(30.28).longitude(-97.73).accuracy(5).build()}.
     *
     * @return a new builder with nothing set; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Location}; latitude and longitude are required. Not thread-safe. */
    public static final class Builder {
        private Double latitude;
        private Double longitude;
        private OptionalDouble elevation = OptionalDouble.empty();
        private OptionalDouble accuracy = OptionalDouble.empty();
        private Optional<Timestamp> measuredDateTime = Optional.empty();

        private Builder() {
        }

        /**
         * Decimal degrees north, -90 to 90.
         *
         * @param degrees the latitude; checked by {@link #build()}
         * @return this builder
         */
        public Builder latitude(double degrees) {
            latitude = degrees;
            return this;
        }

        /**
         * Decimal degrees east, -180 to 180.
         *
         * @param degrees the longitude; checked by {@link #build()}
         * @return this builder
         */
        public Builder longitude(double degrees) {
            longitude = degrees;
            return this;
        }

        /**
         * Metres above sea level.
         *
         * @param metres the elevation, finite; checked by {@link #build()}
         * @return this builder
         */
        public Builder elevation(double metres) {
            elevation = OptionalDouble.of(metres);
            return this;
        }

        /**
         * Metres, not negative.
         *
         * @param metres the accuracy, finite and not negative; checked by {@link #build()}
         * @return this builder
         */
        public Builder accuracy(double metres) {
            accuracy = OptionalDouble.of(metres);
            return this;
        }

        /**
         * When it was measured.
         *
         * @param when the measurement time, not null
         * @return this builder
         */
        public Builder measuredDateTime(Timestamp when) {
            measuredDateTime = Optional.of(Objects.requireNonNull(when, "measuredDateTime"));
            return this;
        }

        /**
         * The location.
         *
         * @return a new immutable location; the builder can go on
         * @throws IllegalArgumentException naming latitude or longitude when one was not set or a
         *     value is out of range
         */
        public Location build() {
            if (latitude == null || longitude == null) {
                throw new IllegalArgumentException((latitude == null ? "latitude" : "longitude")
                        + " must be set: Location.builder().latitude(..).longitude(..)");
            }
            return new Location(latitude, longitude, elevation, accuracy, measuredDateTime, Optional.empty());
        }
    }

    /**
     * This location with an elevation.
     *
     * @param metres metres above sea level, finite
     * @return a new location; this one is unchanged
     * @throws IllegalArgumentException if {@code metres} is not finite
     */
    public Location withElevation(double metres) {
        return new Location(latitude, longitude, OptionalDouble.of(metres), accuracy, measuredDateTime, updatedDateTime);
    }

    /**
     * This location with an accuracy.
     *
     * @param metres the accuracy in metres, finite and not negative
     * @return a new location; this one is unchanged
     * @throws IllegalArgumentException if {@code metres} is negative or not finite
     */
    public Location withAccuracy(double metres) {
        return new Location(latitude, longitude, elevation, OptionalDouble.of(metres), measuredDateTime, updatedDateTime);
    }

    /**
     * This location with a measurement time.
     *
     * @param when the measurement time, not null
     * @return a new location; this one is unchanged
     */
    public Location withMeasuredDateTime(Timestamp when) {
        return new Location(latitude, longitude, elevation, accuracy, Optional.of(when), updatedDateTime);
    }
}
