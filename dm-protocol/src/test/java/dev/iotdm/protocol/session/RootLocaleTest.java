package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.session.Firmware.IMAGE;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Text the device puts on the wire does not depend on the JVM's default locale. */
class RootLocaleTest {

    private Locale saved;

    @BeforeEach
    void turkish() {
        saved = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR")); // "I".toLowerCase() is a dotless "ı" here
    }

    @AfterEach
    void restore() {
        Locale.setDefault(saved);
    }

    @Test
    void a_refusal_names_the_firmware_phase_in_root_lower_case_under_a_turkish_default_locale() {
        SessionHarness h = Firmware.managedDevice();
        h.platform().sendFirmwareImage(IMAGE);
        h.platform().sendFirmwareDownload();
        h.drainPublished();

        h.platform().sendFirmwareDownload();

        assertThat(h.takeResponse()).hasRc(400).hasMessageContaining("(downloading)");
    }
}
