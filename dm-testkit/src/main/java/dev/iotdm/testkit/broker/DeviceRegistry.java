package dev.iotdm.testkit.broker;

import java.util.Optional;

/**
 * The broker's view of the platform's device registry: which device client ids exist and which
 * authentication token each one has (protocol.md §1.4, §1.5).
 *
 * <p>The broker has already checked the client id format ({@code d:<org>:<type>:<id>}) and the
 * username ({@code use-token-auth}) before it asks. Implementations are called on broker threads,
 * concurrently for different clients, so they must be thread-safe and must not block.
 */
@FunctionalInterface
public interface DeviceRegistry {

    /**
     * Whether {@code clientId} is a registered device whose authentication token is {@code token}.
     *
     * @param clientId a well-formed device client id {@code d:<org>:<type>:<id>}
     * @param token the MQTT password as UTF-8 text; compare it in constant time
     * @return {@code true} only for a registered device with exactly this token
     */
    boolean hasToken(String clientId, String token);

    /**
     * The platform's whole rule for a device's CONNECT (protocol.md §1.4, §1.5): a device client
     * id, the user name {@code use-token-auth}, and the registered token as password. Both brokers
     * ask this, so they cannot disagree.
     *
     * @param clientId the client id as sent
     * @param username the user name as sent, or {@code null} for none
     * @param password the password as UTF-8 text, or {@code null} for none
     * @return {@code true} if the broker must accept the CONNECT
     */
    default boolean authenticatesDevice(String clientId, String username, String password) {
        return DeviceClientIds.isDevice(clientId) && PlatformExtension.TOKEN_USERNAME.equals(username)
                && password != null && hasToken(clientId, password);
    }

    /**
     * Why a CONNECT is refused, for the operator (never containing the password); empty when
     * {@link #authenticatesDevice} accepts it. Registries that know more (unknown device versus wrong
     * token) override it.
     *
     * @param clientId the client id as sent
     * @param username the user name as sent, or {@code null} for none
     * @param password the password as UTF-8 text, or {@code null} for none
     * @return one sentence naming the first thing wrong, or empty when the CONNECT is accepted
     */
    default Optional<String> whyRefused(String clientId, String username, String password) {
        if (!DeviceClientIds.isDevice(clientId)) {
            return Optional.of("the client id is not a device id d:<org>:<type>:<id> (protocol.md §1.4)");
        }
        if (!PlatformExtension.TOKEN_USERNAME.equals(username)) {
            return Optional.of("the user name must be " + PlatformExtension.TOKEN_USERNAME
                    + " (protocol.md §1.5)");
        }
        if (password == null) {
            return Optional.of("no password: the password is the device's token (protocol.md §1.5)");
        }
        return hasToken(clientId, password) ? Optional.empty() : Optional.of(tokenRefusal(clientId));
    }

    /**
     * Why a well-formed device CONNECT with a password is refused; registries that can tell an
     * unknown device from a wrong token say which. Never contains the token.
     *
     * @param clientId a well-formed device client id whose token did not match
     * @return one sentence for the operator
     */
    default String tokenRefusal(String clientId) {
        return "the device is not registered or its token does not match";
    }
}
