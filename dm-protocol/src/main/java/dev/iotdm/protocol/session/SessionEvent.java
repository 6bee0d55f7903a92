package dev.iotdm.protocol.session;

import dev.iotdm.protocol.message.Command;
import dev.iotdm.protocol.message.CustomAction;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.FirmwareInfo;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** What the session tells the application. */
public sealed interface SessionEvent {

    /** The connection is subscribed and ready for DM traffic. */
    record Ready(boolean sessionPresent) implements SessionEvent {
    }

    /**
     * The broker refused a subscription the device needs; the connection is unusable for DM.
     *
     * @param filter the refused filter
     */
    record SubscriptionRefused(String filter) implements SessionEvent {
    }

    /**
     * A request made through the session ended.
     *
     * @param token the token the session returned for it
     * @param outcome how it ended
     */
    record RequestCompleted(long token, RequestOutcome outcome) implements SessionEvent {
    }

    /**
     * An automatic manage (after a reconnect or before lifetime expiry) succeeded.
     *
     * @param reason why it was sent
     */
    record AutoManageSucceeded(String reason) implements SessionEvent {
    }

    /**
     * An automatic manage failed and will be retried.
     *
     * @param detail the rc and message, or the timeout
     * @param retryIn when it is retried
     */
    record AutoManageFailed(String detail, Duration retryIn) implements SessionEvent {
    }

    /**
     * The platform asked for a firmware download, and it was accepted (202 already sent).
     *
     * @param image the image parameters to download
     */
    record FirmwareDownloadRequested(FirmwareInfo image) implements SessionEvent {
    }

    /**
     * The platform asked for a firmware install, and it was accepted (202 already sent).
     *
     * @param image the downloaded image parameters
     */
    record FirmwareInstallRequested(FirmwareInfo image) implements SessionEvent {
    }

    /**
     * The platform asked for a reboot or factory reset; answer with
     * {@link DeviceSession#respondDeviceAction}.
     *
     * @param reqId the request id to answer
     * @param kind which action
     */
    record DeviceActionRequested(String reqId, DeviceActionKind kind) implements SessionEvent {
    }

    /**
     * The platform asked for a custom action; answer with
     * {@link DeviceSession#respondCustomAction}.
     *
     * @param action the action with its parameters
     */
    record CustomActionRequested(CustomAction action) implements SessionEvent {
    }

    /**
     * A command arrived.
     *
     * @param command the command
     */
    record CommandReceived(Command command) implements SessionEvent {
    }

    /**
     * The platform changed device attributes with device/update (already applied).
     *
     * @param fields the applied fields
     */
    record AttributesUpdated(List<FieldValue> fields) implements SessionEvent {
    }

    /**
     * The set of observed fields changed.
     *
     * @param observed the fields observed now
     */
    record ObservationsChanged(Set<String> observed) implements SessionEvent {
    }

    /**
     * Responses or notifies were dropped: more waited for a connection than the session keeps
     * (its reqId memory), or the broker refused one for good. Not connected is never a reason:
     * replies made offline or lost with a connection go out again after the next connect.
     *
     * @param count how many
     */
    record ResponsesDropped(int count) implements SessionEvent {
    }

    /**
     * An event or device request made while offline could not wait for the connection: the
     * offline policy ({@link SessionConfig#offlineEventLimit()}) is to fail fast, or that many
     * already wait. Its future failed with {@link OfflineQueueFullException}.
     *
     * @param what what was refused, e.g. {@code "event status"} or {@code "device request"}
     * @param limit the configured limit
     */
    record OfflineQueueFull(String what, int limit) implements SessionEvent {
    }

    /**
     * Something arrived that the session could not use (malformed, unexpected); it was answered
     * per the protocol where an answer was due, and is reported here for logging.
     *
     * @param description what and why
     */
    record ProtocolProblem(String description) implements SessionEvent {
    }
}
