package dev.iotdm.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes {@link Codec#decode(String, byte[])} on the topics each side receives: whatever the
 * bytes, decode returns (never throws) either a message that re-encodes to a canonical payload
 * decoding to an equal message, or an error that is answered only when it carries a reqId.
 *
 * <p>Input format, shared by both targets: the first byte picks the topic, {@code 'a'} the first
 * of the target's list, {@code 'b'} the second and so on (any byte works: its distance from
 * {@code 'a'} is taken modulo the list size); the rest is the payload. So a corpus file is
 * readable text, for example {@code a{"rc":200,"reqId":"r1"}}.
 *
 * <p>In a plain {@code mvn verify} both run in Jazzer's regression mode, once on an empty input
 * and once per seed file under
 * {@code src/test/resources/dev/iotdm/protocol/codec/CodecFuzzTestInputs/<method name>/}: the
 * payloads of protocol.md §3-§8, the §6.4 firmware transcript and the §14 old-client forms. To
 * fuzz for real, as for {@code JsonValueFuzzTest}:
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -pl dm-protocol verify -Dtest=CodecFuzzTest -Djazzer.hooks=true -Djacoco.skip=true
 * </pre>
 * and copy any crashing input it reports into the seed directory of its method.
 */
class CodecFuzzTest {

    /** What a device receives: the platform's publishes (protocol.md §2.2, §10.2), one unknown DM topic. */
    static final List<String> DEVICE_BOUND = List.of(
            "iotdm-1/response",                                  // a
            "iotdm-1/device/update",                             // b
            "iotdm-1/observe",                                   // c
            "iotdm-1/cancel",                                    // d
            "iotdm-1/mgmt/initiate/device/reboot",               // e
            "iotdm-1/mgmt/initiate/device/factory_reset",        // f
            "iotdm-1/mgmt/initiate/firmware/download",           // g
            "iotdm-1/mgmt/initiate/firmware/update",             // h
            "iotdm-1/mgmt/custom/acme-plugins-v1/installPlugin", // i
            "iot-2/cmd/reboot/fmt/json",                         // j
            "iotdm-1/mgmt/initiate/device/unknown");             // k

    /** What the platform receives: the device's publishes (protocol.md §2.2, §10.1), one unknown topic. */
    static final List<String> PLATFORM_BOUND = List.of(
            "iotdevice-1/mgmt/manage",                           // a
            "iotdevice-1/mgmt/unmanage",                         // b
            "iotdevice-1/device/update/location",                // c
            "iotdevice-1/add/diag/errorCodes",                   // d
            "iotdevice-1/clear/diag/errorCodes",                 // e
            "iotdevice-1/add/diag/log",                          // f
            "iotdevice-1/clear/diag/log",                        // g
            "iotdevice-1/notify",                                // h
            "iotdevice-1/response",                              // i
            "iot-2/evt/status/fmt/json",                         // j
            "iotdevice-1/mgmt/unknown");                         // k

    private static final Codec CODEC = Codec.standard();

    @FuzzTest(maxDuration = "2m")
    void device_bound_payloads_decode_to_a_canonical_message_or_an_answerable_error(byte[] input) {
        decodeAndCheck(DEVICE_BOUND, input);
    }

    @FuzzTest(maxDuration = "2m")
    void platform_bound_payloads_decode_to_a_canonical_message_or_an_answerable_error(byte[] input) {
        decodeAndCheck(PLATFORM_BOUND, input);
    }

    private static void decodeAndCheck(List<String> topics, byte[] input) {
        String topic = input.length == 0 ? topics.get(0) : topics.get(Math.floorMod((input[0] & 0xFF) - 'a', topics.size()));
        byte[] payload = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);

        DecodeResult result = CODEC.decode(topic, payload);

        if (result instanceof Decoded decoded) {
            Encoded again = CODEC.encode(decoded.message());
            assertThat(again.topic()).isEqualTo(topic);
            // Re-encoding removes every leniency but a zone-less timestamp, which is kept as sent.
            List<Normalisation> left = decoded.normalisations().contains(Normalisation.ZONELESS_TIMESTAMP)
                    ? List.of(Normalisation.ZONELESS_TIMESTAMP) : List.of();
            assertThat(CODEC.decode(again.topic(), again.payload())).isEqualTo(new Decoded(decoded.message(), left));
        } else {
            DecodeError error = (DecodeError) result;
            assertThat(error.topic()).isEqualTo(topic);
            assertThat(error.detail()).isNotBlank();
            if (error.answerWith().isPresent()) {
                assertThat(error.reqId()).isPresent();
            }
        }
    }
}
