/**
 * The rule book of protocol.md ({@link dev.iotdm.testkit.rules.RuleBook}, loaded from
 * {@code rulebook.json}, each rule with its {@link dev.iotdm.testkit.rules.RuleLevel}), the
 * {@link dev.iotdm.testkit.rules.RuleChecker} that checks device and platform conversations against
 * it, reporting violations by rule id without ever changing what the platform does, the one
 * {@link dev.iotdm.testkit.rules.Verdict} per {@link dev.iotdm.testkit.rules.Audience}, and the
 * {@link dev.iotdm.testkit.rules.RuleTable} report of a run.
 */
package dev.iotdm.testkit.rules;
