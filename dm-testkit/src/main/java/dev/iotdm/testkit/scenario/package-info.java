/**
 * The scenario engine of the conformance suite: seeded random scenarios of platform operations,
 * device-side calls, handler outcomes and faults, run against any device through
 * {@link dev.iotdm.testkit.scenario.DeviceUnderTest} and the platform through
 * {@link dev.iotdm.testkit.scenario.ScenarioWorld}, checked by
 * {@link dev.iotdm.testkit.scenario.Invariants} after every scenario, shrunk by delta debugging
 * over steps (dm-pbt's one shrinker) and summed up per transport row in a
 * {@link dev.iotdm.testkit.scenario.CoverageReport}.
 *
 * <p>A step never ends on an idle period or a sleep: it ends when every operation it started has an
 * outcome ({@link dev.iotdm.testkit.scenario.ScenarioWorld#settle}), so a run is reproducible from
 * its seed.
 */
package dev.iotdm.testkit.scenario;
