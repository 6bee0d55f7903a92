/**
 * The connection supervisor: a sans-I/O state machine that decides when a transport-driving
 * facade (re)connects, with exponential backoff and jitter, slow retries after authentication
 * failures and detection of a stolen client id (protocol.md §1.4, §1.7).
 *
 * <p>Entry point: {@link dev.iotdm.protocol.supervisor.ConnectionSupervisor}. It owns no thread,
 * clock, socket or random source: time and a {@link java.util.random.RandomGenerator} are inputs,
 * {@link dev.iotdm.protocol.supervisor.SupervisorAction}s are outputs.
 */
package dev.iotdm.protocol.supervisor;
