/**
 * The rule book of protocol.md ({@link dev.iotdm.testkit.rules.RuleBook}, loaded from
 * {@code rulebook.json}) and the {@link dev.iotdm.testkit.rules.RuleChecker} that checks device
 * and platform conversations against it, reporting violations by rule id without ever changing
 * what the platform does.
 */
package dev.iotdm.testkit.rules;
