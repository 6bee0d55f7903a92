/**
 * A loopback TCP proxy that sits between a device and a broker and injects the network faults a
 * broker cannot produce by itself: stalls, delays, dropped and half-open connections, one-way
 * cuts, refused connections and restarts on the same port.
 *
 * <p>Entry point: {@link dev.iotdm.testkit.fault.FaultProxy}; the faults are the sealed family
 * {@link dev.iotdm.testkit.fault.Fault}.
 */
package dev.iotdm.testkit.fault;
