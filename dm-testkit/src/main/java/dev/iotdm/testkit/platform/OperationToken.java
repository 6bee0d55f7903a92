package dev.iotdm.testkit.platform;

import java.util.Objects;

/**
 * Names one platform-initiated operation; the engine completes it with exactly one
 * {@link PlatformAction.OperationCompleted}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param id unique within one engine
 * @param clientId the target device
 * @param kind what the operation does
 */
public record OperationToken(long id, String clientId, OperationKind kind) {

    /**
     * Requires all parts.
     *
     * @param id unique within one engine
     * @param clientId the target device; not {@code null}
     * @param kind what the operation does; not {@code null}
     */
    public OperationToken {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(kind, "kind");
    }

    @Override
    public String toString() {
        return kind + "#" + id + " to " + clientId;
    }
}
