/**
 * What a fleet of simulated devices costs the JVM that runs them: {@link
 * dev.iotdm.testkit.fleet.Footprint}, the settled heap and the thread count, read before and after
 * a fleet comes up. Shared by {@code dm-cli fleet} and dm-bench's P3 suite, which both depend on
 * this module.
 */
package dev.iotdm.testkit.fleet;
