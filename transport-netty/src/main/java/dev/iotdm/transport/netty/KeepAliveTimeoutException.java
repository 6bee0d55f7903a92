package dev.iotdm.transport.netty;

import java.io.IOException;
import java.time.Duration;

/**
 * The connection was declared dead: a PINGREQ went unanswered (no PINGRESP) for the ping
 * timeout. It is the cause given to {@code TransportListener.connectionLost}; the connection
 * supervisor reconnects.
 *
 * <p>Thread-safety: immutable.
 */
public final class KeepAliveTimeoutException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param waited how long the transport waited for PINGRESP
     */
    public KeepAliveTimeoutException(Duration waited) {
        super("no PINGRESP within " + waited.toMillis() + " ms: the connection is dead (broker gone or network"
                + " stalled)");
    }
}
