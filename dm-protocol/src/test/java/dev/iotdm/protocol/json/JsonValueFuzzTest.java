package dev.iotdm.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link JsonValue#parse(byte[])}: whatever the bytes, it either returns a value that
 * round-trips or throws {@link IllegalArgumentException}; any other throwable is a finding.
 *
 * <p>In a plain {@code mvn verify} this runs in Jazzer's regression mode: once on an empty input
 * and once per file of the seed corpus in
 * {@code src/test/resources/dev/iotdm/protocol/json/JsonValueFuzzTestInputs/<method name>/},
 * without instrumentation or hooks; it takes a few seconds.
 *
 * <p>To fuzz for real (Linux x86_64/arm64 or macOS; never part of the build), run only this
 * class with {@code JAZZER_FUZZ} set and Jazzer's hooks back on (the module pom turns them off
 * for regression runs, where they only cost start-up time):
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -pl dm-protocol verify -Dtest=JsonValueFuzzTest -Djazzer.hooks=true -Djacoco.skip=true
 * </pre>
 * Fuzzing stops after {@code maxDuration}; the inputs it finds interesting are kept in the
 * module's {@code .cifuzz-corpus/} directory (not committed). When it reports a finding, copy the
 * crashing input it names into the seed-corpus directory above: from then on every build replays it.
 */
class JsonValueFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void parse_either_round_trips_or_refuses_with_illegal_argument(byte[] input) {
        JsonValue value;
        try {
            value = JsonValue.parse(input);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        byte[] encoded = value.toJsonBytes();
        JsonValue again = JsonValue.parse(encoded);
        assertThat(again).isEqualTo(value);
        assertThat(again.toJsonBytes()).isEqualTo(encoded);
    }
}
