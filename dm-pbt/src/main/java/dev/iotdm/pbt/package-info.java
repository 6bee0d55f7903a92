/**
 * Property-based testing for every iotdm module (we do not use jqwik): module dm-pbt, which
 * depends on nothing but the JDK; assertions inside checks are the caller's choice. The
 * protocol's message generators live in dm-protocol's test-jar ({@code dev.iotdm.protocol.testing}).
 *
 * <h2>Design: integrated shrinking over a choice sequence</h2>
 * A {@link dev.iotdm.pbt.Gen} is a function of a
 * {@link dev.iotdm.pbt.Choices} source: every random decision is a bounded
 * non-negative number drawn from it and recorded. When a check fails, the shrinker edits the
 * recorded sequence (deletes spans and chunks, zeroes them, lowers single choices by binary
 * search) and replays the generator; an edit is kept when the replay still fails the same way
 * with a smaller sequence. Hence every generator shrinks, including hand-written lambdas and
 * generators of whole command sequences, with no shrink code, and a shrunk value always
 * satisfies its generator's invariants (no shrinking into invalid values).
 *
 * <h2>Use</h2>
 * <pre>{@code
 * Property.forAll(JsonGens.values()) // JsonGens: dm-protocol's test-jar.tries(300).check(v ->
 *         assertThat(JsonValue.parse(v.toJson())).isEqualTo(v));
 * }</pre>
 * A failure throws an {@link java.lang.AssertionError} with the seed, the replay flag
 * ({@code -Dpbt.seed=...}, forwarded to surefire by the parent pom), the shrink steps, the
 * minimal and the original value, and the minimal case's throwable as cause. {@code -Dpbt.tries=N}
 * runs every property N times instead of its default; hand-written seeded loops follow the same
 * convention through {@link dev.iotdm.pbt.Seeds}.
 *
 * <h2>Shrinking</h2>
 * One shrinker, {@link dev.iotdm.pbt.Shrinker}: choice sequences for properties, and
 * {@link dev.iotdm.pbt.Shrinker#shrinkList} (delta debugging) for lists of steps replayed
 * outside a generator, such as scenario runs. Its budget counts replays, never time, so a shrunk
 * result repeats on any machine.
 *
 * <h2>Stateful tests</h2>
 * Generate a list of commands (records) with {@link dev.iotdm.pbt.Stateful#commands}
 * and run it with {@link dev.iotdm.pbt.Stateful#run} against a fresh system and
 * model; the list shrinks like any other value. {@code StatefulTest} is the worked example.
 *
 * <h2>Writing generators</h2>
 * Draw only from the {@code Choices} given (no other randomness, no state between calls), and
 * arrange that smaller choices give simpler values: list the simplest alternative first in
 * {@code oneOf}/{@code frequency}, prefer "one more?" flags over a length drawn up front.
 */
package dev.iotdm.pbt;
