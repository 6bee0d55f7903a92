/**
 * Property-based testing for every iotdm module, shipped in dm-protocol's test-jar (we do not
 * use jqwik). Depends on nothing but the JDK (and dm-protocol for {@link
 * dev.iotdm.protocol.testing.JsonGens}); assertions inside checks are the caller's choice.
 *
 * <h2>Design: integrated shrinking over a choice sequence</h2>
 * A {@link dev.iotdm.protocol.testing.Gen} is a function of a
 * {@link dev.iotdm.protocol.testing.Choices} source: every random decision is a bounded
 * non-negative number drawn from it and recorded. When a check fails, the shrinker edits the
 * recorded sequence (deletes spans and chunks, zeroes them, lowers single choices by binary
 * search) and replays the generator; an edit is kept when the replay still fails the same way
 * with a smaller sequence. Hence every generator shrinks, including hand-written lambdas and
 * generators of whole command sequences, with no shrink code, and a shrunk value always
 * satisfies its generator's invariants (no shrinking into invalid values).
 *
 * <h2>Use</h2>
 * <pre>{@code
 * Property.forAll(JsonGens.values()).tries(300).check(v ->
 *         assertThat(JsonValue.parse(v.toJson())).isEqualTo(v));
 * }</pre>
 * A failure throws an {@link java.lang.AssertionError} with the seed, the replay flag
 * ({@code -Dpbt.seed=...}, forwarded to surefire by the parent pom), the shrink steps, the
 * minimal and the original value, and the minimal case's throwable as cause. {@code -Dpbt.tries=N}
 * runs every property N times instead of its default.
 *
 * <h2>Stateful tests</h2>
 * Generate a list of commands (records) with {@link dev.iotdm.protocol.testing.Stateful#commands}
 * and run it with {@link dev.iotdm.protocol.testing.Stateful#run} against a fresh system and
 * model; the list shrinks like any other value. {@code StatefulTest} is the worked example.
 *
 * <h2>Writing generators</h2>
 * Draw only from the {@code Choices} given (no other randomness, no state between calls), and
 * arrange that smaller choices give simpler values: list the simplest alternative first in
 * {@code oneOf}/{@code frequency}, prefer "one more?" flags over a length drawn up front.
 */
package dev.iotdm.protocol.testing;
