package dev.iotdm.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LocationBuilderTest {

    @Test
    void the_builder_names_latitude_and_longitude_and_gives_what_of_gives() {
        Location built = Location.builder().longitude(-97.73921).latitude(30.28565).accuracy(5).elevation(150).build();

        assertThat(built).isEqualTo(Location.of(30.28565, -97.73921).withAccuracy(5).withElevation(150));
    }

    @Test
    void a_location_without_a_longitude_is_refused_naming_it() {
        assertThatThrownBy(() -> Location.builder().latitude(30.28565).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("longitude must be set");
    }

    @Test
    void a_latitude_out_of_range_is_refused_naming_it() {
        assertThatThrownBy(() -> Location.builder().latitude(-97.73921).longitude(30.28565).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latitude");
    }
}
