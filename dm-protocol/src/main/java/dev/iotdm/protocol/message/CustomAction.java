package dev.iotdm.protocol.message;

import dev.iotdm.protocol.topic.CustomActionTopic;
import dev.iotdm.protocol.topic.Topic;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A device-management extension action (protocol.md §8.3), answered 200 when done, 500 when it
 * failed, 501 when unsupported (§12.26).
 *
 * @param reqId the request id
 * @param topic the bundle and action
 * @param parameters the parameters, in order
 */
public record CustomAction(String reqId, CustomActionTopic topic, List<Parameter> parameters)
        implements PlatformRequest {

    /**
     * Requires all parts.
     *
     * @param reqId the request id, not null
     * @param topic the bundle and action, not null
     * @param parameters the parameters, in order; not null
     */
    public CustomAction {
        Objects.requireNonNull(reqId, "reqId");
        Objects.requireNonNull(topic, "topic");
        parameters = List.copyOf(Objects.requireNonNull(parameters, "parameters"));
    }

    /**
     * The bundle id.
     *
     * @return the extension bundle, as the topic names it
     */
    public String bundleId() {
        return topic.bundleId();
    }

    /**
     * The action id.
     *
     * @return the action within the bundle, as the topic names it
     */
    public String actionId() {
        return topic.actionId();
    }

    /**
     * The parameter called {@code name}, if present.
     *
     * @param name the parameter name, case-sensitive
     * @return the first parameter with that name
     */
    public Optional<Parameter> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    @Override
    public Optional<String> requestId() {
        return Optional.of(reqId);
    }
}
