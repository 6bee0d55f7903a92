/**
 * Optional Micrometer metrics for iotdm clients: {@code ClientMetrics} listens to a
 * {@code ManagedClient}'s events and reads its figures. dm-client itself never requires Micrometer.
 */
// micrometer-core names itself in its manifest; users hold its MeterRegistry, so it is transitive.
@SuppressWarnings("requires-transitive-automatic")
module dev.iotdm.metrics.micrometer {
    requires transitive dev.iotdm.client;
    requires transitive micrometer.core;

    exports dev.iotdm.metrics.micrometer;
}
