package dev.iotdm.conformance.faults;

/**
 * What one cell of the fault matrix saw.
 *
 * @param cell         {@code transport / fault / flow}
 * @param converged    every assertion held: operations succeeded, records equal, nothing lost or unanswered, no handler re-run
 * @param eventsLost   events the device published that never reached the platform
 * @param duplicates   deliveries beyond the first (events and device responses), reported, not a failure
 * @param unanswered   platform requests without a device response
 * @param handlerReruns handler runs beyond the first for one reqId
 * @param millis       how long the cell took
 * @param detail       what failed, or empty
 */
record CellResult(String cell, boolean converged, int eventsLost, int duplicates, int unanswered, int handlerReruns,
        long millis, String detail) {
}
