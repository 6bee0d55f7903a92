package dev.iotdm.testkit.platform;

import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.message.Rc;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Validation of the platform's value types. */
class PlatformValuesTest {

    @Test
    void a_failure_has_either_an_rc_or_an_update_status() {
        assertThat(OperationOutcome.Failed.withRc(Rc.BAD_REQUEST, Optional.empty()).rc()).contains(Rc.BAD_REQUEST);
        assertThat(OperationOutcome.Failed.withUpdateStatus(UpdateStatus.OUT_OF_MEMORY).updateStatus())
                .contains(UpdateStatus.OUT_OF_MEMORY);
        assertThatThrownBy(() -> new OperationOutcome.Failed(Optional.empty(), Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("either");
    }

    @Test
    void a_firmware_image_needs_at_least_one_parameter() {
        assertThat(FirmwareImage.of(null, null, "https://h/fw.bin", null).uri()).contains("https://h/fw.bin");
        assertThatThrownBy(() -> FirmwareImage.of(null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no image");
    }

    @Test
    void the_configuration_rejects_nonsense_naming_the_field() {
        PlatformConfig defaults = PlatformConfig.defaults();
        assertThat(defaults.rejectUnmanaged()).isTrue();
        assertThat(defaults.requestGap()).isEqualTo(Duration.ofMillis(200));
        assertThatThrownBy(() -> defaults.withRequestGap(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestGap");
        assertThatThrownBy(() -> defaults.withOperationTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("operationTimeout");
        assertThatThrownBy(() -> defaults.withLogCapacity(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logCapacity");
    }

    @Test
    void faults_validate_their_counts_and_targets_match_device_and_topic() {
        PlatformFault.Target target = PlatformFault.Target.device("d:o:t:a").onTopic("iotdm-1/response");
        assertThat(target.matches("d:o:t:a", "iotdm-1/response")).isTrue();
        assertThat(target.matches("d:o:t:b", "iotdm-1/response")).isFalse();
        assertThat(target.matches("d:o:t:a", "iotdm-1/observe")).isFalse();
        assertThat(PlatformFault.Target.anyDevice().matches("d:o:t:z", "x")).isTrue();
        assertThatThrownBy(() -> new PlatformFault.Drop(target, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("times");
        assertThatThrownBy(() -> new PlatformFault.Delay(target, Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay");
    }
}
