package dev.iotdm.testkit.scenario;

import java.util.Objects;
import java.util.Optional;

/**
 * A device the suite can only watch from the platform's side: one written by someone else, in any
 * language, connected to the platform over a broker. It makes no device-side calls on request, its
 * handlers cannot be steered, it cannot be told to re-manage or asked for its own values: every
 * such step is skipped and reported as skipped. Its restarts are its own: a reboot or factory
 * reset step ends when the platform sees it manage again (the platform's operation waits for that).
 *
 * <p>Immutable; thread-safe.
 */
public final class ExternalDevice implements DeviceUnderTest {

    private final String clientId;

    /**
     * The external device {@code clientId} ({@code d:<org>:<type>:<id>}).
     *
     * @param clientId the device's MQTT client id; not {@code null}
     */
    public ExternalDevice(String clientId) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
    }

    @Override
    public String clientId() {
        return clientId;
    }

    /** Always empty: an external device cannot be told to make a call. */
    @Override
    public Optional<Pending> call(ScenarioStep.DeviceCall call) {
        return Optional.empty();
    }

    /** Always false: an external device answers its own way. */
    @Override
    public boolean setHandlers(HandlerOutcome outcome) {
        return false;
    }

    /** Always empty: an external device re-manages when it restarts, not when told. */
    @Override
    public Optional<Pending> remanage() {
        return Optional.empty();
    }

    /** Always empty: the platform's record is all there is. */
    @Override
    public Optional<DeviceSnapshot> snapshot() {
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "ExternalDevice[" + clientId + "]";
    }
}
