package dev.iotdm.testkit.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The arithmetic of footprints; {@code now()} runs in dm-cli's FleetCommandTest and dm-bench's smoke test. */
class FootprintTest {

    @Test
    void the_difference_of_two_footprints_is_shared_out_per_device() {
        Footprint added = new Footprint(10 * 1024 * 1024 + 2048, 13).minus(new Footprint(2048, 3));

        assertThat(added).isEqualTo(new Footprint(10 * 1024 * 1024, 10));
        assertThat(added.heapKiBPer(1024)).isCloseTo(10.0, within(1e-9));
        assertThat(added.threadsPer(1000)).isCloseTo(0.01, within(1e-9));
    }

    @Test
    void sharing_among_no_device_is_refused() {
        Footprint f = new Footprint(1, 1);

        assertThatThrownBy(() -> f.heapKiBPer(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("devices must be at least 1, was 0");
        assertThatThrownBy(() -> f.threadsPer(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("devices must be at least 1, was -1");
    }
}
