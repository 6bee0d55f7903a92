package dev.iotdm.testkit.broker;

/**
 * Learns when devices connect and disconnect, so the platform can track activity.
 *
 * <p>Only authenticated device clients are reported. When a second connection takes over a client
 * id (protocol.md §1.4), the broker reports the new connection and suppresses the old connection's
 * late disconnect, so the last event for a client id tells its state.
 *
 * <p>Called on broker threads; implementations must be thread-safe and must not block. An
 * exception thrown here is logged and otherwise ignored.
 */
public interface DeviceConnectionListener {

    /**
     * A device passed authentication and is connected.
     *
     * @param clientId the device's MQTT client id {@code d:<org>:<type>:<id>}
     */
    void onConnected(String clientId);

    /**
     * A device's connection ended, for whatever reason (its DISCONNECT, lost, or closed by us).
     *
     * @param clientId the device's MQTT client id
     */
    void onDisconnected(String clientId);

    /**
     * The broker refused a CONNECT (protocol.md §1.4, §1.5); ignored unless overridden.
     *
     * @param clientId the client id as sent, wire text (escape before printing)
     * @param reason why, never containing the password
     */
    default void onConnectRefused(String clientId, String reason) {
    }

    /**
     * The broker refused one filter of a device's SUBSCRIBE (protocol.md §1.10); the client stays
     * connected. Ignored unless overridden.
     *
     * @param clientId the device
     * @param filter the refused filter, wire text (escape before printing)
     */
    default void onSubscribeRefused(String clientId, String filter) {
    }

    /**
     * The broker granted one filter of a device's SUBSCRIBE, reported before the SUBACK and in
     * order with the device's publishes (both come from the broker's handling of the client's
     * packets in arrival order), so a manage published before the SUBSCRIBE is seen first
     * (DM-MANAGE-4). Ignored unless overridden.
     *
     * @param clientId the device
     * @param filter the granted filter, wire text (escape before printing)
     */
    default void onSubscribed(String clientId, String filter) {
    }
}
