package dev.iotdm.client.internal;

import dev.iotdm.transport.ConnectFailure;
import dev.iotdm.transport.ConnectFailureException;
import dev.iotdm.transport.MqttConnectOptions;

/**
 * Owns what a connect failure's message adds to the transport's description: what only the client
 * knows. A refusal of the credentials names the identity that was sent, because the broker never
 * says which part of it (org, type, device id or token) was wrong. The token itself is never part
 * of the text.
 *
 * <p>Thread-safety: stateless.
 */
final class ConnectFailureText {

    private ConnectFailureText() {
    }

    /**
     * The failure to report for a failed attempt: {@code cause} itself, or for refused credentials
     * a {@link ConnectFailureException} with the same failure and a message naming what was sent.
     */
    static Throwable explain(Throwable cause, MqttConnectOptions options) {
        if (!(cause instanceof ConnectFailureException cfe)) {
            return cause;
        }
        ConnectFailure f = cfe.failure();
        if (!(f instanceof ConnectFailure.BadCredentials || f instanceof ConnectFailure.NotAuthorized)) {
            return cause;
        }
        return new ConnectFailureException(f.describe() + " by " + options.host() + ":" + options.port() + ": "
                + identity(options.clientId()) + " (client id " + options.clientId() + ", user name "
                + options.username().orElse("none") + ") and a token were sent; the broker does not tell which of"
                + " them or the token is wrong: check each against the device's registration", f, cfe.getCause());
    }

    /** The org, type and device id in a device client id {@code d:org:type:id}. */
    private static String identity(String clientId) {
        String[] parts = clientId.split(":", 4);
        if (parts.length == 4 && parts[0].equals("d")) {
            return "org \"" + parts[1] + "\", type \"" + parts[2] + "\", device id \"" + parts[3] + "\"";
        }
        return "the client id \"" + clientId + "\"";
    }
}
