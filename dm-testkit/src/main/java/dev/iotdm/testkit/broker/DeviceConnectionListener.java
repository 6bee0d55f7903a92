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

    /** A device passed authentication and is connected. */
    void onConnected(String clientId);

    /** A device's connection ended, for whatever reason (its DISCONNECT, lost, or closed by us). */
    void onDisconnected(String clientId);
}
