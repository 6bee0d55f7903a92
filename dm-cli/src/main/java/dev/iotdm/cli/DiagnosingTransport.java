package dev.iotdm.cli;

import dev.iotdm.transport.ConnectResult;
import dev.iotdm.transport.ForwardingMqttTransport;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.TransportListener;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Passes everything to a transport and remembers why the last connect attempt failed, so that a
 * device that never connects can say why (the client retries transient failures quietly). It
 * owns the transport it wraps.
 *
 * <p>Thread-safety: as thread-safe as the wrapped transport; the remembered reason is atomic.
 */
final class DiagnosingTransport extends ForwardingMqttTransport {

    private final AtomicReference<String> lastFailure = new AtomicReference<>();

    DiagnosingTransport(MqttTransport transport) {
        super(transport);
    }

    /** Why the last connect attempt failed, if it did. */
    Optional<String> lastConnectFailure() {
        return Optional.ofNullable(lastFailure.get());
    }

    @Override
    public CompletableFuture<ConnectResult> connect(MqttConnectOptions options, TransportListener listener) {
        CompletableFuture<ConnectResult> attempt;
        try {
            attempt = super.connect(options, listener);
        } catch (RuntimeException e) {
            lastFailure.set(DmCli.describe(e));
            throw e;
        }
        return attempt.whenComplete((result, error) -> lastFailure.set(error == null ? null
                : DmCli.describe(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error)));
    }
}
