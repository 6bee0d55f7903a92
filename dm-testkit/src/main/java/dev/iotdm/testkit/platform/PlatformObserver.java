package dev.iotdm.testkit.platform;

import dev.iotdm.testkit.transcript.TranscriptEntry;

import java.time.Instant;
import java.util.List;

/**
 * Watches the fake platform, e.g. a rule checker that records deviations. Called on the platform's
 * own thread, in order; implementations must return quickly and must not call back into the
 * {@link FakePlatform}'s blocking methods. An exception thrown here is logged and otherwise ignored.
 */
public interface PlatformObserver {

    /**
     * A device connected.
     *
     * @param time engine time
     * @param clientId the device's MQTT client id (wire text)
     */
    void onConnect(Instant time, String clientId);

    /**
     * A device's connection ended.
     *
     * @param time engine time
     * @param clientId the device's MQTT client id (wire text)
     */
    void onDisconnect(Instant time, String clientId);

    /**
     * A message went in either direction.
     *
     * @param entry the message as it went over the wire
     */
    void onMessage(TranscriptEntry entry);

    /**
     * A device payload could not be decoded, or needed leniencies.
     *
     * @param problem the error or the leniencies applied
     */
    void onDecodeProblem(PlatformEvent.DecodeProblem problem);

    /**
     * A device event arrived; ignored unless overridden.
     *
     * @param event the decoded event
     */
    default void onDeviceEvent(PlatformEvent.DeviceEvent event) {
    }

    /**
     * The platform tolerated something irregular; ignored unless overridden.
     *
     * @param note what it tolerated
     */
    default void onNote(PlatformEvent.Note note) {
    }

    /**
     * The broker refused a CONNECT, a SUBSCRIBE filter or a PUBLISH; ignored unless overridden.
     *
     * @param refusal what was refused and why; never a token
     */
    default void onBrokerRefusal(PlatformEvent.BrokerRefusal refusal) {
    }

    /**
     * The broker granted a device's SUBSCRIBE of {@code filters}, in order with its messages
     * (brokers that report it: the embedded one); ignored unless overridden.
     *
     * @param time engine time
     * @param clientId the device's MQTT client id (wire text)
     * @param filters the granted filters, in the SUBSCRIBE's order
     */
    default void onSubscribe(Instant time, String clientId, List<String> filters) {
    }
}
