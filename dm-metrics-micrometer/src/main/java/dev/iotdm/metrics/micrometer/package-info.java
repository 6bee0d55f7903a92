/**
 * Micrometer metrics for iotdm clients: {@link dev.iotdm.metrics.micrometer.ClientMetrics} binds
 * one {@code ManagedClient}'s figures to a {@code MeterRegistry}.
 */
package dev.iotdm.metrics.micrometer;
