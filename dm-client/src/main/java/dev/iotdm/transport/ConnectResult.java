package dev.iotdm.transport;

/**
 * The outcome of a successful connect (CONNACK with return/reason code 0).
 *
 * @param sessionPresent the broker resumed a session kept from an earlier connection; always
 *        false when the connect asked for a clean session
 */
public record ConnectResult(boolean sessionPresent) {
}
