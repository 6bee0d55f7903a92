/**
 * The protocol's test support, shipped in dm-protocol's test-jar: message and JSON generators
 * ({@link dev.iotdm.protocol.testing.MessageGens}, {@link dev.iotdm.protocol.testing.JsonGens},
 * {@link dev.iotdm.protocol.testing.JsonMutations}) built on the generic property library
 * {@code dev.iotdm.pbt} (module dm-pbt), a virtual clock and the protocol's AssertJ entry point.
 */
package dev.iotdm.protocol.testing;
