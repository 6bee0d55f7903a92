package dev.iotdm.client;

import dev.iotdm.protocol.session.DeviceActionKind;
import java.util.concurrent.CompletionStage;

/**
 * Handles reboot and factory reset (protocol.md §7). Runs on the client's callback executor,
 * never on a transport thread.
 */
@FunctionalInterface
public interface DeviceActionHandler {

    /**
     * Decides on a device action. Complete with {@link ActionResponse#accepted()} before
     * rebooting (the response is sent when the stage completes), or with failed / notSupported.
     * Return {@code null} to answer later with {@link ManagedClient#respondDeviceAction}, as the
     * seed's {@code deviceActionCallback} did. An exception answers 500.
     *
     * @param kind reboot or factory reset
     * @param reqId the request id, for {@link ManagedClient#respondDeviceAction}
     * @return completes with the answer, or {@code null} to answer later with
     *     {@link ManagedClient#respondDeviceAction}
     * @throws Exception anything the handler fails with: answered 500 with its message
     */
    CompletionStage<ActionResponse> handle(DeviceActionKind kind, String reqId) throws Exception;
}
