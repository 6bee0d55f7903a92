package dev.iotdm.testkit.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DeviceRegistry} held in memory: devices are added and removed by the test or the fake
 * platform. Thread-safe.
 */
public final class InMemoryDeviceRegistry implements DeviceRegistry {

    private final Map<String, byte[]> tokens = new ConcurrentHashMap<>();

    /**
     * Registers (or re-registers with a new token) the device {@code d:<org>:<type>:<id>}.
     *
     * @param orgId the organisation id
     * @param typeId the device type
     * @param deviceId the device id
     * @param token the device's token; stored as bytes and compared in constant time
     * @return the device's MQTT client id
     * @throws IllegalArgumentException if an id is malformed (protocol.md §1.4) or the token is empty
     */
    public String register(String orgId, String typeId, String deviceId, String token) {
        String clientId = DeviceClientIds.of(orgId, typeId, deviceId);
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("token of " + clientId + " must not be empty");
        }
        tokens.put(clientId, token.getBytes(StandardCharsets.UTF_8));
        return clientId;
    }

    /**
     * Removes the device. Its open connection is not closed.
     *
     * @param clientId the device's MQTT client id
     * @return whether it was registered
     */
    public boolean unregister(String clientId) {
        return tokens.remove(clientId) != null;
    }

    /**
     * Whether a device with this client id is registered, whatever its token.
     *
     * @param clientId the device's MQTT client id
     * @return {@code true} if registered
     */
    public boolean isRegistered(String clientId) {
        return tokens.containsKey(clientId);
    }

    @Override
    public boolean hasToken(String clientId, String token) {
        byte[] expected = tokens.get(clientId);
        // MessageDigest.isEqual is constant-time for equal lengths, so the check leaks no prefix.
        return expected != null && token != null
                && MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8));
    }

    /** Lists the registered client ids only; tokens are secrets and never printed. */
    @Override
    public String toString() {
        return "InMemoryDeviceRegistry" + tokens.keySet();
    }
}
